"""A scam request gets a pattern, the amount lost, the scammer's details (masked for
display, searchable by staff) and a police referral with the resident's consent: a
printable summary, one SMS to the commune police, a timeline entry the resident sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dispatch.models import (
    ConsentRecord,
    OutboundMessage,
    PoliceReferral,
    RequestEvent,
    ScamReport,
)
from dispatch.sms.text import sms_size
from tests.dispatch.scams.conftest import POLICE_PHONE
from tests.personas import client_for, nam_binh_commune, nam_binh_staff

SCAMMER = "0912.888.777, STK 0011002345678 Vietcombank"


def _record(client, request, pattern, **extra):
    data = {
        "pattern": pattern.pk,
        "amount_lost": "15000000",
        "lost_on": "2026-12-01",
        "scammer_contact": SCAMMER,
        "outcome": "lost",
    }
    data.update(extra)
    return client.post(
        reverse("dispatch:scam_report", args=[request.code]), data, follow=True
    )


def test_the_assigned_volunteer_records_the_scam_and_refers_it_to_the_police(
    client,
    duc_an,
    police,
    scam_request,
    fake_police,
    django_capture_on_commit_callbacks,
):
    client.force_login(duc_an.an.user)

    page = _record(client, scam_request, fake_police).content.decode()

    report = ScamReport.objects.get(request=scam_request)
    assert report.pattern == fake_police and report.amount_lost == 15_000_000
    assert "Đã ghi nhận vụ nghi lừa đảo." in page
    assert "giả công an – VNeID" in page and "đã mất tiền" in page
    # Masked for display: the phone's middle and the account's first digits hidden.
    assert "091****777" in page and "001*******678" in page
    assert "0912.888.777" not in page and "0011002345678" not in page

    refused = client.post(reverse("dispatch:scam_refer", args=[scam_request.code]))
    assert refused.status_code == 400
    assert "Hãy hỏi và đánh dấu khi người dân đã đồng ý." in refused.content.decode()
    assert not PoliceReferral.objects.exists()

    with django_capture_on_commit_callbacks(execute=False):
        done = client.post(
            reverse("dispatch:scam_refer", args=[scam_request.code]),
            {"consent": "on"},
            follow=True,
        )
    assert "Đã chuyển công an xã (+84263900113)." in done.content.decode()
    referral = PoliceReferral.objects.get()
    consent = referral.consent
    assert (consent.purpose, consent.method, consent.given) == (
        ConsentRecord.Purpose.POLICE_REFERRAL,
        ConsentRecord.Method.VOLUNTEER,
        True,
    )
    assert consent.request == scam_request
    sms = OutboundMessage.objects.get(to_number=POLICE_PHONE)
    assert sms.purpose == OutboundMessage.Purpose.REFERRAL
    assert scam_request.code in sms.body and "0912.888.777" in sms.body
    assert "gia cong an - VNeID" in sms.body and "15.000.000 dong" in sms.body
    assert sms_size(sms.body).encoding == "GSM-7"

    printed = client.get(reverse("dispatch:scam_referral_print", args=[referral.pk]))
    sheet = printed.content.decode()
    assert "Phiếu chuyển thông tin vụ nghi lừa đảo" in sheet
    assert "Công an xã Đức An" in sheet and "Bà Nguyễn Thị Lan" in sheet
    assert SCAMMER in sheet and "15.000.000 đồng" in sheet
    assert "Người dân đã đồng ý cho chuyển thông tin lúc" in sheet

    kinds = list(
        RequestEvent.objects.filter(request=scam_request).values_list("kind", flat=True)
    )
    assert "scam_recorded" in kinds and "police_referred" in kinds
    track = client.get(reverse("dispatch:track", args=[scam_request.code]))
    assert "Đã chuyển công an xã" in track.content.decode()
    assert "Ghi nhận vụ nghi lừa đảo" not in track.content.decode()


def test_a_secretary_sees_the_referral_on_the_request_timeline(
    client, duc_an, police, scam_request, fake_police
):
    client.force_login(duc_an.secretary.user)
    _record(client, scam_request, fake_police)
    client.post(
        reverse("dispatch:scam_refer", args=[scam_request.code]), {"consent": "on"}
    )
    page = client.get(reverse("dispatch:request_detail", args=[scam_request.code]))
    html = page.content.decode()
    assert "Đã chuyển công an xã" in html and "Ghi nhận vụ nghi lừa đảo" in html
    assert "Vụ nghi lừa đảo: xem, sửa, chuyển công an xã" in html
    assert PoliceReferral.objects.get().consent.method == ConsentRecord.Method.OPERATOR


def test_a_commune_without_a_police_contact_cannot_refer_and_says_why(
    client, duc_an, scam_request, fake_police
):
    client.force_login(duc_an.an.user)
    page = _record(client, scam_request, fake_police).content.decode()
    assert "Xã chưa cài số điện thoại công an xã. Hãy báo thư ký xã." in page
    response = client.post(
        reverse("dispatch:scam_refer", args=[scam_request.code]), {"consent": "on"}
    )
    assert response.status_code == 400
    assert "Xã chưa cài số điện thoại công an xã" in response.content.decode()
    assert not PoliceReferral.objects.exists()


def test_a_blank_contact_keeps_what_was_recorded(
    client, duc_an, scam_request, fake_police
):
    client.force_login(duc_an.an.user)
    _record(client, scam_request, fake_police)
    page = _record(
        client, scam_request, fake_police, scammer_contact="", outcome="attempt"
    )
    report = ScamReport.objects.get()
    assert report.scammer_contact == SCAMMER and report.outcome == "attempt"
    assert "Đã lưu: 091****777" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("assignee", True),
        ("secretary", True),
        ("other_volunteer", False),
        ("operator", False),
        ("other_commune_secretary", False),
    ],
)
def test_only_the_assignee_and_the_communes_secretaries_record_a_scam(
    duc_an, scam_request, who, sees
):
    users = {
        "assignee": lambda: duc_an.an.user,
        "secretary": lambda: duc_an.secretary.user,
        "other_volunteer": lambda: duc_an.binh.user,
        "operator": lambda: duc_an.operator.user,
        "other_commune_secretary": lambda: (
            nam_binh_staff(nam_binh_commune(), "secretary").user
        ),
    }
    client = client_for(users[who]())
    page = client.get(reverse("dispatch:scam_report", args=[scam_request.code]))
    html = page.content.decode()
    if sees:
        assert page.status_code == 200
        assert "Ghi nhận vụ việc" in html and "giả công an – VNeID" in html
    else:
        assert page.status_code == 404
        assert "Ghi nhận vụ việc" not in html and scam_request.code not in html
        posted = client.post(
            reverse("dispatch:scam_refer", args=[scam_request.code]), {"consent": "on"}
        )
        assert posted.status_code == 404
    assert not ScamReport.objects.exists()


def test_staff_find_a_scammer_by_any_part_of_the_number_but_see_it_masked(
    client, duc_an, scam_request, fake_police, leader_of_thon_1
):
    client.force_login(duc_an.an.user)
    _record(client, scam_request, fake_police)

    client.force_login(duc_an.secretary.user)
    found = client.get(reverse("dispatch:scams"), {"q": "888 777"}).content.decode()
    assert scam_request.code in found and "091****777" in found
    assert "0912.888.777" not in found
    missed = client.get(reverse("dispatch:scams"), {"q": "0999"}).content.decode()
    assert scam_request.code not in missed and "Không thấy vụ nào khớp" in missed

    client.force_login(leader_of_thon_1.user)  # leaders may not warn here: no page
    assert client.get(reverse("dispatch:scams")).status_code == 403
    client.force_login(duc_an.operator.user)
    assert client.get(reverse("dispatch:scams")).status_code == 403
