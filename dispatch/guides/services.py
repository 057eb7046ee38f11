"""Writing guides: edits with their versions, sends with their timeline events, and
the public page's counters.

Every edit goes through `save_guide` (one transaction, one `GuideVersion` saying who
changed what); every send through `send_to_resident` or `answer_keyword`, which record
a `GuideSend` for the dashboard and queue the SMS after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dispatch.errors import DispatchError
from dispatch.guides import selectors
from dispatch.guides import sms as guide_sms
from dispatch.guides.seed_content import GUIDES
from dispatch.help_requests import events
from dispatch.models import (
    EventKind,
    Guide,
    GuideSend,
    GuideVersion,
    HelpRequest,
    OutboundMessage,
)
from dispatch.sms.outbox import queue_sms, queue_to_resident
from teams.models import Commune, Volunteer

# The fields an edit may change, in the order the version list shows them.
EDITABLE_FIELDS = (
    "title_vi",
    "title_en",
    "category",
    "keyword",
    "aliases",
    "audience_vi",
    "audience_en",
    "steps",
    "papers_vi",
    "papers_en",
    "fees_vi",
    "fees_en",
    "online_url",
    "office_vi",
    "office_en",
    "office_hours_vi",
    "office_hours_en",
    "duration_vi",
    "duration_en",
    "mistakes_vi",
    "mistakes_en",
    "home_visit",
    "sms_vi",
    "sms_en",
    "voice_rank",
    "published",
)


class NoPhoneToSendTo(DispatchError):
    code = "no_phone"
    default_message = _("Người dân không để lại số điện thoại để nhận tin nhắn.")


class GuideNotFound(DispatchError):
    code = "guide_not_found"
    default_message = _("Không có hướng dẫn này.")


def save_guide(*, guide: Guide | None, values: dict[str, Any], user: Any) -> Guide:
    """Create a guide or change one; a new version records who changed which fields.

    Saving without a change writes nothing. Locks the guide row so two secretaries
    saving at once get consecutive version numbers.
    Side effects: the Guide row and one GuideVersion row.
    """
    with transaction.atomic():
        if guide is None:
            guide = Guide(slug=values.get("slug") or values["keyword"])
            before: dict[str, Any] = {}
        else:
            guide = Guide.objects.select_for_update().get(pk=guide.pk)
            before = {name: getattr(guide, name) for name in EDITABLE_FIELDS}
        changes = {
            name: [before.get(name), values[name]]
            for name in EDITABLE_FIELDS
            if name in values and before.get(name) != values[name]
        }
        if not changes:
            return guide
        for name, (_old, new) in changes.items():
            setattr(guide, name, new)
        guide.version = (guide.version + 1) if guide.pk else 1
        guide.save()
        GuideVersion.objects.create(
            guide=guide,
            number=guide.version,
            edited_by=user if getattr(user, "pk", None) else None,
            changes=changes,
        )
    return guide


def send_to_resident(
    *, request: HelpRequest, guide: Guide, volunteer: Volunteer
) -> GuideSend:
    """A volunteer sends a guide to the resident of a request they may act on.

    The caller has checked the volunteer may act on the request
    (`permissions.access_request`). Side effects: one message to the resident by the
    channel they reach us on (an SMS of ≤ 2 GSM-7 segments; a Zalo message for a
    resident who asked on Zalo — `queue_to_resident`), after commit; one GuideSend;
    one `guide_sent` timeline event (pushed live after commit).
    """
    if not request.resident_phone and request.zalo_contact_id is None:
        raise NoPhoneToSendTo()
    if not guide.published:
        raise GuideNotFound()
    with transaction.atomic():
        send = GuideSend.objects.create(
            guide=guide,
            via=GuideSend.Via.VOLUNTEER,
            request=request,
            volunteer=volunteer,
            commune_id=request.commune_id,
        )
        queue_to_resident(
            request=request,
            text=guide_sms.guide_sms(
                guide, language=request.language, code=request.code
            ),
            purpose=OutboundMessage.Purpose.GUIDE,
            dedupe_key=f"guide-send:{send.pk}",
        )
        events.record(
            request=request,
            kind=EventKind.GUIDE_SENT,
            **events.actor(volunteer=volunteer),
            team=volunteer.team,
            data={"guide": guide.slug, "title": guide.title_vi},
        )
    return send


def answer_keyword(*, words: str, commune: Commune | None) -> str | None:
    """`HD <words>` by SMS: the guide's text (its send counted), or None if no guide."""
    guide = selectors.guide_for_keyword(words)
    if guide is None:
        return None
    GuideSend.objects.create(
        guide=guide, via=GuideSend.Via.SMS_KEYWORD, commune=commune
    )
    return guide_sms.guide_sms(guide)


def text_guide_to_caller(
    *, guide: Guide, phone: str, commune: Commune | None, call: str
) -> None:
    """The voice line read a guide: text it to the caller too, once per call and guide."""
    dedupe_key = f"voice-guide:{call}:{guide.pk}"[:160]
    with transaction.atomic():
        if OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return
        queue_sms(
            to=phone,
            text=guide_sms.guide_sms(guide),
            purpose=OutboundMessage.Purpose.GUIDE,
            commune=commune,
            dedupe_key=dedupe_key,
        )
        GuideSend.objects.create(guide=guide, via=GuideSend.Via.VOICE, commune=commune)


def record_view(*, guide: Guide) -> None:
    Guide.objects.filter(pk=guide.pk).update(view_count=F("view_count") + 1)


def record_feedback(*, guide: Guide, helped: bool) -> None:
    """A "did this help?" tap on the public page (counted, never tied to a person)."""
    field = "helped_yes" if helped else "helped_no"
    Guide.objects.filter(pk=guide.pk).update(**{field: F(field) + 1})


def install_seed_guides() -> int:
    """Create the starter guides that are missing (by slug); returns how many.

    Idempotent: guides already there, edited or not, are left alone.
    """
    created = 0
    for data in GUIDES:
        if Guide.objects.filter(slug=data["slug"]).exists():
            continue
        values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
        values["published"] = True
        guide = Guide(slug=data["slug"])
        for name, value in values.items():
            setattr(guide, name, value)
        guide.save()
        GuideVersion.objects.create(
            guide=guide, number=1, changes={"created": [None, data["slug"]]}
        )
        created += 1
    return created
