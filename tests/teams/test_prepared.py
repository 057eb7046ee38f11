"""A prepared query answers exactly what its queryset answers, for any ids or keys."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from teams.models import Commune, Volunteer
from teams.prepared import Prepared, partial_instance
from tests import personas
from tests.personas import make_volunteer

pytestmark = pytest.mark.django_db


def test_it_answers_as_the_orm_for_every_id(duc_an, thon_1):
    team = personas.team(duc_an, "Tổ Thôn 1", thon_1)
    an = make_volunteer(team, "Y An", on_duty=True)
    binh = make_volunteer(team, "Bình", on_duty=False)
    query = Prepared(
        lambda user_id: (
            Volunteer.objects.filter(user_id=user_id)
            .order_by()
            .values_list("full_name", "on_duty", "team__name", "created_at")
        )
    )

    for volunteer in (an, binh):
        expected = list(
            Volunteer.objects.filter(user_id=volunteer.user_id)
            .order_by()
            .values_list("full_name", "on_duty", "team__name", "created_at")
        )
        assert query.rows(user_id=volunteer.user_id) == expected
    assert query.rows(user_id=10**9) == []
    # Converted as the ORM converts: a boolean, an aware time.
    _, on_duty, _, created = query.rows(user_id=an.user_id)[0]
    assert on_duty is True and timezone.is_aware(created)


def test_a_key_argument_and_annotations_in_another_order():
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["x"] = 1
    store.create()
    query = Prepared(
        lambda session_key: (
            Session.objects.filter(session_key=session_key)
            .annotate(
                k=Session._meta.get_field("session_key").get_col("django_session")
            )
            .values_list("k", "session_key")
        )
    )

    assert query.rows(session_key=store.session_key) == [
        (store.session_key, store.session_key)
    ]
    assert query.rows(session_key="no-such-key") == []


def test_a_time_argument_answers_as_the_orm_for_every_time(duc_an, thon_1):
    team = personas.team(duc_an, "Tổ Thôn 1", thon_1)
    an = make_volunteer(team, "Y An")
    binh = make_volunteer(team, "Bình")
    Volunteer.objects.filter(pk=binh.pk).update(
        created_at=an.created_at + timezone.timedelta(minutes=5)
    )
    query = Prepared(
        lambda team_id, since: (
            Volunteer.objects.filter(team_id=team_id, created_at__gte=since)
            .order_by("pk")
            .values_list("full_name", flat=True)
        )
    )

    for since in (
        an.created_at - timezone.timedelta(seconds=1),
        an.created_at,
        an.created_at + timezone.timedelta(microseconds=1),
        an.created_at + timezone.timedelta(hours=1),
    ):
        expected = list(
            Volunteer.objects.filter(team_id=team.pk, created_at__gte=since)
            .order_by("pk")
            .values_list("full_name", flat=True)
        )
        assert [row[0] for row in query.rows(team_id=team.pk, since=since)] == expected
    with pytest.raises(TypeError, match="aware"):
        Prepared(query.build).rows(
            team_id=team.pk, since=timezone.now().replace(tzinfo=None)
        )


def test_a_uuid_argument_answers_as_the_orm(duc_an):
    query = Prepared(
        lambda stamp: Commune.objects.filter(registry_stamp=stamp).values_list("name")
    )

    assert query.rows(stamp=duc_an.registry_stamp) == [(duc_an.name,)]
    assert query.rows(stamp=uuid.uuid4()) == []


def test_an_argument_the_query_does_not_use_is_an_error():
    query = Prepared(lambda user_id: Volunteer.objects.filter(active=True))

    with pytest.raises(ValueError, match="user_id"):
        query.rows(user_id=1)
    with pytest.raises(TypeError):
        Prepared(lambda on: Volunteer.objects.filter(on_duty=on)).rows(on=True)


def test_a_partial_instance_reads_its_other_fields_when_asked(duc_an, thon_1):
    team = personas.team(duc_an, "Tổ Thôn 1", thon_1)
    an = make_volunteer(team, "Y An", phone="0912000111")

    partial = partial_instance(Volunteer, "default", id=an.pk, full_name="Y An")

    assert partial.get_deferred_fields() >= {"phone", "team_id"}
    assert partial.phone == an.phone  # read on first use
