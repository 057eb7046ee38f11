"""The office's request pages: the list of open requests and one request's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dispatch import permissions
from dispatch.help_requests import selectors
from dispatch.models import AccessPurpose, Category, Priority, Status
from dispatch.permissions import staff_required
from dispatch.privacy import consent
from dispatch.views.request_actions import render_detail
from teams.models import SupportTeam, Village


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    communes = permissions.office_communes(user=request.user)
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
    if help_request is None or not permissions.may_see_request(
        user=request.user, request=help_request
    ):
        raise Http404
    consent.log_access(
        user=request.user,
        purpose=AccessPurpose.REQUEST_DETAIL,
        request=help_request,
        http_request=request,
    )
    return render_detail(request, help_request)
