"""Filling in the administration pages' forms as a browser would: defaults from the page, CSRF token included."""
from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """The post forms of a page: action and each field's current value(s)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.select = self.textarea = None
        self.selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": {}, "checkboxes": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.forms[-1]["checkboxes"].setdefault(a["name"], []).append(a.get("value") or "y")
                if "checked" in a:
                    fields.setdefault(a["name"], []).append(a.get("value") or "y")
            elif kind != "submit":
                fields[a["name"]] = [a.get("value") or ""]
        elif tag == "select":
            self.select, self.selected = a.get("name"), False
            fields[self.select] = []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if "selected" in a and not self.selected:
                fields[self.select], self.selected = [value], True
            elif not fields[self.select]:
                fields[self.select] = [value]
        elif tag == "textarea":
            self.textarea = a.get("name")
            fields[self.textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            values = self.forms[-1]["fields"][self.textarea]
            values[0] = values[0].removeprefix("\r\n").removeprefix("\n")  # as browsers drop it
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.forms:
            self.forms[-1]["fields"][self.textarea][0] += data


def forms_of(html: str) -> list[dict]:
    """The page's post forms."""
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


class AdminPages:
    """An administrator (or anyone signed in) using the administration pages through the test client."""

    def __init__(self, client):
        self.client = client

    def submit(self, page: str, changes: dict | None = None, action: str | None = None):
        """Open `page`, fill in the form (the one posting to `action`, else the first but sign-out), send it."""
        answer = self.client.get(page)
        assert answer.status_code == 200, (page, answer.status_code)
        forms = forms_of(answer.get_data(as_text=True))
        form = next((f for f in forms if f["action"] == action or (action is None and f["action"] != "/logout")), None)
        assert form is not None, f"no form posting to {action} on {page}"
        data = {name: list(values) for name, values in form["fields"].items()}
        for name, value in (changes or {}).items():
            if value is True:
                data[name] = ["y"]
            elif value is False or value is None:
                data.pop(name, None)
            else:
                data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        target = form["action"] or page
        from werkzeug.datastructures import MultiDict

        return self.client.post(target, data=MultiDict([(k, v) for k, values in data.items() for v in values]))

    def press(self, page: str, action: str):
        """Press a one-button form (delete, print a test page) on `page`."""
        return self.submit(page, None, action)
