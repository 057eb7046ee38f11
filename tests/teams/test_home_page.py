"""The staff home page lists every team with its village, leader and counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from teams.models import Volunteer
from teams.selectors import team_overview
from tests.personas import PASSWORD, make_volunteer


@pytest.fixture
def staffed_commune(
    duc_an, team_thon_1, specialists, leader_bu_bir, hong_on_duty, hung_off_duty
):
    make_volunteer(specialists, "Phạm Minh Khoa", "0905 000 111", on_duty=True)
    return duc_an


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def team_card(response, name: str) -> str:
    """The visible text of one team's card."""
    cards = response.content.decode().split('<li class="team')[1:]
    card = next(c for c in cards if f"<h2>{name}</h2>" in c)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.split("</li>")[0]))


@pytest.mark.django_db
def test_anonymous_visitors_may_ask_for_help_track_a_code_or_log_in(
    client: Client,
) -> None:
    response = client.get("/")
    page = text_of(response)
    assert response.status_code == 200
    assert "Nhờ giúp đỡ" in page and "Tra cứu mã" in page
    html = response.content.decode()
    assert 'href="/help/"' in html and 'href="/track/"' in html
    assert 'href="/accounts/login/"' in html


def test_the_secretary_sees_each_team_with_village_leader_and_counts(
    client: Client, secretary, staffed_commune
) -> None:
    client.force_login(secretary)
    response = client.get("/")
    page = text_of(response)
    assert "Các tổ hỗ trợ xã Đức An" in page
    assert "3 tổ" in page
    bu_bir = team_card(response, "Tổ Bon Bu Bir")
    assert "Bon Bu Bir" in bu_bir
    assert "Tổ trưởng: Điểu Bríu" in bu_bir
    assert "3 thành viên" in bu_bir and "2 đang trực" in bu_bir
    thon_1 = team_card(response, "Tổ Thôn 1")
    assert "Tổ trưởng: chưa có" in thon_1 and "0 thành viên" in thon_1
    assert "Cả xã — tổ chuyên viên" in page
    assert page.index("Tổ Thôn 1") < page.index("Tổ Bon Bu Bir")
    assert page.index("Tổ Bon Bu Bir") < page.index("Tổ chuyên viên xã")


def test_inactive_volunteers_are_not_counted(
    client: Client, secretary, staffed_commune, hong_on_duty: Volunteer
) -> None:
    hong_on_duty.active = False
    hong_on_duty.save()
    client.force_login(secretary)
    bu_bir = team_card(client.get("/"), "Tổ Bon Bu Bir")
    assert "2 thành viên" in bu_bir and "1 đang trực" in bu_bir


def test_an_operator_without_admin_access_also_sees_the_teams(
    client: Client, operator, staffed_commune
) -> None:
    client.force_login(operator)
    page = text_of(client.get("/"))
    assert "Tổ Bon Bu Bir" in page
    assert "Quản trị" not in page  # no admin link without admin access


def test_the_team_list_takes_the_same_few_queries_for_any_number_of_teams(
    staffed_commune, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        teams = list(team_overview(commune=staffed_commune))
        names = [[v.name for v in t.villages.all()] for t in teams]
    assert names == [["Thôn 1"], ["Bon Bu Bir"], []]


def test_a_volunteer_gets_a_short_page_of_their_own(
    client: Client, staffed_commune, hong_on_duty: Volunteer
) -> None:
    # The volunteer page (/v/, the live-assignments issue) is that page now.
    assert client.login(username=hong_on_duty.user.username, password=PASSWORD)
    response = client.get("/", follow=True)
    page = text_of(response)
    assert response.status_code == 200
    assert response.redirect_chain == [("/v/", 302)]
    assert "Nguyễn Thị Hồng" in page
    assert "Tổ Bon Bu Bir" in page
    assert "Tổ Thôn 1" not in page


def test_an_account_without_a_role_is_told_whom_to_ask(
    client: Client, django_user_model, duc_an
) -> None:
    client.force_login(django_user_model.objects.create_user("khach"))
    assert "Hãy liên hệ thư ký xã" in text_of(client.get("/"))


def test_the_header_shows_the_product_the_user_and_logout(
    client: Client, secretary, staffed_commune
) -> None:
    client.force_login(secretary)
    html = client.get("/").content.decode()
    assert "Cầu Nối" in html and "Trần Thị Ngọc" in html
    assert 'action="/accounts/logout/"' in html and "Đăng xuất" in html
    assert 'action="/i18n/setlang/"' in html
    assert "/static/css/app.css" in html


def test_logging_out_returns_to_the_login_page(client: Client, secretary) -> None:
    client.force_login(secretary)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "Cán bộ đăng nhập" in text_of(client.get("/"))


def test_a_sample_commune_is_labelled_on_every_page(
    client: Client, secretary, duc_an
) -> None:
    client.force_login(secretary)
    assert "DỮ LIỆU MẪU" not in text_of(client.get("/"))
    duc_an.is_sample = True
    duc_an.save()
    assert "DỮ LIỆU MẪU" in text_of(client.get("/"))
    assert "DỮ LIỆU MẪU" in text_of(client.get("/admin/"))


@pytest.mark.urls("tests.teams.urls_with_volunteer_page")
def test_a_volunteer_is_sent_to_the_volunteer_page_once_it_exists(
    client: Client, staffed_commune, hong_on_duty: Volunteer
) -> None:
    client.force_login(hong_on_duty.user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/v/"
