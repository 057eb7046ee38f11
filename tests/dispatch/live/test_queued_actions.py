"""A queued tap runs once, and what is kept of its answer names no resident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.live import queued_actions
from dispatch.models import VolunteerAction
from tests.dispatch.conftest import submit_for_lan


@pytest.mark.django_db
def test_a_repeated_accept_gets_the_short_answer_without_the_residents_details(
    duc_an,
):
    request = submit_for_lan(duc_an)
    volunteer = duc_an.an
    card = {
        "request_id": request.pk,
        "code": request.code,
        "resident_name": request.resident_name,
        "resident_phone": request.resident_phone,
    }

    first = queued_actions.remember(
        volunteer_id=volunteer.pk,
        action_id="tap-0001-abc",
        action="accept",
        answer={"assignment": card},
    )
    again = queued_actions.answer_for(
        volunteer_id=volunteer.pk, action_id="tap-0001-abc"
    )

    assert first["assignment"]["resident_phone"] == request.resident_phone
    assert again == {"assignment": {"request_id": request.pk, "code": request.code}}
    stored = str(VolunteerAction.objects.get().answer)
    assert request.resident_phone[-9:] not in stored
    assert request.resident_name not in stored


@pytest.mark.django_db
def test_answers_older_than_a_week_are_forgotten(duc_an):
    for action_id in ("tap-old-00001", "tap-new-00002"):
        queued_actions.remember(
            volunteer_id=duc_an.an.pk, action_id=action_id, action="start", answer={}
        )
    VolunteerAction.objects.filter(action_id="tap-old-00001").update(
        at=timezone.now() - timedelta(days=8)
    )

    assert queued_actions.forget_older_than(days=7) == 1
    assert list(VolunteerAction.objects.values_list("action_id", flat=True)) == [
        "tap-new-00002"
    ]
