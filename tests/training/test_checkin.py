"""QR check-in: a rotating code, refused when stale or outside the workshop window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from training import services
from training.errors import NotEnrolled, StaleCheckinCode, WorkshopNotOpen
from training.models import Enrolment


@pytest.fixture
def enrolled_lan(hong, workshop) -> Enrolment:
    return services.enrol_volunteer(workshop=workshop, volunteer=hong)


def test_a_code_from_this_minute_checks_the_volunteer_in(enrolled_lan, workshop, hong):
    now = timezone.now()
    token = services.checkin_token(workshop=workshop, at=now)

    enrolment = services.check_in_with_token(
        workshop=workshop, volunteer=hong, token=token, now=now
    )

    assert enrolment.checked_in_at == now
    assert enrolment.check_in_method == "qr"


def test_the_previous_minutes_code_is_still_accepted(enrolled_lan, workshop, hong):
    now = timezone.now()
    token = services.checkin_token(workshop=workshop, at=now - dt.timedelta(seconds=60))

    services.check_in_with_token(
        workshop=workshop, volunteer=hong, token=token, now=now
    )

    enrolled_lan.refresh_from_db()
    assert enrolled_lan.checked_in_at is not None


def test_a_stale_code_is_refused(enrolled_lan, workshop, hong):
    now = timezone.now()
    old = services.checkin_token(workshop=workshop, at=now - dt.timedelta(minutes=2))

    with pytest.raises(StaleCheckinCode):
        services.check_in_with_token(
            workshop=workshop, volunteer=hong, token=old, now=now
        )
    enrolled_lan.refresh_from_db()
    assert enrolled_lan.checked_in_at is None


def test_another_workshops_code_is_refused(enrolled_lan, workshop, hong, commune):
    now = timezone.now()
    other = commune.workshops.create(
        title="Khác",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        address="Nhà văn hoá",
    )
    token = services.checkin_token(workshop=other, at=now)

    with pytest.raises(StaleCheckinCode):
        services.check_in_with_token(
            workshop=workshop, volunteer=hong, token=token, now=now
        )


@pytest.mark.parametrize(
    "moment",
    [
        lambda w: w.starts_at - dt.timedelta(minutes=31),
        lambda w: w.ends_at + dt.timedelta(minutes=31),
        lambda w: w.ends_at + dt.timedelta(days=1),
    ],
    ids=["before-the-grace", "after-the-grace", "next-day"],
)
def test_check_in_outside_the_workshop_window_is_refused(
    enrolled_lan, workshop, hong, moment
):
    at = moment(workshop)
    token = services.checkin_token(workshop=workshop, at=at)

    with pytest.raises(WorkshopNotOpen):
        services.check_in_with_token(
            workshop=workshop, volunteer=hong, token=token, now=at
        )


def test_check_in_within_the_grace_before_the_start_is_accepted(
    enrolled_lan, workshop, hong
):
    at = workshop.starts_at - dt.timedelta(minutes=29)
    token = services.checkin_token(workshop=workshop, at=at)

    services.check_in_with_token(workshop=workshop, volunteer=hong, token=token, now=at)


def test_someone_not_enrolled_cannot_check_in(workshop, minh):
    token = services.checkin_token(workshop=workshop)

    with pytest.raises(NotEnrolled):
        services.check_in_with_token(workshop=workshop, volunteer=minh, token=token)


def test_the_scanned_link_asks_then_checks_in_the_logged_in_volunteer(
    enrolled_lan, workshop, hong, logged_in
):
    client = logged_in(hong.user)
    token = services.checkin_token(workshop=workshop)
    url = f"/training/checkin/{workshop.pk}/{token}/"

    assert "Tôi có mặt" in client.get(url).content.decode()
    page = client.post(url)

    assert page.status_code == 200
    assert "Đã điểm danh" in page.content.decode()
    enrolled_lan.refresh_from_db()
    assert enrolled_lan.checked_in_at is not None


def test_the_scanned_link_explains_a_stale_code(
    enrolled_lan, workshop, hong, logged_in
):
    client = logged_in(hong.user)
    old = services.checkin_token(
        workshop=workshop, at=timezone.now() - dt.timedelta(minutes=5)
    )

    page = client.post(f"/training/checkin/{workshop.pk}/{old}/")

    assert page.status_code == 400
    assert "Mã QR đã cũ" in page.content.decode()


def test_scanning_while_logged_out_leads_to_the_login_page(workshop, client):
    token = services.checkin_token(workshop=workshop)

    page = client.get(f"/training/checkin/{workshop.pk}/{token}/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_the_trainer_marks_attendance_from_the_list(
    enrolled_lan, workshop, hoa_trainer, logged_in
):
    client = logged_in(hoa_trainer)

    client.post(f"/training/enrolments/{enrolled_lan.pk}/present/")

    enrolled_lan.refresh_from_db()
    assert enrolled_lan.check_in_method == "trainer"
    assert enrolled_lan.checked_in_by == hoa_trainer


def test_a_volunteer_cannot_mark_attendance_for_others(
    enrolled_lan, workshop, minh, logged_in
):
    client = logged_in(minh.user)

    page = client.post(f"/training/enrolments/{enrolled_lan.pk}/present/")

    assert page.status_code == 403
    enrolled_lan.refresh_from_db()
    assert enrolled_lan.checked_in_at is None


def test_the_trainer_screen_shows_an_inline_svg_qr(workshop, hoa_trainer, logged_in):
    client = logged_in(hoa_trainer)

    screen = client.get(f"/training/workshops/{workshop.pk}/qr/").content.decode()
    fragment = client.get(f"/training/workshops/{workshop.pk}/qr/fragment/")

    assert "<svg" in screen
    assert "data-seconds-left" in fragment.content.decode()
