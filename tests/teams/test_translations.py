"""Pages are Vietnamese by default and English when the user switches language."""

from __future__ import annotations

import re

import pytest
from django.test import Client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def switch_to(client: Client, language: str, next_url: str = "/accounts/login/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


@pytest.mark.django_db
def test_the_login_page_is_vietnamese_by_default(client: Client) -> None:
    page = text_of(client.get("/accounts/login/"))
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page  # Django's own strings
    assert "Log in" not in page


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_vietnamese(client: Client, secretary) -> None:
    response = client.post(
        "/accounts/login/", {"username": "thuky", "password": "sai-mat-khau"}
    )
    assert "phân biệt chữ hoa và chữ thường" in text_of(response)


@pytest.mark.django_db
def test_the_admin_login_page_is_vietnamese_by_default(client: Client) -> None:
    page = text_of(client.get("/admin/login/"))
    assert "Cầu Nối — quản trị" in page
    assert "Tên đăng nhập" in page and "Đăng nhập" in page
    assert "Django administration" not in page


@pytest.mark.django_db
def test_the_admin_is_vietnamese_for_the_secretary(client: Client, secretary) -> None:
    client.force_login(secretary)
    page = text_of(client.get("/admin/teams/volunteer/"))
    assert "tình nguyện viên" in page.lower()
    assert "Chọn tình nguyện viên để thay đổi" in page  # Django's own admin string


@pytest.mark.django_db
def test_switching_to_english_translates_the_login_page(client: Client) -> None:
    response = switch_to(client, "en")
    assert response.status_code == 302
    page = text_of(client.get("/accounts/login/"))
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "For commune staff, team leaders and support-team volunteers." in page
    assert "Đăng nhập" not in page


@pytest.mark.django_db
def test_switching_to_english_translates_the_home_page(
    client: Client, secretary, leader_bu_bir, hong_on_duty
) -> None:
    client.force_login(secretary)
    switch_to(client, "en", "/")
    page = text_of(client.get("/"))
    assert "Support teams of Đức An commune" in page
    assert "1 team" in page and "2 members" in page and "2 on duty" in page
    assert "Leader: Điểu Bríu" in page and "Log out" in page
    switch_to(client, "vi", "/")
    assert "Các tổ hỗ trợ xã Đức An" in text_of(client.get("/"))


@pytest.mark.django_db
def test_switching_to_english_translates_the_admin(client: Client, secretary) -> None:
    client.force_login(secretary)
    switch_to(client, "en", "/admin/")
    page = text_of(client.get("/admin/"))
    assert "Cầu Nối — administration" in page and "Commune registry" in page


@pytest.mark.django_db
def test_an_english_phone_still_gets_vietnamese_until_the_user_switches(
    client: Client,
) -> None:
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    assert "Tên đăng nhập" in text_of(client.get("/accounts/login/", **english_browser))
    switch_to(client, "en")
    assert "Username" in text_of(client.get("/accounts/login/", **english_browser))
