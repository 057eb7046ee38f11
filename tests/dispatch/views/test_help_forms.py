"""Asking for help on the web: the public form and the operators' call form."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.models import Category, HelpRequest, OutboundMessage
from teams.models import StaffMember
from tests.dispatch.web_forms import filled, thon_5

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def test_the_form_opens_in_vietnamese_with_plain_category_descriptions(
    client, demo_commune
):
    page = client.get("/help/").content.decode()
    assert "Nhờ tổ hỗ trợ giúp" in page
    assert "Tạo hoặc đăng nhập tài khoản Cổng dịch vụ công." in page
    assert "Dùng vị trí hiện tại của tôi" in page
    assert "0261 3501 234" in page


def test_the_village_page_preselects_the_village(client, demo_commune):
    village = thon_5(demo_commune)
    page = client.get(f"/help/{village.slug}/").content.decode()
    assert f'<option value="{village.pk}" selected>' in page


def test_an_unknown_village_is_404(client, demo_commune):
    assert client.get("/help/khong-co-thon-nay/").status_code == 404


def test_a_filled_form_becomes_a_request_and_opens_its_tracking_page(
    client, demo_commune, deliver
):
    village = thon_5(demo_commune)
    response = deliver(client.post, f"/help/{village.slug}/", filled(village))

    request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/track/{request.code}"
    assert request.channel == "web"
    assert request.category == Category.VNEID
    assert request.village == village
    assert request.resident_phone == "+84912345678"
    assert request.is_elderly and request.home_visit
    assert request.consent_at is not None
    sms = OutboundMessage.objects.get(to_number="+84912345678")
    assert request.code in sms.body
    assert client.get(response["Location"]).status_code == 200


def test_errors_are_shown_next_to_their_fields_and_nothing_is_stored(
    client, demo_commune
):
    village = thon_5(demo_commune)
    response = client.post(
        "/help/", filled(village, resident_phone="12", consent="", category="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert HelpRequest.objects.count() == 0
    phone = page[
        page.index('id="field-resident_phone"') : page.index('id="field-resident_name"')
    ]
    assert "Số điện thoại chưa đúng" in phone
    assert "Cần bạn đồng ý" in page[page.index('id="field-consent"') :]
    assert "Hãy chọn một việc cần giúp." in page


def test_the_honeypot_stores_nothing(client, demo_commune):
    village = thon_5(demo_commune)
    response = client.post("/help/", filled(village, website="http://spam.example"))
    assert response.status_code == 400
    assert HelpRequest.objects.count() == 0


def test_one_phone_cannot_flood_the_teams(client, demo_commune, settings):
    settings.HELP_FORM_LIMIT_PER_PHONE = 2
    village = thon_5(demo_commune)
    for _ in range(2):
        assert client.post("/help/", filled(village)).status_code == 302
    response = client.post("/help/", filled(village))
    assert response.status_code == 400
    assert "Số này đã gửi nhiều yêu cầu" in response.content.decode()
    assert HelpRequest.objects.count() == 2


def test_one_ip_cannot_flood_the_teams(client, demo_commune, settings):
    settings.HELP_FORM_LIMIT_PER_IP = 1
    village = thon_5(demo_commune)
    assert client.post("/help/", filled(village)).status_code == 302
    response = client.post("/help/", filled(village, resident_phone="0987111222"))
    assert "Bạn đã gửi nhiều lần" in response.content.decode()
    assert HelpRequest.objects.count() == 1


def test_the_operator_form_needs_a_staff_login(client, demo_commune):
    response = client.get("/operator/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def an_operator_and_a_caller(client, demo_commune, deliver):
    """A resident asked once from Thôn 5; the client is signed in as an operator."""
    village = thon_5(demo_commune)
    deliver(client.post, "/help/", filled(village))
    operator = StaffMember.objects.filter(
        commune=demo_commune, role=StaffMember.Role.OPERATOR
    ).first()
    client.force_login(operator.user)
    return village, HelpRequest.objects.get(), operator


def test_an_operator_looks_up_a_caller_and_records_a_call(
    client, demo_commune, deliver
):
    village, first, operator = an_operator_and_a_caller(client, demo_commune, deliver)

    page = client.post("/operator/", {"phone": "0912345678", "lookup": "1"})
    html = page.content.decode()
    assert first.code in html
    assert f'<option value="{village.pk}" selected>' in html
    assert HelpRequest.objects.count() == 1  # looking up records nothing

    response = deliver(
        client.post,
        "/operator/",
        {
            "resident_phone": "0912345678",
            "village": village.pk,
            "category": "scam",
            "description": "Có người gọi xưng công an",
            "consent": "on",
        },
    )
    second = HelpRequest.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert second.channel == "operator"
    assert second.category == Category.SCAM
    assert second.events.filter(actor_user=operator.user).exists()


def test_the_operator_form_never_looks_up_a_phone_from_the_url(
    client, demo_commune, deliver
):
    village, first, operator = an_operator_and_a_caller(client, demo_commune, deliver)

    page = client.get("/operator/?phone=0912345678").content.decode()

    assert first.code not in page
    assert "Các lần trước của số này" not in page
    assert '<form method="post" class="card">' in page


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "village",
                "category",
                "resident_phone",
                "resident_name",
                "description",
                "flags",
                "consent",
                "lat",
                "lng",
                "website",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    )
)
def test_any_input_gives_a_page_or_the_tracking_page_never_a_500(demo_commune, fields):
    cache.clear()
    response = Client(raise_request_exception=False).post("/help/", fields)
    assert response.status_code in (302, 400)
