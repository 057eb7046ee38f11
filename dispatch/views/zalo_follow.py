"""The commune's Zalo OA follow link and its QR code, for the pages that tell a
resident how to reach us (help form, tracking page, posters)."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.utils.safestring import SafeString, mark_safe

from dispatch.sms.gateways import zalo
from teams.models import Commune


@dataclass(frozen=True)
class ZaloFollow:
    url: str
    qr_svg: SafeString  # inline SVG, sized by its container


def zalo_follow(commune: Commune | None) -> ZaloFollow | None:
    """The follow link and QR when Zalo is configured for `commune`, else None."""
    url = zalo.follow_url(commune)
    if not url:
        return None
    qr = segno.make(url, error="m")
    # segno escapes nothing user-controlled here: the URL is built from the OA id.
    svg = qr.svg_inline(scale=4, border=2, omitsize=False)
    return ZaloFollow(url=url, qr_svg=mark_safe(svg))  # noqa: S308
