"""The training pages a volunteer, a trainer and a secretary use."""

from __future__ import annotations

import datetime as dt

from training import services
from training.models import StepCompletion, Workshop


def test_a_volunteers_own_page_lists_certificates_and_upcoming_workshops(
    hong, workshop, certify, logged_in
):
    certify(hong, workshop)

    html = logged_in(hong.user).get("/training/me/").content.decode()

    assert "Nhận diện và phòng chống lừa đảo trực tuyến" in html
    assert "còn hiệu lực đến" in html
    assert workshop.title in html
    assert "/training/quiz/scam/start/" in html


def test_the_certificate_page_is_print_ready_with_a_qr_to_verify(
    hong, workshop, certify, logged_in
):
    certificate = certify(hong, workshop)[0]

    html = logged_in(hong.user).get(f"/training/certificates/{certificate.code}/")
    html = html.content.decode()

    assert "<svg" in html
    assert f"/verify/{certificate.code}" in html
    assert "@media print" in html and "A4" in html
    assert "Nguyễn Thị Hồng" in html


def test_another_volunteer_cannot_open_my_certificate(
    hong, minh, workshop, certify, logged_in
):
    certificate = certify(hong, workshop)[0]

    page = logged_in(minh.user).get(f"/training/certificates/{certificate.code}/")

    assert page.status_code == 404


def test_staff_revoke_a_certificate_with_a_reason(
    hong, workshop, certify, secretary, logged_in
):
    certificate = certify(hong, workshop)[0]
    client = logged_in(secretary)

    client.post(
        f"/training/certificates/{certificate.code}/revoke/",
        {"reason": "Chuyển công tác khỏi xã"},
    )

    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Chuyển công tác khỏi xã"
    assert "Đã bị thu hồi" in client.get(f"/verify/{certificate.code}").content.decode()


def test_the_trainer_ticks_steps_on_the_phone_page(
    hong, workshop, hoa_trainer, logged_in
):
    services.enrol_volunteer(workshop=workshop, volunteer=hong)
    client = logged_in(hoa_trainer)
    url = f"/training/workshops/{workshop.pk}/checklist/{hong.pk}/"
    step = workshop.topics.get().steps.first()

    assert step.title in client.get(url).content.decode()
    client.post(url, {"step": step.pk, "done": "1"})
    assert StepCompletion.objects.filter(volunteer=hong, step=step).exists()
    client.post(url, {"step": step.pk, "done": "0"})
    assert not StepCompletion.objects.filter(volunteer=hong, step=step).exists()


def test_a_bad_step_id_is_not_a_server_error(hong, workshop, hoa_trainer, logged_in):
    services.enrol_volunteer(workshop=workshop, volunteer=hong)
    client = logged_in(hoa_trainer)

    page = client.post(
        f"/training/workshops/{workshop.pk}/checklist/{hong.pk}/", {"step": "abc"}
    )

    assert page.status_code in (400, 404)


def test_staff_see_the_workshop_list(workshop, secretary, logged_in):
    html = logged_in(secretary).get("/training/").content.decode()

    assert workshop.title in html


def test_a_volunteer_is_refused_the_workshop_list(hong, logged_in):
    assert logged_in(hong.user).get("/training/").status_code == 403


def test_staff_schedule_a_workshop_in_local_time_stored_in_utc(
    commune, bu_bir, scam_topic, hoa_trainer, hong, secretary, logged_in
):
    page = logged_in(secretary).post(
        "/training/workshops/new/",
        {
            "title": "Nhận diện lừa đảo – bon Bu Bir",
            "topics": [scam_topic.pk],
            "day": "2026-12-05",
            "start": "08:00",
            "end": "11:30",
            "village": bu_bir.pk,
            "trainer": hong.user.pk,
            "capacity": "25",
        },
    )

    workshop = Workshop.objects.get()
    assert page.status_code == 302
    assert workshop.starts_at == dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)
    assert workshop.ends_at == dt.datetime(2026, 12, 5, 4, 30, tzinfo=dt.UTC)
    assert list(workshop.topics.all()) == [scam_topic]


def test_a_workshop_without_a_place_or_with_backwards_times_is_refused(
    commune, scam_topic, secretary, logged_in
):
    page = logged_in(secretary).post(
        "/training/workshops/new/",
        {
            "title": "Thiếu địa điểm",
            "topics": [scam_topic.pk],
            "day": "2026-12-05",
            "start": "11:00",
            "end": "08:00",
            "capacity": "25",
        },
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu." in html
    assert "Hãy chọn thôn, bon hoặc ghi địa chỉ." in html
    assert not Workshop.objects.exists()
