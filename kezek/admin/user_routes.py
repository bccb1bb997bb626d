"""Staff accounts: list, add, change role, office and access, reset a password."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.admin import bp
from kezek.admin.forms import PasswordForm, UserForm, options
from kezek.admin.users import may_manage, reset_password, roles_for, save_user
from kezek.admin.view_helpers import managed_offices, submit
from kezek.extensions import db
from kezek.inputs import query_id
from kezek.models import User
from kezek.home import localized


def role_names() -> dict[str, str]:
    """Each role's name in the page's language."""
    return {"clerk": _("Clerk"), "manager": _("Manager"), "regional_manager": _("Regional manager"),
            "admin": _("Administrator")}


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not may_manage(current_user, user):
        abort(403)
    return user


@bp.get("/users")
def users():
    """The staff the administrator manages, filterable by office."""
    offices = {office.id: office for office in managed_offices()}
    query = select(User).order_by(User.office_id.is_not(None), User.office_id, User.username)
    office_id = query_id("office")
    if office_id or current_user.office_id:
        query = query.where(User.office_id == (office_id or current_user.office_id))
    rows = [user for user in db.session.scalars(query) if may_manage(current_user, user) or user.id == current_user.id]
    return render_template("admin/users.html", users=rows, offices=offices, office_id=office_id, roles=role_names())


def _user_form(row: User | None) -> UserForm:
    form = UserForm(obj=row, data=None if row else {"office_id": query_id("office")})
    names = role_names()
    form.role.choices = options((role, names[role]) for role in roles_for(current_user))
    offices = [(office.id, localized(office)) for office in managed_offices()]
    form.office_id.choices = options(([("", _("Regional (every office)"))] if current_user.office_id is None else []) + offices)
    if row is not None:
        del form.password
    return form


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int | None):
    """Add a member of staff, or change their name, role, office and whether they may sign in."""
    row = _user_or_404(user_id) if user_id else None
    form = _user_form(row)

    def page(error=None):
        return render_template("admin/user.html", form=form, error=error, row=row, password_form=PasswordForm())

    if request.method == "GET":
        return page()
    values = {name: getattr(form, name).data for name in ("username", "display_name", "role", "office_id", "active")}
    password = form.password.data if row is None else None
    return submit(form, lambda: save_user(db.session, current_user, row or User(), values, password), page,
                  lambda _c: url_for(".users", office=values["office_id"]))


@bp.post("/users/<int:user_id>/password")
def password(user_id: int):
    """Set a new password for a member of staff."""
    row = _user_or_404(user_id)
    form = PasswordForm()

    def page(error=None):
        return render_template("admin/user.html", form=_user_form(row), error=error, row=row, password_form=form)

    return submit(form, lambda: reset_password(db.session, current_user, row, form.password.data), page,
                  lambda _c: url_for(".user", user_id=row.id))
