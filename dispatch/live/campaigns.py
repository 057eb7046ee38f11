"""The volunteer's outreach pages (/v/campaigns/): the household list, visits, a visit
turned into a help request, a household added in the field.

A visit form carries a `client_id` made when the page is drawn; the page's script
queues visits on the phone while offline and sends them when the connection returns
(dispatch/static/dispatch/campaign.js). The server stores each `client_id` once.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.live.forms import HouseholdForm, VisitForm, VisitRequestForm
from dispatch.models import Campaign
from dispatch.outreach import selectors, services
from teams import households as register
from teams.models import Volunteer

LOGIN_URL = "/v/login/"


def _volunteer(request: HttpRequest) -> Volunteer | None:
    return permissions.volunteer_for_user(request.user)


def _campaign(volunteer: Volunteer, pk: int) -> Campaign | None:
    try:
        return permissions.access_volunteer_campaign(
            volunteer=volunteer, campaign_id=pk
        )
    except DispatchError:
        return None


def _none(request: HttpRequest) -> HttpResponse:
    return render(request, "dispatch/volunteer_none.html", status=403)


@never_cache
@login_required(login_url=LOGIN_URL)
def campaign_list(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    if volunteer is None:
        return _none(request)
    campaigns = selectors.campaigns_for_volunteer(volunteer)
    return render(
        request,
        "dispatch/v_campaigns.html",
        {"volunteer": volunteer, "campaigns": campaigns},
    )


@never_cache
@login_required(login_url=LOGIN_URL)
def campaign_households(request: HttpRequest, pk: int) -> HttpResponse:
    """The five sections, nearest first; each household opens its visit form."""
    volunteer = _volunteer(request)
    campaign = _campaign(volunteer, pk) if volunteer else None
    if campaign is None:
        return _none(request)
    sections = selectors.volunteer_sections(campaign=campaign, volunteer=volunteer)
    context = {
        "volunteer": volunteer,
        "campaign": campaign,
        "sections": sections,
        "form": VisitForm(checklist=campaign.checklist),
        "new_id": uuid.uuid4().hex,
        "strings": _strings(),
    }
    return render(request, "dispatch/v_campaign.html", context)


def _strings() -> dict[str, str]:
    """Words the campaign page's script shows (the script has no gettext)."""
    return {
        "queued": _("Mất sóng: lần đến được lưu trên máy và sẽ tự gửi khi có mạng."),
        "waiting": _("%(n)s lần đến đang chờ gửi."),
        "sent": _("Đã gửi lần đến hộ %(code)s."),
        "failed": _("Không ghi được: %(reason)s"),
        "pick": _("Hãy chọn kết quả của lần đến."),
    }


@login_required(login_url=LOGIN_URL)
@require_POST
def record_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Store one visit (a form post, or the script's fetch that wants JSON)."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    volunteer = _volunteer(request)
    campaign = _campaign(volunteer, pk) if volunteer else None
    if campaign is None:
        if not wants_json:
            return _none(request)
        return JsonResponse({"ok": False, "message": _("Không có quyền.")}, status=403)
    form = VisitForm(request.POST, checklist=campaign.checklist)
    if not form.is_valid():
        reason = _("Hãy chọn kết quả của lần đến.")
        return _answer(request, wants_json, pk, ok=False, text=reason, status=400)
    household = selectors.household_for_volunteer(
        campaign=campaign,
        volunteer=volunteer,
        household_id=form.cleaned_data["household"],
    )
    try:
        if household is None:
            raise services.HouseholdNotFound()
        visit, _created = services.record_visit(
            campaign=campaign,
            household=household,
            volunteer=volunteer,
            outcome=form.cleaned_data["outcome"],
            client_id=form.cleaned_data["client_id"],
            done_items=form.cleaned_data["done_items"],
            note=form.cleaned_data["note"],
            visited_at=form.cleaned_data["visited_at"],
        )
    except DispatchError as exc:
        return _answer(request, wants_json, pk, ok=False, text=exc.message, status=400)
    text = _("Đã ghi lần đến hộ %(code)s: %(outcome)s.") % {
        "code": household.code,
        "outcome": visit.get_outcome_display(),
    }
    return _answer(request, wants_json, pk, ok=True, text=text, visit=visit.pk)


def _answer(
    request: HttpRequest,
    wants_json: bool,
    pk: int,
    *,
    ok: bool,
    text: str,
    status: int = 200,
    visit: int | None = None,
) -> HttpResponse:
    if wants_json:
        return JsonResponse({"ok": ok, "message": text, "visit": visit}, status=status)
    (messages.success if ok else messages.error)(request, text)
    return redirect("dispatch:v_campaign", pk=pk)


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def add_household(request: HttpRequest, pk: int) -> HttpResponse:
    """A household met in the field: into the register and onto the campaign's list."""
    volunteer = _volunteer(request)
    campaign = _campaign(volunteer, pk) if volunteer else None
    if campaign is None:
        return _none(request)
    form = HouseholdForm(request.POST or None, villages=campaign.villages.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = register.add_household(
            village=data["village"],
            head_name=data["head_name"],
            address=data["address"],
            phone=data["phone"],
            members=data["members"],
            flags=data["flags"],
            consent=data["consent"],
            added_by=volunteer,
        )
        services.assign_households(
            campaign=campaign,
            organisation=selectors.organisation_of(volunteer),
            team=volunteer.team,
            household_ids=[household.pk],
        )
        messages.success(
            request, _("Đã thêm hộ %(code)s vào danh sách.") % {"code": household.code}
        )
        return redirect("dispatch:v_campaign", pk=pk)
    return render(
        request,
        "dispatch/v_household_form.html",
        {"campaign": campaign, "form": form},
    )


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def visit_to_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The household needs more than one visit: a help request, pre-filled."""
    volunteer = _volunteer(request)
    try:
        visit = (
            permissions.access_visit(volunteer=volunteer, visit_id=pk)
            if volunteer
            else None
        )
    except DispatchError:
        visit = None
    if visit is None:
        return _none(request)
    if visit.request_id:
        messages.info(
            request,
            _("Lần đến này đã thành yêu cầu %(code)s.") % {"code": visit.request.code},
        )
        return redirect("dispatch:v_campaign", pk=visit.campaign_id)
    initial = {"category": visit.campaign.category, "description": visit.note}
    form = VisitRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        help_request = services.request_from_visit(
            visit=visit,
            volunteer=volunteer,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
        )
        messages.success(
            request,
            _("Đã tạo yêu cầu %(code)s; tổ sẽ được mời như mọi yêu cầu.")
            % {"code": help_request.code},
        )
        return redirect("dispatch:v_campaign", pk=visit.campaign_id)
    return render(
        request, "dispatch/v_visit_request.html", {"visit": visit, "form": form}
    )
