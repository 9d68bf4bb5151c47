"""Who is the staff member behind a request: logged in with password + TOTP, active, employed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.staff.models import StaffMember

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def require_capability(staff: StaffMember, capability: Capability) -> None:
    """Services call this first: the role must allow the action at all."""
    if not staff.can(capability):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))


def staff_member_for(user: Any) -> StaffMember | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        StaffMember.objects.select_related("organisation", "unit", "user")
        .filter(user=user, is_active=True)
        .first()
    )


def staff_view(
    capability: Capability | None = None,
) -> Callable[
    [Callable[Concatenate[HttpRequest, StaffMember, P], R]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Decorate a view taking ``(request, staff, ...)``: login, second factor, role capability."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, StaffMember, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
                return redirect_to_login(request.get_full_path())
            staff = staff_member_for(user)
            if staff is None:
                raise PermissionDenied
            if capability is not None and not staff.can(capability):
                raise PermissionDenied
            request.staff = staff  # type: ignore[attr-defined]  # reused by the context processor
            return view(request, staff, *args, **kwargs)

        return wrapper

    return decorate
