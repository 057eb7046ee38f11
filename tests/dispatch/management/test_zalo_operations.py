"""Running the Zalo channel: the admin's settings and "test connection", token
warnings on the board, `manage.py zalo_status`, the volunteer's link code."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from dispatch.live import screens
from dispatch.models import HelpRequest, ZaloAccount, ZaloContact
from dispatch.sms.gateways import zalo
from tests.dispatch.providers import ZALO_OA_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(duc_an, zalo_api) -> ZaloAccount:
    return zalo.account_for_commune(duc_an.commune)


def test_zalo_status_prints_the_token_expiry_and_no_warning_when_healthy(
    account, zalo_api
):
    out = StringIO()
    call_command("zalo_status", "--test", stdout=out)

    text = out.getvalue()
    assert f"OA {ZALO_OA_ID}" in text
    assert "refresh token expires:" in text
    assert "connection: ok (Cầu Nối Đức An)" in text
    assert "!" not in text


def test_zalo_status_warns_a_week_before_the_refresh_token_expires(account):
    ZaloAccount.objects.update(refresh_expires_at=timezone.now() + timedelta(days=5))
    out = StringIO()

    with pytest.raises(SystemExit):
        call_command("zalo_status", stdout=out)

    assert "refresh token hết hạn lúc" in out.getvalue()


def test_zalo_status_says_off_without_settings(duc_an):
    out = StringIO()
    call_command("zalo_status", stdout=out)
    assert "Zalo: off" in out.getvalue()


def test_the_board_warns_when_a_refresh_failed(client, duc_an, account):
    ZaloAccount.objects.update(
        refresh_failed_at=timezone.now(), refresh_error="Zalo OAuth refused (-14014)"
    )
    client.force_login(duc_an.secretary.user)

    page = client.get("/board/").content.decode()

    assert "làm mới token thất bại" in page
    assert "-14014" in page


def test_the_board_has_no_zalo_warning_when_all_is_well(client, duc_an, account):
    client.force_login(duc_an.secretary.user)

    assert "Zalo OA" not in client.get("/board/").content.decode()


def test_the_secretary_tests_the_connection_from_the_admin(client, duc_an, account):
    client.force_login(duc_an.secretary.user)

    response = client.post(
        "/admin/dispatch/zaloaccount/",
        {"action": "check_connection", "_selected_action": [account.pk]},
        follow=True,
    )

    assert "kết nối tốt (Zalo trả lời: Cầu Nối Đức An)" in response.content.decode()


def test_the_admin_never_shows_the_oa_secrets(client, duc_an, account):
    client.force_login(duc_an.secretary.user)

    page = client.get(f"/admin/dispatch/zaloaccount/{account.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert account.oa_secret_key not in html
    assert account.access_token not in html


def test_a_volunteer_sees_the_link_code_on_v_until_linked(client, duc_an, account):
    client.force_login(duc_an.an.user)

    page = client.get("/v/").content.decode()

    code = duc_an.an.zalo_link_code.code
    assert f"LK {code}" in page
    ZaloContact.objects.create(account=account, user_id="1", volunteer=duc_an.an)
    page = client.get("/v/").content.decode()
    assert "Zalo của bạn đã liên kết" in page


def test_the_volunteer_page_says_nothing_of_zalo_when_it_is_off(client, duc_an):
    client.force_login(duc_an.an.user)

    assert "Zalo" not in client.get("/v/").content.decode()


def test_the_assignment_card_says_the_resident_is_reached_on_zalo(duc_an, account):
    from tests.personas import submit_for_lan

    request = submit_for_lan(duc_an)
    contact = ZaloContact.objects.create(account=account, user_id="42")
    HelpRequest.objects.filter(pk=request.pk).update(zalo_contact=contact)
    request.refresh_from_db()

    card = screens.assignment_card(request)

    assert card["contact_via"] == "liên hệ qua Zalo"
