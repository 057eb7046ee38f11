"""Notices to volunteers: a secretary writes to teams or everyone on duty, a team leader
to their own team; those with `/v/` open see it live, the others get one SMS; each
notice is logged with who got it, and `/v/` lists the recent ones."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dispatch.models import NoticeDelivery, OutboundMessage, VolunteerNotice
from dispatch.push import broadcast, presence
from dispatch.sms.text import sms_size
from teams.models import Volunteer
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.live_fixtures import presence_redis  # noqa: F401 - fixture

SCAM_WAVE = (
    "Canh bao: dang co nguoi goi gia dien luc doi tien. Nhac ba con khong chuyen tien."
)


@pytest.fixture
def an_online(presence_redis, duc_an):  # noqa: F811 - fixture
    presence.mark_online(volunteer_id=duc_an.an.pk, connection="tab-1")
    return duc_an.an


def test_a_secretary_tells_everyone_on_duty_live_or_by_one_sms(
    client, duc_an, an_online, deliver
):
    client.force_login(duc_an.secretary.user)
    phone = listen(broadcast.volunteer_group(duc_an.an.pk))

    page = deliver(
        client.post,
        reverse("dispatch:notices"),
        {"text": SCAM_WAVE, "audience": "everyone"},
        follow=True,
    )

    on_duty = set(Volunteer.objects.filter(on_duty=True).values_list("pk", flat=True))
    notice = VolunteerNotice.objects.get()
    got = {d.volunteer_id: d.channel for d in notice.deliveries.all()}
    assert set(got) == on_duty
    assert got[duc_an.an.pk] == NoticeDelivery.Channel.LIVE
    assert got[duc_an.binh.pk] == NoticeDelivery.Channel.SMS
    assert duc_an.off_duty_cuong.pk not in got
    sms = OutboundMessage.objects.get(to_number=duc_an.binh.phone)
    assert sms.body == f"Cau Noi: {SCAM_WAVE}"
    assert sms_size(sms.body).segments == 1
    assert not OutboundMessage.objects.filter(to_number=duc_an.an.phone).exists()
    [pushed] = [m for m in drain(phone) if m["type"] == "volunteer.notice"]
    assert (
        pushed["text"] == SCAM_WAVE
        and pushed["author"] == duc_an.secretary.user.get_full_name()
    )
    html = page.content.decode()
    assert "Đã gửi thông báo cho" in html and "Trần Thị Bình · tin nhắn SMS" in html


def test_a_notice_to_chosen_teams_reaches_all_their_members(client, duc_an, deliver):
    client.force_login(duc_an.secretary.user)
    deliver(
        client.post,
        reverse("dispatch:notices"),
        {
            "text": "Cong dich vu cong bao tri chieu nay",
            "audience": "teams",
            "teams": [duc_an.team_nam_tien.pk, duc_an.team_thon_5.pk],
        },
    )
    notice = VolunteerNotice.objects.get()
    assert {d.volunteer for d in notice.deliveries.all()} == {
        duc_an.off_duty_cuong,
        duc_an.binh,
    }


def test_a_team_leader_writes_to_their_own_team_only(client, duc_an, deliver):
    duc_an.an.role = Volunteer.Role.LEADER
    duc_an.an.save()
    client.force_login(duc_an.an.user)
    page = client.get(reverse("dispatch:notices")).content.decode()
    assert "Gửi cho mọi thành viên Tổ Thôn 1." in page
    assert "Tổ Thôn 5" not in page
    deliver(
        client.post,
        reverse("dispatch:notices"),
        {"text": "Hop to 17h", "teams": [duc_an.team_thon_5.pk]},
    )
    notice = VolunteerNotice.objects.get()
    assert [d.volunteer for d in notice.deliveries.all()] == [duc_an.an]


def test_operators_and_members_may_not_send_notices(client, duc_an):
    for user in (duc_an.operator.user, duc_an.binh.user):
        client.force_login(user)
        assert client.get(reverse("dispatch:notices")).status_code == 403


def test_an_empty_notice_is_refused_with_a_message(client, duc_an):
    client.force_login(duc_an.secretary.user)
    response = client.post(
        reverse("dispatch:notices"), {"text": "   ", "audience": "everyone"}
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not VolunteerNotice.objects.exists()


def test_the_volunteer_page_lists_recent_notices(client, duc_an, deliver):
    client.force_login(duc_an.secretary.user)
    deliver(
        client.post,
        reverse("dispatch:notices"),
        {"text": SCAM_WAVE, "audience": "everyone"},
    )
    client.force_login(duc_an.binh.user)
    html = client.get(reverse("dispatch:volunteer_app")).content.decode()
    assert SCAM_WAVE in html and duc_an.secretary.user.get_full_name() in html
