"""The client's own pages: logged in as a client (never as staff), seeing only their own data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.permissions import staff_member_for

P = ParamSpec("P")


def client_account_for(request: HttpRequest) -> ClientAccount | None:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    return ClientAccount.objects.select_related("client").filter(user=user).first()


def client_view(
    view: Callable[Concatenate[HttpRequest, ClientAccount, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Decorate a view taking ``(request, account, ...)``: only a logged-in client."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "selfservice:login")
        account = client_account_for(request)
        if account is None:
            if staff_member_for(request.user) is not None:
                # A staff member who followed "Omat sivut": say what the pages are and where
                # their own work is, instead of a bare refusal.
                return render(request, "selfservice/staff_signed_in.html", status=403)
            raise PermissionDenied
        return view(request, account, *args, **kwargs)

    return wrapper
