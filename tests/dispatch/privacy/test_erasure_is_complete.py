"""After erasing a phone, no text or JSON column of any table holds its last 9 digits.

The resident's footprint is made the way it really arises: SMS in through both
providers (SMSGate in national format), replies out, delivery receipts in, a form with
consent, a volunteer declining with a reason, the secretary opening the request (access
log), background tasks, the household register (her household and a campaign visit
whose note repeats the number). Then the secretary erases the phone on /privacy/subject/, and
every column of every model (django_q's included) is searched, introspected, not listed.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from dispatch.help_requests import offers
from dispatch.models import HelpRequest
from dispatch.outreach import services as outreach
from teams.households import add_household
from tests.dispatch.conftest import open_offer_of
from tests.dispatch.providers import fixture, post_smsgate, post_twilio

DIGITS = "912345678"  # the resident's phone: +84 912 345 678 (the fixtures' sender)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def holding(digits: str) -> list[str]:
    """`table.column (n rows)` for every text/JSON column whose value holds `digits`."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not isinstance(field, TEXT_FIELDS):
                    continue
                column = connection.ops.quote_name(field.column)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 - names from the model registry
                    f"WHERE CAST({column} AS TEXT) LIKE %s",
                    [f"%{digits}%"],
                )
                count = cursor.fetchone()[0]
                if count:
                    found.append(f"{table}.{field.column} ({count})")
    return found


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 10_000


@pytest.mark.django_db
def test_erasing_a_phone_leaves_its_digits_in_no_column_of_any_table(
    demo_commune, deliver, settings
):
    settings.SMS_BACKEND = "console"
    client = Client()
    data = fixture("twilio_sms_inbound.json")
    deliver(post_twilio, client, "/hooks/twilio/sms", data)
    for status in fixture("twilio_status_callbacks.json"):
        deliver(post_twilio, client, "/hooks/twilio/status", status)
    envelope = json.loads(json.dumps(fixture("smsgate_events.json")["sms_received"]))
    envelope["id"] = envelope["payload"]["messageId"] = "erase1"
    envelope["payload"]["sender"] = "0912345678"  # SMSGate's national format
    envelope["payload"]["message"] = "Goi lai cho toi so 0912 345 678 nhe"
    deliver(post_smsgate, client, envelope)
    request = HelpRequest.objects.get()
    offer = open_offer_of(request)
    if offer is not None:
        volunteer = offer.team.volunteers.first()
        offers.decline_offer(
            offer=offer, volunteer=volunteer, reason="Bà ở số 0912345678, xa quá"
        )
    village = request.village or demo_commune.villages.first()
    household = add_household(
        village=village, head_name="Bà Lan", phone="0912345678", consent=True
    )
    today = timezone.localdate()
    campaign = outreach.create_campaign(
        commune=demo_commune,
        title="VNeID",
        goal="VNeID mức 2",
        starts_on=today,
        ends_on=today,
        villages=[village],
    )
    outreach.record_visit(
        campaign=campaign,
        household=household,
        volunteer=village.teams.first().volunteers.first(),
        outcome="follow_up",
        client_id="erase-visit-01",
        note="Con gái bà: 0912 345 678",
    )
    secretary = demo_commune.staff.get(role="secretary").user
    staff = Client()
    staff.force_login(secretary)
    assert staff.get(f"/requests/{request.code}/").status_code == 200
    assert holding(DIGITS), "the footprint was not made"

    response = deliver(
        staff.post,
        "/privacy/subject/",
        {"phone": "0912 345 678", "action": "erase", "confirm": "yes"},
    )

    assert response.status_code == 302
    assert holding(DIGITS) == []
