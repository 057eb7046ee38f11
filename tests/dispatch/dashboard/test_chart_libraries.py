"""Leaflet and Chart.js come from our own static files, and only to the dashboard:
every other page a resident, volunteer or office worker opens stays light."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.personas import client_for

pytestmark = pytest.mark.django_db
LIBRARIES = ("leaflet", "chart.umd", "chartjs")


def assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


def test_the_dashboard_loads_both_from_our_own_static_files(duc_an):
    html = client_for(duc_an.secretary.user).get("/dashboard/").content.decode()

    found = [a for a in assets(html) if any(lib in a for lib in LIBRARIES)]
    assert sorted(found) == [
        "/static/vendor/chartjs-4.6.1/chart.umd.min.js",
        "/static/vendor/leaflet-1.9.4/leaflet.css",
        "/static/vendor/leaflet-1.9.4/leaflet.js",
    ]
    assert "unpkg" not in html and "cdn" not in html.lower()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("secretary", "/board/"),
        ("secretary", "/requests/"),
        ("secretary", "/dashboard/report/2026/10/"),
        ("secretary", "/notices/"),
        ("secretary", "/training/"),
        ("secretary", "/posters/"),
        ("operator", "/operator/"),
        ("volunteer", "/v/"),
        ("nobody", "/"),
        ("nobody", "/help/"),
        ("nobody", "/track/"),
        ("nobody", "/accounts/login/"),
    ],
)
def test_pages_without_a_map_or_chart_do_not_load_leaflet_or_chartjs(duc_an, who, url):
    users = {
        "secretary": duc_an.secretary.user,
        "operator": duc_an.operator.user,
        "volunteer": duc_an.an.user,
    }
    client = client_for(users[who]) if who in users else Client()

    page = client.get(url, follow=True)

    html = page.content.decode()
    assert page.status_code == 200, url
    assert not [a for a in assets(html) if any(lib in a for lib in LIBRARIES)], url
    assert "L.map(" not in html and "new Chart(" not in html
