"""A volunteer earns a certificate, verifies it, and stops counting when it expires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from training import services
from training.models import Certificate, Topic, add_months
from training.selectors import (
    certificate_status,
    certified_volunteers,
    requires_certificate,
)


def test_it_certifies_a_volunteer_who_attended_practised_and_passed(
    hong, workshop, certify, client
):
    certificates = certify(hong, workshop)

    assert [c.topic.key for c in certificates] == ["scam"]
    page = client.get(f"/verify/{certificates[0].code}")
    assert page.status_code == 200
    assert "Còn hiệu lực" in page.content.decode()


def test_the_verify_page_shows_initials_and_team_but_not_the_name(
    hong, workshop, certify, client
):
    code = certify(hong, workshop)[0].code

    html = client.get(f"/verify/{code}").content.decode()

    assert "N.T.H." in html
    assert "Tổ Bon Bu Bir" in html
    assert "Nguyễn Thị Hồng" not in html
    assert hong.phone not in html


def test_after_expiry_the_page_says_expired_and_routing_no_longer_counts_it(
    hong, minh, workshop, certify, client, monkeypatch
):
    certificate = certify(hong, workshop)[0]
    expires = certificate.expires_at
    assert expires == add_months(certificate.issued_at, 12)

    just_before = expires - dt.timedelta(seconds=1)
    assert list(certified_volunteers(category="scam", at=just_before)) == [hong]

    monkeypatch.setattr(timezone, "now", lambda: expires)
    assert "Đã hết hạn" in client.get(f"/verify/{certificate.code}").content.decode()
    assert not certified_volunteers(category="scam").exists()
    assert not certified_volunteers(category="scam", at=expires).exists()


def test_an_uncertified_volunteer_is_never_in_the_gate(hong, minh, workshop, certify):
    certify(hong, workshop)

    gate = certified_volunteers(category="scam")

    assert minh not in gate
    assert hong in gate


def test_a_revoked_certificate_stops_counting_and_says_revoked(
    hong, workshop, certify, client, secretary
):
    certificate = certify(hong, workshop)[0]

    services.revoke_certificate(
        certificate=certificate, reason="Giữ mật khẩu của người dân", by=secretary
    )

    assert not certified_volunteers(category="scam").exists()
    assert certificate_status(certificate.code).status == "revoked"
    assert "Đã bị thu hồi" in client.get(f"/verify/{certificate.code}").content.decode()


def test_a_portal_certificate_qualifies_for_portal_and_dossier_but_not_scams(
    hong, commune, bu_bir, certify
):
    portal = Topic.objects.get(key="portal")
    now = timezone.now()
    workshop = commune.workshops.create(
        title="Cổng dịch vụ công",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        village=bu_bir,
    )
    workshop.topics.add(portal)

    certificates = certify(hong, workshop)

    assert [c.topic.key for c in certificates] == ["portal"]
    assert certificates[0].expires_at == add_months(certificates[0].issued_at, 24)
    assert hong in certified_volunteers(category="portal")
    assert hong in certified_volunteers(category="dossier")
    assert hong not in certified_volunteers(category="scam")
    assert hong not in certified_volunteers(category="other")


def test_no_certificate_without_the_quiz_for_scams(hong, workshop, hoa_trainer):
    now = timezone.now()
    services.enrol_volunteer(workshop=workshop, volunteer=hong)
    services.check_in_with_token(
        workshop=workshop,
        volunteer=hong,
        token=services.checkin_token(workshop=workshop, at=now),
        now=now,
    )
    for step in workshop.topics.get().steps.all():
        services.set_step_done(volunteer=hong, step=step, done=True, by=hoa_trainer)

    assert not Certificate.objects.filter(volunteer=hong).exists()


def test_issuing_twice_creates_one_certificate(hong, workshop, certify):
    certify(hong, workshop)

    assert services.issue_due_certificates(volunteer=hong) == []
    assert hong.certificates.count() == 1


def test_the_commune_setting_decides_which_categories_need_a_certificate(commune):
    assert requires_certificate(commune=commune, category="scam")
    assert not requires_certificate(commune=commune, category="vneid")

    commune.certification_required = ["scam", "epayment"]
    commune.save()

    assert requires_certificate(commune=commune, category="epayment")


def test_an_empty_commune_setting_still_gates_scams(commune):
    commune.certification_required = []
    commune.save()

    assert requires_certificate(commune=commune, category="scam")
    assert not requires_certificate(commune=commune, category="portal")


def test_sms_verification_reads_the_status_by_code_in_any_form(hong, workshop, certify):
    certificate = certify(hong, workshop)[0]
    typed = certificate.grouped_code.lower().replace("-", " ")

    status = certificate_status(typed)

    assert status.status == "valid"
    assert status.topic == "Nhận diện và phòng chống lừa đảo trực tuyến"
    assert status.holder_initials == "N.T.H."


@pytest.mark.parametrize("code", ["KHONGCOMA", "ZZZZ-ZZZZ-ZZZZ", "<script>"])
def test_an_unknown_code_gets_a_friendly_not_found_page(db, client, code):
    page = client.get(f"/verify/{code}")

    assert page.status_code == 404
    assert "Không tìm thấy chứng nhận" in page.content.decode()
    assert certificate_status(code) is None
