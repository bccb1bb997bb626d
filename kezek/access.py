"""Who may open which page: role checks for views (the office rule itself is on the User model)."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Let signed-in users with one of `roles` through; others get 403 (anonymous: the sign-in page)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def may_edit_district(district: str) -> bool:
    """Whether the signed-in administrator may edit the directory entries of `district`.

    Regional administrators edit every entry; an office's administrator only their own district's
    (its department and its akimat; the regional office's: the regional department's).
    """
    from kezek.extensions import db
    from kezek.models import ADMIN, Office

    if not current_user.is_authenticated or current_user.role != ADMIN:
        return False
    if current_user.office_id is None:
        return True
    office = db.session.get(Office, current_user.office_id)
    return office is not None and office.district == district


def require_office(office_id: int) -> None:
    """Refuse (403) a user who may not see this office."""
    if not current_user.may_see_office(office_id):
        abort(403)
