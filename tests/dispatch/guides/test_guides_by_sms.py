"""Residents text `HD <từ khoá>` and get the guide's key steps and its link: GSM-7, at
most two segments, whatever the commune's SMS mode; unknown words keep the old meaning."""

from __future__ import annotations

import itertools

import pytest

from dispatch.models import Guide, GuideSend, HelpRequest, OutboundMessage
from dispatch.sms.text import sms_size
from tests.dispatch.providers import fixture, post_twilio

_sids = itertools.count(1)
RESIDENT = "+84912000111"


@pytest.fixture
def text_hotline(client, deliver, duc_an, starter_guides):
    def send(body: str) -> OutboundMessage:
        sid = f"SMG{next(_sids):06d}"
        data = fixture("twilio_sms_inbound.json")
        data.update(
            Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=RESIDENT
        )
        deliver(post_twilio, client, "/hooks/twilio/sms", data)
        reply = (
            OutboundMessage.objects.filter(to_number=RESIDENT)
            .order_by("-created_at")
            .first()
        )
        assert reply is not None, body
        return reply

    return send


def two_gsm7_segments_at_most(text: str) -> bool:
    size = sms_size(text)
    return size.encoding == "GSM-7" and size.segments <= 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["HD vneid", "hd VNeID", "Hướng dẫn vneid", "HD dinh danh"]
)
def test_hd_vneid_answers_the_activation_steps_with_the_link(
    text_hotline, body, settings
):
    requests_before = HelpRequest.objects.count()

    reply = text_hotline(body)

    assert reply.body.startswith("Cau Noi HD VNEID: 1.Cho tin nhan da phe duyet")
    assert "Nhap OTP" in reply.body
    assert reply.body.endswith(f"Xem: {settings.PUBLIC_BASE_URL}/g/vneid")
    assert two_gsm7_segments_at_most(reply.body)
    assert HelpRequest.objects.count() == requests_before  # a guide, not a request
    assert GuideSend.objects.get().guide.keyword == "vneid"


@pytest.mark.django_db
def test_every_starter_guide_fits_two_gsm7_segments_with_its_link(text_hotline):
    for guide in Guide.objects.filter(published=True):
        reply = text_hotline(f"HD {guide.keyword}")
        assert reply.body.startswith(f"Cau Noi HD {guide.keyword.upper()}:"), guide.slug
        assert reply.body.endswith(f"/g/{guide.keyword}"), reply.body
        assert two_gsm7_segments_at_most(reply.body), (guide.slug, len(reply.body))
    assert Guide.objects.filter(published=True).count() >= 10


@pytest.mark.django_db
def test_a_commune_with_diacritics_in_sms_still_gets_the_guide_in_gsm7(
    text_hotline, duc_an
):
    duc_an.commune.sms_unaccented = False
    duc_an.commune.save()

    reply = text_hotline("HD khai sinh")

    assert reply.body.startswith("Cau Noi HD KHAISINH:")
    assert two_gsm7_segments_at_most(reply.body)


@pytest.mark.django_db
def test_an_edited_guide_that_grew_too_long_is_cut_and_keeps_its_link(text_hotline):
    Guide.objects.filter(keyword="vneid").update(sms_vi="Buoc tiep theo rat dai. " * 12)

    reply = text_hotline("HD vneid")

    assert two_gsm7_segments_at_most(reply.body)
    assert reply.body.endswith("/g/vneid")
    assert "..." in reply.body


@pytest.mark.django_db
def test_hd_with_a_topic_no_guide_has_keeps_its_old_meaning(text_hotline):
    assert "TT <ma>" in text_hotline("HD sms").body  # the list of commands
    requests_before = HelpRequest.objects.count()

    reply = text_hotline("Huong dan giup Can giup kich hoat VNeID muc 2")

    assert HelpRequest.objects.count() == requests_before + 1  # a plea stays a request
    assert reply.request is not None


@pytest.mark.django_db
def test_an_unpublished_guide_is_not_sent(text_hotline):
    Guide.objects.filter(keyword="vneid").update(published=False)

    reply = text_hotline("HD vneid")

    assert "/g/vneid" not in reply.body


@pytest.mark.django_db
def test_a_volunteer_texting_hd_gets_the_guide_too(
    client, deliver, duc_an, starter_guides
):
    data = fixture("twilio_sms_inbound.json")
    data.update(
        Body="HD khaisinh",
        MessageSid="SMGVOL1",
        SmsSid="SMGVOL1",
        SmsMessageSid="SMGVOL1",
        From=duc_an.an.phone,
    )

    deliver(post_twilio, client, "/hooks/twilio/sms", data)

    reply = OutboundMessage.objects.get(to_number=duc_an.an.phone)
    assert reply.body.startswith("Cau Noi HD KHAISINH:")
