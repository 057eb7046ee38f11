"""A village warning: a secretary (or a team leader where the commune allows) warns the
volunteers of chosen villages — live if `/v/` is open, else one GSM-7 SMS — and the
residents who opted in by SMS, respecting quiet hours and the daily caps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import (
    ConsentRecord,
    InboundMessage,
    OutboundMessage,
    ScamWarning,
    WarningDelivery,
    WarningSubscription,
)
from dispatch.push import broadcast, presence
from dispatch.scams import services
from dispatch.sms.text import sms_size
from dispatch.tasks import process_inbound
from teams import rosters
from teams.models import Volunteer
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.live_fixtures import presence_redis  # noqa: F401 - fixture
from tests.dispatch.providers import fixture, post_twilio
from training.models import ScamPattern

HOA = "+84905111222"  # a resident of the commune who opts in by SMS
KHANH = "+84905111333"  # a resident of Bon Bu Bir who opted in


@pytest.fixture
def an_online(presence_redis, duc_an):  # noqa: F811 - fixture
    presence.mark_online(volunteer_id=duc_an.an.pk, connection="tab-1")
    return duc_an.an


@pytest.fixture
def electricity():
    return ScamPattern.objects.get(key="electricity")


def sms_from_resident(client, body: str, *, phone: str, sid: str) -> str:
    data = fixture("twilio_sms_inbound.json")
    data.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=phone)
    assert post_twilio(client, "/hooks/twilio/sms", data).status_code == 200
    earlier = set(
        OutboundMessage.objects.filter(to_number=phone).values_list("pk", flat=True)
    )
    process_inbound(InboundMessage.objects.get(provider_id=sid).pk)
    # Outbound ids are UUIDs (no order): the reply is the one row that is new.
    replies = OutboundMessage.objects.filter(to_number=phone).exclude(pk__in=earlier)
    assert replies.count() == 1, "one reply to each SMS"
    return replies.get().body


def test_a_resident_opts_in_and_out_of_warnings_by_sms(
    client, duc_an, fresh_rate_limits
):
    reply = sms_from_resident(client, "Nhận cảnh báo", phone=HOA, sid="SMwarn1")
    assert "da dang ky nhan canh bao lua dao" in reply and "HUY CANH BAO" in reply
    subscription = WarningSubscription.objects.get(phone=HOA)
    assert subscription.active and subscription.commune == duc_an.commune
    assert subscription.consent.purpose == ConsentRecord.Purpose.SCAM_WARNINGS
    assert subscription.consent.method == ConsentRecord.Method.SMS
    assert subscription.consent.given

    reply = sms_from_resident(client, "HUY CANH BAO", phone=HOA, sid="SMwarn2")
    assert "da dung gui canh bao" in reply
    assert not WarningSubscription.objects.get(phone=HOA).active
    withdrawn = ConsentRecord.objects.filter(phone=HOA).latest("pk")
    assert (withdrawn.purpose, withdrawn.given) == ("scam_warnings", False)


def test_a_warning_to_two_villages_reaches_their_volunteers_and_opted_in_residents(
    client, duc_an, an_online, electricity, deliver, fresh_rate_limits
):
    sms_from_resident(client, "NHAN CANH BAO", phone=HOA, sid="SMwarn3")
    services.subscribe_to_warnings(
        commune=duc_an.commune, phone=KHANH, method="form", village=duc_an.bu_bir
    )
    phone = listen(broadcast.volunteer_group(duc_an.an.pk))
    client.force_login(duc_an.secretary.user)

    page = deliver(
        client.post,
        reverse("dispatch:scam_warnings"),
        {
            "pattern": electricity.pk,
            "villages": [duc_an.thon_1.pk, duc_an.thon_5.pk],
            "what_to_do": "",
            "never_do": "",
            "to_residents": "on",
        },
        follow=True,
    )

    warning = ScamWarning.objects.get()
    got = {d.phone: d.channel for d in warning.deliveries.all()}
    assert got == {
        duc_an.an.phone: WarningDelivery.Channel.LIVE,
        duc_an.binh.phone: WarningDelivery.Channel.SMS,
        HOA: WarningDelivery.Channel.SMS,
    }  # not Y Đam (Bon Bu Bir), not Khánh (opted in for Bon Bu Bir)
    expected = (
        "Cau Noi canh bao lua dao: gia dien luc. Nen: Xem hoa don trong ung dung "
        "dien luc. Khong: Chuyen tien theo so nguoi goi dua."
    )
    for number in (duc_an.binh.phone, HOA):
        sms = OutboundMessage.objects.get(to_number=number, purpose="warning")
        assert sms.body == expected
        assert sms_size(sms.body) == sms_size(expected) and sms.segments == 1
        assert sms.encoding == "GSM-7"
    assert not OutboundMessage.objects.filter(to_number=duc_an.an.phone).exists()
    [pushed] = [m for m in drain(phone) if m.get("kind") == "scam_warning"]
    assert pushed["text"] == expected and pushed["type"] == "volunteer.notice"
    html = page.content.decode()
    assert "Đã gửi cảnh báo cho 3 người." in html
    assert "Trần Thị Bình · tin nhắn SMS" in html
    assert "Người dân đã đăng ký · tin nhắn SMS" in html
    assert "Hôm nay đã gửi 1/2 cảnh báo." in html


def test_quiet_hours_hold_the_sms_but_not_the_live_warning(
    duc_an, an_online, electricity, django_capture_on_commit_callbacks
):
    local = rosters.local_now(duc_an.commune, timezone.now())
    duc_an.commune.quiet_from = (local - dt.timedelta(hours=1)).time()
    duc_an.commune.quiet_until = (local + dt.timedelta(hours=1)).time()
    duc_an.commune.save()
    phone = listen(broadcast.volunteer_group(duc_an.an.pk))

    with django_capture_on_commit_callbacks(execute=True):
        warning = services.send_warning(
            author=duc_an.secretary.user,
            commune=duc_an.commune,
            pattern=electricity,
            villages=[duc_an.thon_1, duc_an.thon_5],
            what_to_do=electricity.what_to_do,
            never_do=electricity.never_do,
        )

    assert [m["kind"] for m in drain(phone) if "kind" in m] == ["scam_warning"]
    assert not OutboundMessage.objects.filter(purpose="warning").exists()
    assert warning.sms_from > timezone.now() + dt.timedelta(minutes=50)
    assert services.send_held_warnings() == 0  # still quiet
    later = timezone.now() + dt.timedelta(hours=1, minutes=5)
    assert services.send_held_warnings(now=later) == 1
    assert OutboundMessage.objects.get(purpose="warning").to_number == duc_an.binh.phone
    assert services.send_held_warnings(now=later) == 0  # safe to run twice


def test_the_daily_caps_refuse_a_third_warning_and_text_nobody_twice(
    client, duc_an, electricity
):
    client.force_login(duc_an.secretary.user)
    form = {"pattern": electricity.pk, "villages": [duc_an.thon_5.pk]}
    client.post(reverse("dispatch:scam_warnings"), form)
    second = ScamPattern.objects.get(key="relative_hospital")
    client.post(reverse("dispatch:scam_warnings"), {**form, "pattern": second.pk})
    third = client.post(reverse("dispatch:scam_warnings"), form)

    assert ScamWarning.objects.count() == 2
    assert third.status_code == 400
    assert "Hôm nay xã đã gửi đủ 2 cảnh báo; hãy gửi vào ngày mai." in (
        third.content.decode()
    )
    # Bình got the first warning by SMS; the second reached nobody new.
    assert OutboundMessage.objects.filter(to_number=duc_an.binh.phone).count() == 1


def test_a_warning_longer_than_one_sms_is_refused_with_its_length(
    client, duc_an, electricity
):
    client.force_login(duc_an.secretary.user)
    response = client.post(
        reverse("dispatch:scam_warnings"),
        {
            "pattern": electricity.pk,
            "villages": [duc_an.thon_5.pk],
            "what_to_do": "Xem hoá đơn trong ứng dụng chính thức của điện lực, gọi tổng đài",
            "never_do": "Chuyển tiền, đọc mã OTP, bấm đường link lạ, cài ứng dụng lạ",
        },
    )
    assert response.status_code == 400
    assert "quá một tin SMS (160)" in response.content.decode()
    assert not ScamWarning.objects.exists()


def test_team_leaders_warn_their_own_villages_only_where_the_commune_allows(
    client, duc_an, leader_of_thon_1, electricity
):
    client.force_login(leader_of_thon_1.user)
    refused = client.get(reverse("dispatch:scam_warnings"))
    assert refused.status_code == 403
    assert "Thôn được cảnh báo" not in refused.content.decode()

    services.save_settings(commune=duc_an.commune, leaders_may_warn=True)
    page = client.get(reverse("dispatch:scam_warnings")).content.decode()
    assert "Thôn được cảnh báo" in page and duc_an.thon_1.name in page
    assert duc_an.thon_5.name not in page
    other_village = client.post(
        reverse("dispatch:scam_warnings"),
        {"pattern": electricity.pk, "villages": [duc_an.thon_5.pk]},
    )
    assert other_village.status_code == 400 and not ScamWarning.objects.exists()


@pytest.mark.parametrize("who", ["operator", "volunteer"])
def test_operators_and_volunteers_send_no_warnings(client, duc_an, who):
    user = duc_an.operator.user if who == "operator" else duc_an.binh.user
    client.force_login(user)
    response = client.get(reverse("dispatch:scam_warnings"))
    assert response.status_code == 403
    assert "Gửi cảnh báo" not in response.content.decode()
    assert Volunteer.objects.filter(user=user).exists() == (who == "volunteer")


def test_the_warning_page_speaks_english_when_the_secretary_switches(client, duc_an):
    client.force_login(duc_an.secretary.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("dispatch:scam_warnings")).content.decode()
    assert "Scam warning for villages" in page and "Villages to warn" in page
    assert "Cảnh báo lừa đảo cho thôn" not in page


def test_a_volunteer_who_also_opted_in_as_a_resident_hears_it_once(duc_an, electricity):
    services.subscribe_to_warnings(
        commune=duc_an.commune, phone=duc_an.binh.phone, method="sms"
    )
    warning = services.send_warning(
        author=duc_an.secretary.user,
        commune=duc_an.commune,
        pattern=electricity,
        villages=[duc_an.thon_5],
        what_to_do=electricity.what_to_do,
        never_do=electricity.never_do,
        to_residents=True,
    )
    [delivery] = warning.deliveries.all()
    assert delivery.volunteer == duc_an.binh
    assert OutboundMessage.objects.filter(to_number=duc_an.binh.phone).count() == 1


def test_a_volunteer_who_linked_zalo_gets_the_warning_on_zalo_not_by_sms(
    duc_an, electricity, zalo_api, sync_tasks, django_capture_on_commit_callbacks
):
    from dispatch.models import ZaloContact
    from dispatch.sms.gateways import zalo

    ZaloContact.objects.create(
        account=zalo.account_for_commune(duc_an.commune),
        user_id="7000000000000000042",
        volunteer=duc_an.binh,
        last_user_message_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.send_warning(
            author=duc_an.secretary.user,
            commune=duc_an.commune,
            pattern=electricity,
            villages=[duc_an.thon_5],
            what_to_do=electricity.what_to_do,
            never_do=electricity.never_do,
        )

    [text] = zalo_api.texts_to("7000000000000000042")
    assert text.startswith("Cau Noi canh bao lua dao: gia dien luc.")
    assert not OutboundMessage.objects.filter(
        to_number=duc_an.binh.phone, purpose="warning", transport="sms"
    ).exists()
