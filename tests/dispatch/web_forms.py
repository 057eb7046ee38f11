"""The public help form as a resident fills it in, for the web tests."""

from __future__ import annotations

from teams.models import Village


def thon_5(commune) -> Village:
    return Village.objects.get(commune=commune, name="Thôn 5")


def filled(village, **extra) -> dict:
    data = {
        "village": village.pk,
        "category": "vneid",
        "resident_phone": "0912 345 678",
        "resident_name": "Bà Lan",
        "description": "Cháu ở xa, bà cần kích hoạt VNeID mức 2",
        "flags": ["elderly", "home_visit"],
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data
