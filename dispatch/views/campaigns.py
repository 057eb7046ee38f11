"""The secretary's outreach pages: campaigns, their progress and map, the weekly report.

Commune-scoped like every office page (dispatch.permissions.access_campaign); the map
carries household codes and states only, never names or phones.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.models import Campaign, CampaignHousehold, Organisation
from dispatch.outreach import selectors, services
from dispatch.permissions import secretary_required
from dispatch.views.campaign_forms import AssignForm, CampaignForm
from teams.models import Commune


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    try:
        return permissions.access_campaign(user=request.user, campaign_id=pk)
    except DispatchError:
        raise Http404 from None


def _commune(request: HttpRequest) -> Commune | None:
    """The secretary's commune; an administrator picks one (?commune=<id>)."""
    own = permissions.office_commune(user=request.user)
    if own is not None:
        return own
    asked = request.GET.get("commune", "")
    communes = Commune.objects.all()
    return (communes.filter(pk=asked).first() if asked.isdigit() else None) or (
        communes.first()
    )


@secretary_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    communes = permissions.office_communes(user=request.user)
    ids = None if communes is None else list(communes.values_list("pk", flat=True))
    campaigns = selectors.campaigns_for_commune(commune_ids=ids)
    return render(request, "dispatch/campaigns.html", {"campaigns": campaigns})


@secretary_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    commune = _commune(request)
    if commune is None:
        raise Http404
    form = CampaignForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = services.create_campaign(
            commune=commune,
            title=data["title"],
            goal=data["goal"],
            category=data["category"],
            checklist=form.checklist_items(),
            guide=data["guide"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            villages=data["villages"],
            village_targets=form.village_targets(),
            organisation_targets=form.organisation_targets(),
            user=request.user,
        )
        messages.success(request, _("Đã tạo chiến dịch. Hãy giao hộ cho các tổ chức."))
        return redirect("dispatch:campaign", pk=campaign.pk)
    return render(
        request, "dispatch/campaign_form.html", {"form": form, "commune": commune}
    )


@secretary_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "progress": selectors.progress(campaign=campaign),
        "assign_form": AssignForm(campaign=campaign),
        "map": {
            "center": [campaign.commune.lat, campaign.commune.lng],
            "tiles": settings.DASHBOARD_MAP_TILE_URL,
            "attribution": settings.DASHBOARD_MAP_ATTRIBUTION,
            "points": selectors.map_points(campaign=campaign),
            "labels": {s.value: str(s.label) for s in CampaignHousehold.State},
        },
        "organisations": Organisation,
    }
    return render(request, "dispatch/campaign_detail.html", context)


@secretary_required
@require_POST
def campaign_assign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = AssignForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        count = services.assign_households(
            campaign=campaign,
            organisation=data["organisation"],
            team=data["team"],
            flags=data["flags"],
            village_ids=[v.pk for v in data["villages"]],
        )
        messages.success(request, _("Đã giao %(count)d hộ.") % {"count": count})
    else:
        messages.error(request, _("Không giao được: hãy xem lại lựa chọn."))
    return redirect("dispatch:campaign", pk=pk)


@secretary_required
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable weekly report, in the commune's wording."""
    campaign = _campaign(request, pk)
    try:
        week_end = dt.date.fromisoformat(request.GET.get("week_end", ""))
    except ValueError:
        week_end = None
    report = selectors.weekly_report(campaign=campaign, week_end=week_end)
    return render(
        request,
        "dispatch/campaign_report.html",
        {"campaign": campaign, "report": report},
    )
