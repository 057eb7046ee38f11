"""Ten wrong codes for one phone in a day lock its code sign-in, whatever address the
guesses come from, until a leader of the team or a secretary of the commune unlocks it;
the volunteer is told by SMS each time."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from dispatch.models import LoginLock, OutboundMessage
from teams.models import StaffMember
from tests.personas import SON, nam_binh_commune, nam_binh_staff, nam_binh_team

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]
LOCKED = "đã bị khoá vì nhập sai quá nhiều lần"


def address(n: int) -> str:
    return f"10.7.{n}.1"


def texts_to(phone: str) -> list[str]:
    return list(
        OutboundMessage.objects.filter(to_number=phone)
        .order_by("created_at")
        .values_list("body", flat=True)
    )


def guess_wrong(phone_typed: str, times: int, *, start: int = 0) -> str:
    """`times` wrong codes, each from another address, asking a new code whenever the
    last one took its five tries; the last page's text."""
    page, client = "", Client()
    for n in range(start, start + times):
        if (n - start) % 5 == 0:
            client.post("/v/login/", {"phone": phone_typed}, REMOTE_ADDR=address(n))
        page = client.post(
            "/v/login/code/", {"code": "000000"}, REMOTE_ADDR=address(n)
        ).content.decode()
    return page


def sign_in(phone_typed: str, phone: str, n: int = 99) -> Client:
    client = Client(REMOTE_ADDR=address(n))
    client.post("/v/login/", {"phone": phone_typed})
    body = OutboundMessage.objects.filter(to_number=phone, purpose="login_code").latest(
        "created_at"
    )
    code = re.search(r"\b(\d{6})\b", body.body)
    if code is not None:
        client.post("/v/login/code/", {"code": code.group(1)})
    return client


def test_ten_wrong_codes_from_ten_addresses_lock_the_phone_and_text_the_volunteer(
    duc_an,
):
    last = guess_wrong("0912 000 001", 10)

    assert LOCKED in last
    assert LoginLock.objects.filter(phone=duc_an.an.phone).count() == 1
    assert any("bi khoa" in t or "bị khoá" in t for t in texts_to(duc_an.an.phone))


def test_a_locked_phone_gets_no_new_code_and_the_right_one_does_not_sign_in(duc_an):
    guess_wrong("0912 000 001", 10)
    codes_before = OutboundMessage.objects.filter(purpose="login_code").count()

    client = sign_in("0912 000 001", duc_an.an.phone, n=200)

    assert OutboundMessage.objects.filter(purpose="login_code").count() == codes_before
    assert "_auth_user_id" not in client.session
    assert LOCKED in client.post("/v/login/code/", {"code": "123456"}).content.decode()


def test_nine_wrong_codes_do_not_lock(duc_an):
    guess_wrong("0912 000 001", 9)

    client = sign_in("0912 000 001", duc_an.an.phone, n=300)

    assert "_auth_user_id" in client.session
    assert not LoginLock.objects.exists()


def test_the_team_leader_unlocks_and_the_volunteer_signs_in_again(
    duc_an, leader_of_thon_1
):
    guess_wrong("0912 000 001", 10)
    lock = LoginLock.objects.get()
    office = Client()
    office.force_login(leader_of_thon_1.user)

    page = office.get("/v/locks/").content.decode()
    done = office.post("/v/locks/", {"lock": lock.pk}, follow=True).content.decode()

    assert "Nguyễn Văn An" in page and "Mở khoá" in page
    assert "Đã mở khoá cho Nguyễn Văn An." in done
    assert "Không có số nào đang bị khoá." in done
    assert any("mo khoa" in t or "mở khoá" in t for t in texts_to(duc_an.an.phone))
    client = sign_in("0912 000 001", duc_an.an.phone, n=400)
    assert "_auth_user_id" in client.session


def test_the_leaders_app_links_to_the_unlock_page(duc_an, leader_of_thon_1):
    office = Client()
    office.force_login(leader_of_thon_1.user)

    assert "/v/locks/" in office.get("/v/").content.decode()


def test_others_neither_see_nor_lift_the_lock(duc_an):
    guess_wrong("0912 000 001", 10)
    lock = LoginLock.objects.get()
    other = nam_binh_commune()
    other_leader = SON.join(nam_binh_team(other))
    other_secretary = nam_binh_staff(other, StaffMember.Role.SECRETARY)
    for user in (
        duc_an.binh.user,
        duc_an.operator.user,
        other_leader.user,
        other_secretary.user,
    ):
        client = Client()
        client.force_login(user)
        page = client.get("/v/locks/").content.decode()
        client.post("/v/locks/", {"lock": lock.pk})
        client.post(
            "/admin/dispatch/loginlock/",
            {"action": "unlock", "_selected_action": [lock.pk]},
        )
        assert "Nguyễn Văn An" not in page
    lock.refresh_from_db()
    assert lock.unlocked_at is None


def test_a_secretary_unlocks_from_the_admin(duc_an):
    guess_wrong("0912 000 001", 10)
    lock = LoginLock.objects.get()
    office = Client()
    office.force_login(duc_an.secretary.user)

    listing = office.get("/admin/dispatch/loginlock/").content.decode()
    office.post(
        "/admin/dispatch/loginlock/",
        {"action": "unlock", "_selected_action": [lock.pk]},
    )

    assert "Nguyễn Văn An" in listing
    lock.refresh_from_db()
    assert lock.unlocked_by == duc_an.secretary.user
    assert "_auth_user_id" in sign_in("0912 000 001", duc_an.an.phone).session


def test_a_new_lock_after_an_unlock_needs_ten_new_wrong_codes(duc_an, leader_of_thon_1):
    guess_wrong("0912 000 001", 10)
    office = Client()
    office.force_login(leader_of_thon_1.user)
    office.post("/v/locks/", {"lock": LoginLock.objects.get().pk})

    cache.clear()  # a quarter of an hour later: new codes may be asked for
    guess_wrong("0912 000 001", 9, start=500)

    assert not LoginLock.objects.filter(unlocked_at__isnull=True).exists()
    assert LOCKED in guess_wrong("0912 000 001", 1, start=600)
