"""Words the libraries show (WTForms' form errors, Flask-Login's sign-in message), through Kezek's catalogues.

WTForms ships its own catalogues, but they are not ours to read through and keep right (its Kazakh
one has typos, its Russian one fuzzy entries); every form's errors are looked up in Kezek's instead,
so the translators see them with the rest, and the catalogue test keeps them in step.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_translations, gettext
from flask_wtf import FlaskForm

LOGIN_MESSAGE = "Please sign in to open this page."


class CatalogueTranslations:
    """WTForms' translations object, answered from Kezek's catalogue in the page's language."""

    def gettext(self, string: str) -> str:
        """`string` in the page's language."""
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of `singular`/`plural` for `n` in the page's language."""
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


def _form_translations(meta, form) -> CatalogueTranslations:
    return TRANSLATIONS


def init_app(app: Flask, login_manager) -> None:
    """Have every form (Flask-WTF's, whoever declares it) and the sign-in redirect speak the page's language."""
    FlaskForm.Meta.get_translations = _form_translations
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.localize_callback = gettext


def _for_the_catalogue(_, ngettext) -> None:  # never called: lists the libraries' words for extraction
    _("Please sign in to open this page.")
    _("Invalid field name '%s'.")
    _("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Date must be at least %(min)s.")
    _("Date must be at most %(max)s.")
    _("Date must be between %(min)s and %(max)s.")
    _("This field is required.")
    _("Invalid input.")
    _("Invalid email address.")
    _("Invalid IP address.")
    _("Invalid Mac address.")
    _("Invalid URL.")
    _("Invalid UUID.")
    _("Invalid value, must be one of: %(values)s.")
    _("Invalid value, can't be any of: %(values)s.")
    _("This field cannot be edited.")
    _("This field is disabled and cannot have a value.")
    _("Invalid CSRF Token.")
    _("CSRF token missing.")
    _("CSRF failed.")
    _("CSRF token expired.")
    _("Invalid Choice: could not coerce.")
    _("Choices cannot be None.")
    _("Not a valid choice.")
    _("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)
    _("Not a valid datetime value.")
    _("Not a valid date value.")
    _("Not a valid time value.")
    _("Not a valid week value.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
