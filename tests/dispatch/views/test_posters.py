"""Village QR posters: printable, pointing at the village's help form."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from dispatch.views.poster_sheets import help_url, poster_svg
from teams.models import StaffMember, Village, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, demo_commune):
    staff = StaffMember.objects.filter(commune=demo_commune).first()
    client.force_login(staff.user)
    return client


def test_a_poster_has_the_village_hotlines_leader_and_a_qr_to_its_form(demo_commune):
    village = Village.objects.get(commune=demo_commune, name="Bon Đắk N'Drung")
    svg = poster_svg(village)

    ElementTree.fromstring(svg.encode())  # well-formed, so it prints
    assert 'width="210mm" height="297mm"' in svg
    assert "Bon Đắk N&#x27;Drung" in svg
    assert (
        "0261 3501 234" in svg
        or "026 13501234" in svg
        or "02613501234" in svg.replace(" ", "")
    )
    leader = Volunteer.objects.filter(team__villages=village, role="leader").first()
    assert leader.full_name in svg
    code = village.commune.code.lower()
    assert help_url(village).endswith(f"/help/{code}/{village.slug}/")
    assert 'class="qrline"' in svg


def test_the_qr_opens_the_village_form(client, demo_commune):
    village = Village.objects.get(commune=demo_commune, name="Thôn 5")
    path = help_url(village).split("127.0.0.1:8000")[-1]
    assert client.get(path).status_code == 200


def test_staff_download_one_poster_or_all_of_them(secretary_client, demo_commune):
    page = secretary_client.get("/posters/").content.decode()
    assert "Thôn 5" in page

    one = secretary_client.get("/posters/thon-5.svg")
    assert one["Content-Type"] == "image/svg+xml"
    assert "Thôn 5" in one.content.decode()

    archive = zipfile.ZipFile(
        io.BytesIO(secretary_client.get("/posters/all.zip").content)
    )
    assert (
        len(archive.namelist()) == Village.objects.filter(commune=demo_commune).count()
    )


def test_posters_are_for_staff_only(client, demo_commune):
    assert client.get("/posters/all.zip").status_code == 302
