"""The office's request pages: the list of open requests and one request's page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dispatch.help_requests import selectors
from dispatch.models import AccessPurpose, Category, Priority, Status
from dispatch.privacy import consent
from dispatch.views.request_actions import render_detail
from teams.models import Commune, SupportTeam, Village


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in commune staff (operator, secretary) or Django staff only."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_staff or hasattr(user, "staff_member")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _staff_communes(request: HttpRequest):
    # Commune staff see their commune even when they may also use the Django admin.
    member = getattr(request.user, "staff_member", None)
    if member is not None:
        return Commune.objects.filter(pk=member.commune_id)
    return None  # administrators: every commune


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    communes = _staff_communes(request)
    filters = {k: request.GET.get(k, "") for k in selectors.STAFF_FILTERS}
    requests_qs = selectors.staff_open_requests(communes=communes, filters=filters)
    page = Paginator(requests_qs, 50).get_page(request.GET.get("page"))
    teams, villages = SupportTeam.objects.all(), Village.objects.all()
    if communes is not None:
        teams = teams.filter(commune__in=communes)
        villages = villages.filter(commune__in=communes)
    context = {
        "page": page,
        "filters": filters,
        "teams": teams,
        "villages": villages,
        "categories": Category.choices,
        "priorities": Priority.choices,
        "statuses": Status.choices,
    }
    return render(request, "dispatch/request_list.html", context)


@staff_required
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    help_request = selectors.request_by_code(code)
    communes = _staff_communes(request)
    if help_request is None or (
        communes is not None
        and not communes.filter(pk=help_request.commune_id).exists()
    ):
        raise Http404
    consent.log_access(
        user=request.user,
        purpose=AccessPurpose.REQUEST_DETAIL,
        request=help_request,
        http_request=request,
    )
    return render_detail(request, help_request)
