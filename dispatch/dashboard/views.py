"""Dashboard pages and exports: parse, call the selectors, render. No figures computed here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dispatch import permissions
from dispatch.dashboard import exports, pages
from dispatch.dashboard.forms import KpiFilterForm
from dispatch.dashboard.kpis import Filters, Period
from dispatch.models import AccessPurpose
from dispatch.privacy import consent
from teams.spreadsheets import export_table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def with_commune(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Those who may see a commune's dashboard (`access.dashboard_commune`); passes the
    commune to the view. Everyone else gets a 403 page saying who it is for."""

    @wraps(view)
    @login_required
    @require_GET
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requested = request.GET.get("commune", "")
        commune = permissions.dashboard_commune(
            user=request.user, requested=int(requested) if requested.isdigit() else None
        )
        if commune is None:
            return render(request, "dashboard/forbidden.html", status=403)
        return view(request, commune, *args, **kwargs)

    return wrapped


@with_commune
def dashboard(request: HttpRequest, commune: Any) -> HttpResponse:
    form = KpiFilterForm(request.GET or None, commune=commune)
    if request.GET and not form.is_valid():
        context = {"form": form, "commune": commune}
        return render(request, "dashboard/invalid.html", context, status=400)
    period = form.cleaned_data["period"] if form.is_bound else Period.last_days()
    filters = form.cleaned_data["filters"] if form.is_bound else Filters()
    context = pages.dashboard_context(commune=commune, period=period, filters=filters)
    context.update(
        {
            "form": form,
            "query": filters.as_query(),
            "live": permissions.may_watch_live(user=request.user, commune=commune),
        }
    )
    return render(request, "dashboard/dashboard.html", context)


@with_commune
def monthly_report(
    request: HttpRequest, commune: Any, year: int, month: int
) -> HttpResponse:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        context = {"commune": commune, "message": _("Tháng không hợp lệ.")}
        return render(request, "dashboard/invalid.html", context, status=404)
    period = Period.month(year, month)
    context = pages.report_context(commune=commune, period=period, filters=Filters())
    context.update({"year": year, "month": month})
    return render(request, "dashboard/report.html", context)


@with_commune
def export(request: HttpRequest, commune: Any, fmt: str) -> HttpResponse:
    form = KpiFilterForm(request.GET, commune=commune)
    if not form.is_valid():
        context = {"form": form, "commune": commune}
        return render(request, "dashboard/invalid.html", context, status=400)
    period = form.cleaned_data["period"]
    dataset = exports.requests_dataset(
        commune=commune,
        period=period,
        filters=form.cleaned_data["filters"],
        personal=permissions.may_see_personal_data(user=request.user),
    )
    if permissions.may_see_personal_data(user=request.user):
        consent.log_access(
            user=request.user,
            purpose=AccessPurpose.EXPORT,
            records=len(dataset),
            http_request=request,
        )
    body = export_table(dataset, fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"yeu-cau-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
