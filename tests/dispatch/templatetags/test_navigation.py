"""The top bar on every page shows each role the pages it may use, and only those:
every link opens, and every page of the console it does not show is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from teams.models import Volunteer
from tests.dispatch.templatetags.console_pages import (
    CONSOLE,
    LEADER,
    OPERATOR,
    SECRETARY,
    VOLUNTEER,
)


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav id="site-pages".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def opens(client: Client, url: str) -> bool:
    """The page opens for use (`/training/me/` answers anyone signed in, telling
    someone who is not a volunteer that it is not for them)."""
    response = client.get(url)
    return (
        response.status_code == 200
        and "không phải tình nguyện viên" not in response.content.decode()
    )


def check_role(client: Client, user, expected: set[str]) -> None:
    client.force_login(user)
    html = client.get("/", follow=True).content.decode()
    assert set(nav_links(html)) == expected
    for url in sorted(CONSOLE):
        assert opens(client, url) == (url in expected), url


@pytest.mark.django_db
def test_a_secretary_sees_every_office_page_and_each_opens(client, duc_an) -> None:
    check_role(client, duc_an.secretary.user, SECRETARY)


@pytest.mark.django_db
def test_an_operator_sees_the_office_pages_but_not_data_subject_requests(
    client, duc_an
) -> None:
    check_role(client, duc_an.operator.user, OPERATOR)


@pytest.mark.django_db
def test_a_team_leader_sees_their_page_their_training_and_the_dashboard(
    client, duc_an
) -> None:
    duc_an.an.role = Volunteer.Role.LEADER
    duc_an.an.save()
    check_role(client, duc_an.an.user, LEADER)


@pytest.mark.django_db
def test_a_volunteer_sees_only_their_page_and_their_training(client, duc_an) -> None:
    check_role(client, duc_an.binh.user, VOLUNTEER)


@pytest.mark.django_db
def test_the_current_page_is_marked(client, duc_an) -> None:
    client.force_login(duc_an.secretary.user)
    html = client.get("/training/").content.decode()
    assert '<a href="/training/" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_someone_not_signed_in_is_offered_help_tracking_and_the_staff_login(
    client, duc_an
) -> None:
    html = client.get("/").content.decode()
    assert nav_links(html) == ["/help/", "/track/", "/guides/"]
    assert "Nhờ giúp đỡ" in html and "Tra cứu mã" in html
    assert 'href="/accounts/login/"' in html and "Cán bộ đăng nhập" in html
