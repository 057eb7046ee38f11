"""Everywhere a resident is told how to reach us: the Zalo OA when it is configured."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from dispatch.views.poster_sheets import poster_svg
from teams.models import Village
from tests.dispatch.providers import ZALO_OA_ID
from tests.personas import submit_for_lan

pytestmark = pytest.mark.django_db

FOLLOW = f"https://zalo.me/{ZALO_OA_ID}"


def test_the_poster_carries_the_oa_follow_link_as_a_second_qr(demo_commune, zalo_api):
    village = Village.objects.filter(commune=demo_commune).first()

    svg = poster_svg(village)

    ElementTree.fromstring(svg.encode())
    assert svg.count('class="qrline"') >= 2 or svg.count("<svg x=") == 2
    assert "Hoặc nhắn Zalo OA của xã:" in svg
    assert FOLLOW in svg


def test_without_zalo_the_poster_has_one_qr_and_no_zalo_line(demo_commune):
    village = Village.objects.filter(commune=demo_commune).first()

    svg = poster_svg(village)

    assert svg.count("<svg x=") == 1
    assert "zalo" not in svg.lower()


def test_the_help_page_shows_the_zalo_link_and_qr(client, demo_commune, zalo_api):
    village = Village.objects.filter(commune=demo_commune).first()
    url = f"/help/{demo_commune.code.lower()}/{village.slug}/"

    page = client.get(url).content.decode()

    assert "Nhắn qua Zalo" in page
    assert f'href="{FOLLOW}"' in page
    assert "Quét mã bằng Zalo" in page


def test_the_help_page_says_nothing_of_zalo_when_it_is_off(client, demo_commune):
    village = Village.objects.filter(commune=demo_commune).first()

    page = client.get(f"/help/{demo_commune.code.lower()}/{village.slug}/")

    assert "Zalo" not in page.content.decode()


def test_the_tracking_page_shows_the_zalo_link(client, duc_an, zalo_api):
    request = submit_for_lan(duc_an)

    page = client.get(f"/track/{request.code}").content.decode()

    assert f'href="{FOLLOW}"' in page
