"""Residents go to their own commune: with two communes nothing falls back to "the first".

`/help/` and `/help/<village>/` keep working while one commune is served; with two or
more they lead to a chooser, and posters carry `/help/<commune>/<village>/`.
"""

from __future__ import annotations

import pytest
from django.test import Client

from dispatch.models import HelpRequest
from dispatch.views import poster_sheets
from teams.models import Commune, Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def dak_song(demo_commune):
    """A second real commune with a village named like one of Đức An's (and the demo
    commune served for real: a sample commune gives way to a real one)."""
    Commune.objects.filter(pk=demo_commune.pk).update(is_sample=False)
    far = Commune.objects.create(
        name="Đắk Song", code="DS", province="Lâm Đồng", lat=12.2, lng=107.5
    )
    Village.objects.create(
        commune=far,
        name="Thôn 1",
        kind=Village.Kind.THON,
        number=1,
        lat=12.2,
        lng=107.5,
    )
    return far


def test_with_one_commune_help_and_the_village_link_still_open_its_form(
    client: Client, demo_commune
):
    village = demo_commune.villages.order_by("number").first()
    assert client.get("/help/").status_code == 200
    page = client.get(f"/help/{village.slug}/").content.decode()
    assert village.name in page and demo_commune.name in page


def test_with_two_communes_help_asks_which_commune(client: Client, dak_song):
    response = client.get("/help/")
    assert response.status_code == 302
    chooser = client.get(response["Location"]).content.decode()
    assert "Bạn ở xã nào?" in chooser
    assert 'href="/help/da/"' in chooser and 'href="/help/ds/"' in chooser


def test_with_two_communes_a_bare_village_link_keeps_the_village_in_the_choice(
    client: Client, dak_song
):
    response = client.get("/help/thon-1/")
    assert response.status_code == 302
    chooser = client.get(response["Location"]).content.decode()
    assert 'href="/help/da/thon-1/"' in chooser and 'href="/help/ds/thon-1/"' in chooser


def test_the_commune_qualified_form_files_the_request_in_that_commune(
    client: Client, dak_song, deliver
):
    page = client.get("/help/ds/thon-1/").content.decode()
    assert "Đắk Song" in page
    village = dak_song.villages.get()
    data = {
        "category": "vneid",
        "village": village.pk,
        "resident_phone": "0912 345 670",
        "resident_name": "Bà Mận",
        "description": "Cần kích hoạt VNeID",
        "consent": "on",
    }
    response = deliver(client.post, "/help/ds/thon-1/", data)
    assert response.status_code == 302
    assert HelpRequest.objects.get().commune == dak_song
    assert client.get("/help/xx/thon-1/").status_code == 404


def test_posters_carry_the_commune_in_their_url(demo_commune, settings):
    village = demo_commune.villages.order_by("number").first()
    url = poster_sheets.help_url(village)
    assert url == f"{settings.PUBLIC_BASE_URL}/help/da/{village.slug}/"
