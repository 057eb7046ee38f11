"""Writes of outreach campaigns: create, assign households, record visits, visit → request.

A visit is stored once per `client_id` (made by the phone before sending, so a queued
visit re-sent after a lost answer is not counted twice). The list entry's state follows
the household's latest visit by the time it happened.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dispatch.errors import BadAction, DispatchError, NotFound
from dispatch.help_requests.lifecycle import submit_request
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    Campaign,
    CampaignHousehold,
    CampaignTarget,
    Channel,
    Guide,
    HelpRequest,
    Organisation,
    Visit,
    VisitOutcome,
)
from dispatch.outreach.selectors import organisation_of
from teams.models import Commune, Household, SupportTeam, Village, Volunteer
from teams.text import nfc

# TH <household code> <digit>: what a basic phone types for each outcome.
OUTCOME_DIGITS = {
    "1": VisitOutcome.DONE,
    "2": VisitOutcome.FOLLOW_UP,
    "3": VisitOutcome.NOT_HOME,
    "4": VisitOutcome.REFUSED,
}
# Household flags a campaign may assign by (register field names).
FLAG_FILTERS = Household.FLAGS


class HouseholdNotFound(NotFound):
    code = "household_not_found"
    default_message = _("Không tìm thấy hộ này trong xã.")


class NoRunningCampaign(DispatchError):
    code = "no_campaign"
    default_message = _("Hộ này không thuộc chiến dịch nào đang chạy.")


def create_campaign(
    *,
    commune: Commune,
    title: str,
    goal: str,
    starts_on: dt.date,
    ends_on: dt.date,
    villages: Iterable[Village],
    category: str = "",
    checklist: Iterable[str] = (),
    guide: Guide | None = None,
    village_targets: Mapping[int, int] | None = None,
    organisation_targets: Mapping[str, int] | None = None,
    user: Any = None,
) -> Campaign:
    """A campaign over `villages` with its targets, in one transaction.

    A village without a target given aims at every household of its register.
    """
    chosen = [v for v in villages if v.commune_id == commune.pk]
    if not chosen:
        raise BadAction(gettext("Hãy chọn ít nhất một thôn của xã."))
    if ends_on < starts_on:
        raise BadAction(gettext("Ngày kết thúc phải sau ngày bắt đầu."))
    with transaction.atomic():
        campaign = Campaign.objects.create(
            commune=commune,
            title=nfc(title).strip()[:160],
            goal=nfc(goal).strip(),
            category=category or "other",
            checklist=[nfc(c).strip()[:120] for c in checklist if nfc(c).strip()],
            guide=guide if guide is not None and guide.published else None,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        campaign.villages.set(chosen)
        set_targets(
            campaign=campaign,
            village_targets=village_targets or {},
            organisation_targets=organisation_targets or {},
        )
    return campaign


def set_targets(
    *,
    campaign: Campaign,
    village_targets: Mapping[int, int],
    organisation_targets: Mapping[str, int],
) -> None:
    """Replace the campaign's targets (villages default to their register's size)."""
    with transaction.atomic():
        campaign.targets.all().delete()
        rows = []
        for village in campaign.villages.all():
            size = village_targets.get(village.pk)
            if size is None:
                size = Household.objects.filter(village=village).count()
            rows.append(
                CampaignTarget(campaign=campaign, village=village, households=size)
            )
        for organisation, size in organisation_targets.items():
            if organisation in Organisation.values and size:
                rows.append(
                    CampaignTarget(
                        campaign=campaign, organisation=organisation, households=size
                    )
                )
        CampaignTarget.objects.bulk_create(rows)


def assign_households(
    *,
    campaign: Campaign,
    organisation: str = "",
    team: SupportTeam | None = None,
    flags: Iterable[str] = (),
    village_ids: Iterable[int] = (),
    household_ids: Iterable[int] = (),
    only_unassigned: bool = False,
) -> int:
    """Put the register's households of the campaign's villages on its list, given to
    an organisation and/or a team; `flags` keeps those with any of the flags.

    Households already on the list are re-assigned (their visits and state stay).
    Returns how many households were assigned.
    """
    if organisation and organisation not in Organisation.values:
        raise BadAction()
    if team is not None and team.commune_id != campaign.commune_id:
        raise BadAction()
    villages = campaign.villages.all()
    wanted = [int(v) for v in village_ids]
    if wanted:
        villages = villages.filter(pk__in=wanted)
    households = Household.objects.filter(village__in=villages, erased_at__isnull=True)
    only = [int(h) for h in household_ids]
    if only:
        households = households.filter(pk__in=only)
    chosen_flags = [f for f in flags if f in FLAG_FILTERS]
    if chosen_flags:
        any_flag = Q()
        for name in chosen_flags:
            any_flag |= Q(**{name: True})
        households = households.filter(any_flag)
    if team is not None and not organisation:
        organisation = Organisation.TEAMS
    count = 0
    with transaction.atomic():
        existing = {
            e.household_id: e
            for e in CampaignHousehold.objects.select_for_update().filter(
                campaign=campaign
            )
        }
        new = []
        for household_id in households.values_list("pk", flat=True):
            entry = existing.get(household_id)
            if entry is None:
                new.append(
                    CampaignHousehold(
                        campaign=campaign,
                        household_id=household_id,
                        organisation=organisation,
                        team=team,
                    )
                )
            elif only_unassigned and (entry.organisation or entry.team_id):
                continue
            else:
                entry.organisation, entry.team = organisation, team
                entry.save(update_fields=["organisation", "team"])
            count += 1
        CampaignHousehold.objects.bulk_create(new)
    return count


def _entry_for(
    *, campaign: Campaign, household: Household, volunteer: Volunteer | None
) -> CampaignHousehold:
    """The household's list entry (locked); one is made for a household met in the
    field, given to the volunteer's organisation and team."""
    entry = (
        CampaignHousehold.objects.select_for_update()
        .filter(campaign=campaign, household=household)
        .first()
    )
    if entry is not None:
        return entry
    return CampaignHousehold.objects.create(
        campaign=campaign,
        household=household,
        organisation=organisation_of(volunteer) if volunteer else "",
        team=volunteer.team if volunteer else None,
    )


def record_visit(
    *,
    campaign: Campaign,
    household: Household,
    volunteer: Volunteer,
    outcome: str,
    client_id: str,
    done_items: Iterable[str] = (),
    note: str = "",
    visited_at: dt.datetime | None = None,
    source: str = Visit.Source.APP,
) -> tuple[Visit, bool]:
    """Store one visit; (visit, created). A `client_id` seen before returns that visit.

    Locks the household's list entry, so two visits arriving together leave the state
    of the later one. Raises BadAction for an unknown outcome, a household outside the
    campaign's villages, or a `client_id` of another volunteer.
    """
    if outcome not in VisitOutcome.values:
        raise BadAction(gettext("Hãy chọn kết quả của lần đến."))
    if household.village_id not in set(
        campaign.villages.values_list("pk", flat=True)
    ) or (household.commune_id != campaign.commune_id):
        raise HouseholdNotFound()
    if volunteer.team.commune_id != campaign.commune_id:
        raise HouseholdNotFound()
    earlier = Visit.objects.filter(client_id=client_id).first()
    if earlier is not None:
        if earlier.volunteer_id != volunteer.pk:
            raise BadAction()
        return earlier, False
    now = timezone.now()
    when = min(visited_at or now, now)
    allowed = set(campaign.checklist)
    items = [i for i in done_items if i in allowed]
    try:
        with transaction.atomic():
            entry = _entry_for(
                campaign=campaign, household=household, volunteer=volunteer
            )
            visit = Visit.objects.create(
                campaign=campaign,
                household=household,
                volunteer=volunteer,
                client_id=client_id,
                outcome=outcome,
                done_items=items,
                note=mask_sensitive(nfc(note)).strip()[:500],
                visited_at=when,
                source=source,
            )
            if entry.last_visit_at is None or when >= entry.last_visit_at:
                entry.state = outcome
                entry.last_visit_at = when
                entry.save(update_fields=["state", "last_visit_at"])
    except IntegrityError:
        # Its twin got in first (the phone re-sent while the first was being stored).
        twin = Visit.objects.filter(client_id=client_id).first()
        if twin is None or twin.volunteer_id != volunteer.pk:
            raise
        return twin, False
    return visit, True


def running_campaign_for(
    *, household: Household, on: dt.date | None = None
) -> Campaign:
    """The running campaign (today within its period) that covers the household's
    village, preferring one whose list holds it, then the newest."""
    today = on or timezone.localdate()
    campaigns = Campaign.objects.filter(
        commune_id=household.commune_id,
        villages=household.village_id,
        starts_on__lte=today,
        ends_on__gte=today,
    ).order_by("-starts_on", "-pk")
    listed = campaigns.filter(households__household=household).first()
    found = listed or campaigns.first()
    if found is None:
        raise NoRunningCampaign()
    return found


def record_visit_by_sms(
    *, volunteer: Volunteer, household_code: str, digit: str
) -> tuple[Visit, Campaign]:
    """`TH <code> <digit>` from a volunteer's phone: a visit now, outcome by digit."""
    household = Household.objects.filter(
        commune_id=volunteer.team.commune_id,
        code=household_code.strip().upper(),
        erased_at__isnull=True,
    ).first()
    if household is None:
        raise HouseholdNotFound()
    campaign = running_campaign_for(household=household)
    visit, _created = record_visit(
        campaign=campaign,
        household=household,
        volunteer=volunteer,
        outcome=OUTCOME_DIGITS[digit],
        client_id="sms-" + uuid.uuid4().hex,
        source=Visit.Source.SMS,
    )
    return visit, campaign


def request_from_visit(
    *,
    visit: Visit,
    volunteer: Volunteer,
    category: str,
    description: str,
    home_visit: bool = True,
) -> HelpRequest:
    """Turn a visit into a help request (channel "outreach") that routes as usual.

    The household's details fill the request; once made, the visit links to it and a
    second call returns the same request.
    """
    if visit.volunteer_id != volunteer.pk:
        raise BadAction()
    if visit.request_id is not None:
        return visit.request  # type: ignore[return-value]
    household = visit.household
    flags = [
        flag
        for flag, field in (
            ("elderly", "has_elderly"),
            ("disability", "has_disability"),
            ("ethnic_minority", "ethnic_minority"),
            ("no_smartphone", "no_smartphone"),
        )
        if getattr(household, field) or (flag == "elderly" and household.elderly_alone)
    ]
    if home_visit:
        flags.append("home_visit")
    request = submit_request(
        commune=visit.campaign.commune,
        channel=Channel.OUTREACH,
        category=category or visit.campaign.category,
        description=description,
        resident_name=household.head_name,
        resident_phone=household.phone,
        village=household.village,
        lat=household.lat,
        lng=household.lng,
        landmark=household.address,
        flags=flags,
        consent=household.consent_at is not None,
        actor_user=volunteer.user,
        household=household,
    )
    Visit.objects.filter(pk=visit.pk, request__isnull=True).update(request=request)
    visit.request = request
    return request
