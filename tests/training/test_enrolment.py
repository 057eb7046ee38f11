"""Enrolment: seats, the waitlist, cancelling and whole teams."""

from __future__ import annotations

import datetime as dt

import pytest

from training import services
from training.errors import EnrolmentClosed


def test_it_waitlists_when_the_workshop_is_full(workshop, team, make_volunteer):
    a, b, c = (make_volunteer(team, n) for n in ("Lê Văn A", "Lê Văn B", "Lê Văn C"))

    statuses = [
        services.enrol_volunteer(workshop=workshop, volunteer=v).status
        for v in (a, b, c)
    ]

    assert statuses == ["enrolled", "enrolled", "waitlisted"]


def test_cancelling_a_seat_moves_the_first_waitlisted_person_up(
    workshop, team, make_volunteer
):
    people = [make_volunteer(team, f"Người {i}") for i in range(4)]
    rows = [services.enrol_volunteer(workshop=workshop, volunteer=p) for p in people]

    promoted = services.cancel_enrolment(enrolment=rows[0])

    assert promoted.volunteer == people[2]
    statuses = {e.volunteer_id: e.status for e in workshop.enrolments.all()}
    assert statuses == {
        people[0].pk: "cancelled",
        people[1].pk: "enrolled",
        people[2].pk: "enrolled",
        people[3].pk: "waitlisted",
    }


def test_cancelling_a_waitlisted_person_moves_nobody(workshop, team, make_volunteer):
    people = [make_volunteer(team, f"Người {i}") for i in range(3)]
    rows = [services.enrol_volunteer(workshop=workshop, volunteer=p) for p in people]

    assert services.cancel_enrolment(enrolment=rows[2]) is None
    assert workshop.enrolments.filter(status="enrolled").count() == 2


def test_enrolling_twice_changes_nothing(workshop, hong):
    first = services.enrol_volunteer(workshop=workshop, volunteer=hong)
    again = services.enrol_volunteer(workshop=workshop, volunteer=hong)

    assert first.pk == again.pk
    assert workshop.enrolments.count() == 1


def test_a_whole_team_is_enrolled_and_the_rest_waitlisted(
    workshop, team, hong, minh, make_volunteer
):
    make_volunteer(team, "Đinh Thị Ba")

    rows = services.enrol_team(workshop=workshop, team=team)

    assert sorted(r.status for r in rows) == ["enrolled", "enrolled", "waitlisted"]


def test_a_finished_workshop_takes_no_enrolment(workshop, hong):
    later = workshop.ends_at + dt.timedelta(minutes=1)

    with pytest.raises(EnrolmentClosed):
        services.enrol_volunteer(workshop=workshop, volunteer=hong, now=later)


def test_staff_enrol_a_team_from_the_workshop_page(
    workshop, team, hong, minh, secretary, logged_in
):
    client = logged_in(secretary)

    client.post(f"/training/workshops/{workshop.pk}/enrol/", {"team": team.pk})
    page = client.get(f"/training/workshops/{workshop.pk}/").content.decode()

    assert "Nguyễn Thị Hồng" in page
    assert "Y Minh Êban" in page


def test_the_enrol_form_refuses_an_empty_choice_without_error(
    workshop, secretary, logged_in
):
    client = logged_in(secretary)

    page = client.post(f"/training/workshops/{workshop.pk}/enrol/", {}, follow=True)

    assert "Chọn một tình nguyện viên hoặc một tổ." in page.content.decode()
    assert workshop.enrolments.count() == 0
