"""Printable A4 posters per village: a QR code to the village's help form, the
hotline numbers and the team leader to call. SVG, so it prints sharp at any size."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from dispatch.guides.sms import short_link
from dispatch.intake import voice_prompts
from dispatch.sms.gateways import zalo
from teams.models import Commune, Village, Volunteer
from teams.phones import national_format

QR_SIZE_MM = 120


def help_url(village: Village) -> str:
    # Always commune-qualified: a poster printed today still opens the right commune's
    # form once a second commune is served.
    return settings.PUBLIC_BASE_URL + reverse(
        "dispatch:help_commune_village",
        args=[village.commune.code.lower(), village.slug],
    )


def team_leader(village: Village) -> Volunteer | None:
    return (
        Volunteer.objects.filter(
            team__villages=village, role=Volunteer.Role.LEADER, active=True
        )
        .order_by("team__kind", "full_name")
        .first()
    )


def _text(y: float, text: str, *, size: float, weight: str = "normal") -> str:
    return (
        f'<text x="105" y="{y}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="middle">{escape(text)}</text>'
    )


def _qr(url: str, *, x: float, y: float, size: float) -> str:
    qr = segno.make(url, error="m")
    modules = qr.symbol_size(scale=1, border=0)[0]
    # segno's inline SVG is sized in modules; a viewBox stretches it to `size` mm.
    return qr.svg_inline(scale=1, border=0).replace(
        f'<svg width="{modules}" height="{modules}"',
        f'<svg x="{x}" y="{y}" width="{size}" height="{size}" '
        f'viewBox="0 0 {modules} {modules}"',
        1,
    )


def _side_text(x: float, y: float, text: str, *, size: float) -> str:
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="middle">'
        f"{escape(text)}</text>"
    )


def poster_svg(village: Village) -> str:
    """The A4 poster of `village` as an SVG document (units: millimetres).

    With Zalo configured, a second QR (the OA's follow link) sits beside the form's.
    """
    commune = village.commune
    zalo_url = zalo.follow_url(commune)
    if zalo_url:
        code = _qr(help_url(village), x=14, y=94, size=96) + _qr(
            zalo_url, x=128, y=104, size=66
        )
    else:
        code = _qr(help_url(village), x=105 - QR_SIZE_MM / 2, y=92, size=QR_SIZE_MM)
    hotlines = " · ".join(national_format(n) for n in commune.hotline_numbers or [])
    leader = team_leader(village)
    lines = [
        _text(28, _("Cầu Nối — Tổ công nghệ số cộng đồng"), size=8),
        _text(
            50,
            village.name,
            size=min(16, 300 / max(len(village.name), 1)),
            weight="bold",
        ),
        _text(62, _("xã %(commune)s") % {"commune": commune.name}, size=8),
        _text(
            78, _("Cần giúp VNeID, dịch vụ công, thanh toán, nghi lừa đảo?"), size=6.5
        ),
        _text(87, _("Quét mã bằng điện thoại để nhờ tổ giúp:"), size=7),
        _text(224, help_url(village), size=4.5),
    ]
    if zalo_url:
        lines += [
            _side_text(161, 176, _("Hoặc nhắn Zalo OA của xã:"), size=5),
            _side_text(161, 183, zalo_url, size=4.5),
        ]
    if hotlines:
        lines.append(
            _text(
                240,
                _("Gọi hoặc nhắn tin: %(numbers)s") % {"numbers": hotlines},
                size=8,
                weight="bold",
            )
        )
        # Callers key the village number in the voice menu (bon 16–23 included).
        keys = _("Khi gọi, bấm số thôn: %(number)s") % {
            "number": f"{village.number:02d}"
        }
        for key, language in voice_prompts.LANGUAGE_KEYS.items():
            if language in voice_prompts.recorded_languages(commune):
                keys += " · " + _("bấm %(key)s để nghe %(language)s") % {
                    "key": key,
                    "language": voice_prompts.language_name(language),
                }
        lines.append(_text(249, keys, size=6))
    if leader is not None:
        lines.append(
            _text(
                260,
                _("Tổ trưởng: %(name)s — %(phone)s")
                % {"name": leader.full_name, "phone": national_format(leader.phone)},
                size=7,
            )
        )
    lines.append(
        _text(280, _("Tổ hỗ trợ không bao giờ hỏi mật khẩu hay mã OTP."), size=5.5)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297" font-family="Noto Sans, DejaVu Sans, Arial, sans-serif">'
        f"<title>{escape(village.name)}</title>"
        '<rect x="6" y="6" width="198" height="285" fill="#fff" stroke="#0b5394" '
        'stroke-width="1.5" rx="4"/>' + "".join(lines) + code + "</svg>"
    )


def posters_zip(villages: list[Village]) -> bytes:
    """One ZIP with a poster per village, named by its slug."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for village in villages:
            archive.writestr(
                f"{village.number:02d}-{village.slug}.svg", poster_svg(village)
            )
    return buffer.getvalue()


def _qr_at(url: str, *, y: float, size: float) -> str:
    qr = segno.make(url, error="m")
    modules = qr.symbol_size(scale=1, border=0)[0]
    return qr.svg_inline(scale=1, border=0).replace(
        f'<svg width="{modules}" height="{modules}"',
        f'<svg x="{105 - size / 2}" y="{y}" width="{size}" height="{size}" '
        f'viewBox="0 0 {modules} {modules}"',
        1,
    )


def guide_poster_svg(guide: Any, *, commune: Commune) -> str:
    """An A4 poster of one procedure guide: its title, a QR code to its page, and how
    to get it by SMS (`HD <keyword>`) from the commune's hotline. Units: millimetres."""
    link = short_link(guide)
    hotlines = " · ".join(national_format(n) for n in commune.hotline_numbers or [])
    lines = [
        _text(26, _("Cầu Nối — Hướng dẫn thủ tục"), size=8),
        _text(
            44,
            guide.title_vi,
            size=min(13, 260 / max(len(guide.title_vi), 1)),
            weight="bold",
        ),
        _text(54, guide.title_en, size=6.5),
        _text(
            72,
            _("Quét mã bằng điện thoại để xem từng bước và giấy tờ cần mang:"),
            size=6.5,
        ),
        _text(212, link, size=6),
        _text(
            232,
            _("Không có điện thoại thông minh? Nhắn HD %(keyword)s")
            % {"keyword": guide.keyword.upper()},
            size=8,
            weight="bold",
        ),
    ]
    if hotlines:
        lines.append(
            _text(243, _("đến số %(numbers)s") % {"numbers": hotlines}, size=8)
        )
    if guide.home_visit:
        lines.append(
            _text(258, _("Tổ hỗ trợ của thôn có thể đến tận nhà giúp bác."), size=6.5)
        )
    lines.append(
        _text(280, _("Tổ hỗ trợ không bao giờ hỏi mật khẩu hay mã OTP."), size=5.5)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297" font-family="Noto Sans, DejaVu Sans, Arial, sans-serif">'
        f"<title>{escape(guide.title_vi)}</title>"
        '<rect x="6" y="6" width="198" height="285" fill="#fff" stroke="#0b5394" '
        'stroke-width="1.5" rx="4"/>'
        + "".join(lines)
        + _qr_at(link, y=80, size=120)
        + "</svg>"
    )
