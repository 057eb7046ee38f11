"""JSON API /api/v1/ for commune office staff: token (or session) auth, paginated lists.

Send `Authorization: Token <key>`. Keys are made with `manage.py create_api_token`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dispatch import permissions
from dispatch.dashboard import kpis, openapi, serializers, tokens
from dispatch.dashboard.forms import KpiFilterForm
from dispatch.help_requests import selectors as dispatch_selectors
from dispatch.models import AccessPurpose, Status
from dispatch.privacy import consent
from teams import selectors as team_selectors


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )


def _error(code: str, message: str, status: int, **extra: Any) -> JsonResponse:
    return _json({"error": code, "message": message, **extra}, status=status)


def _user(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() in ("token", "bearer"):
        return tokens.user_for_key(key.strip())
    return request.user if request.user.is_authenticated else None


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Token or session auth for office staff; passes the user's commune to the view."""

    @wraps(view)
    @require_GET
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        user = _user(request)
        if user is None:
            message = _("Cần khoá API hợp lệ (Authorization: Token <khoá>).")
            return _error("unauthorized", message, 401)
        commune = permissions.dashboard_commune(user=user)
        if not permissions.is_office_staff(user=user) or commune is None:
            return _error("forbidden", _("Tài khoản này không được dùng API."), 403)
        request.api_user = user
        return view(request, commune, *args, **kwargs)

    return wrapped


def _form(request: HttpRequest, commune: Any) -> KpiFilterForm:
    return KpiFilterForm(request.GET, commune=commune)


def _invalid(form: KpiFilterForm) -> JsonResponse:
    errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
    return _error("invalid", _("Tham số không hợp lệ."), 400, fields=errors)


def _page(request: HttpRequest, items: Any) -> tuple[Any, dict] | None:
    try:
        size = min(int(request.GET.get("page_size", settings.API_PAGE_SIZE)), 200)
        number = int(request.GET.get("page", 1))
        page = Paginator(items, max(size, 1)).page(number)
    except (ValueError, EmptyPage):
        return None
    meta = {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": page.next_page_number() if page.has_next() else None,
        "previous": page.previous_page_number() if page.has_previous() else None,
    }
    return page, meta


@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    return _json(openapi.schema())


@api_view
def index(request: HttpRequest, commune: Any) -> JsonResponse:
    return _json({"commune": commune.name, "endpoints": openapi.PATHS})


@api_view
def request_list(request: HttpRequest, commune: Any) -> JsonResponse:
    form = _form(request, commune)
    status = request.GET.get("status", "")
    if not form.is_valid() or (status and status not in Status.values):
        return (
            _invalid(form)
            if not form.is_valid()
            else _error("invalid", _("Trạng thái không hợp lệ."), 400)
        )
    items = serializers.request_rows(
        commune=commune, form=form.cleaned_data, status=status
    )
    found = _page(request, items)
    if found is None:
        return _error("invalid_page", _("Trang không hợp lệ."), 400)
    page, meta = found
    personal = permissions.may_see_personal_data(user=request.api_user)
    results = [serializers.request_item(r, personal=personal) for r in page]
    if personal and results:
        consent.log_access(
            user=request.api_user,
            purpose=AccessPurpose.EXPORT,
            records=len(results),
            http_request=request,
        )
    return _json({**meta, "results": results})


@api_view
def request_detail(request: HttpRequest, commune: Any, code: str) -> JsonResponse:
    help_request = dispatch_selectors.request_by_code(code)
    if help_request is None or help_request.commune_id != commune.pk:
        return _error("not_found", _("Không tìm thấy yêu cầu với mã này."), 404)
    personal = permissions.may_see_personal_data(user=request.api_user)
    if personal:
        consent.log_access(
            user=request.api_user,
            purpose=AccessPurpose.API_DETAIL,
            request=help_request,
            http_request=request,
        )
    timeline = dispatch_selectors.request_timeline(help_request)
    return _json(serializers.request_detail(help_request, timeline, personal=personal))


@api_view
def team_list(request: HttpRequest, commune: Any) -> JsonResponse:
    teams = team_selectors.team_overview(commune=commune)
    return _json({"results": [serializers.team_item(t) for t in teams]})


@api_view
def kpi_view(request: HttpRequest, commune: Any) -> JsonResponse:
    form = _form(request, commune)
    if not form.is_valid():
        return _invalid(form)
    period, filters = form.cleaned_data["period"], form.cleaned_data["filters"]
    figures = kpis.report(commune=commune, period=period, filters=filters)
    return _json(
        {
            "period": {"from": period.first_day, "to": period.last_day},
            "filters": filters.as_query(),
            "summary": figures.summary.as_data(),
            "teams": figures.teams,
            "daily": figures.trends["day"],
        }
    )
