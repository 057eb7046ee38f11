"""Guide texts sent by SMS: the key steps and the short link, in GSM-7, ≤ 2 segments.

A guide's SMS is always sent without diacritics (one Vietnamese letter outside GSM-7
would make it UCS-2 and three times as long), whatever the commune's SMS mode.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from dispatch.models import Guide
from dispatch.sms.text import sms_size
from teams.text import unaccented

MAX_SEGMENTS = 2


def short_link(guide: Guide) -> str:
    """`https://caunoi.example.vn/g/vneid`: the guide's page, short enough for SMS."""
    base: str = settings.PUBLIC_BASE_URL
    return base + reverse("dispatch:guide_short", args=[guide.keyword])


def _gsm7(text: str) -> str:
    # unidecode maps “ ” ‘ ’ … – to plain ASCII, all inside the GSM-7 basic set.
    return unaccented(text)


def guide_sms(guide: Guide, *, language: str = "vi", code: str = "") -> str:
    """The guide's key steps and its link, in GSM-7 and at most two segments.

    The steps are cut at a word boundary if an edit made them too long, so the link
    always survives. `code` (a request's tracking code) is named when a volunteer sent it.
    """
    steps = guide.sms_en if language == "en" else guide.sms_vi
    if code:
        head = _("Cầu Nối (%(code)s): %(title)s.") % {
            "code": code,
            "title": guide.title_en if language == "en" else guide.title_vi,
        }
    else:
        head = _("Cầu Nối HD %(keyword)s:") % {"keyword": guide.keyword.upper()}
    tail = " " + _("Xem: %(link)s") % {"link": short_link(guide)}
    body = _gsm7(f"{head} {steps}")
    text = body + _gsm7(tail)
    while sms_size(text).segments > MAX_SEGMENTS or sms_size(text).encoding != "GSM-7":
        if " " not in body.strip():
            return _gsm7(head + tail)
        body = body.rsplit(" ", 1)[0]
        text = body + "..." + _gsm7(tail)
    return text


def fits(text: str, *, keyword: str) -> bool:
    """Whether steps `text` fit two GSM-7 segments with the header and the link."""
    probe = Guide(keyword=keyword or "x", sms_vi=text, title_vi="")
    full = _gsm7(
        _("Cầu Nối HD %(keyword)s:") % {"keyword": probe.keyword.upper()}
        + " "
        + text
        + " "
        + _("Xem: %(link)s") % {"link": short_link(probe)}
    )
    size = sms_size(full)
    return size.encoding == "GSM-7" and size.segments <= MAX_SEGMENTS


def unknown_keyword(*, keywords: list[str]) -> str:
    """HD with a word no guide has: the keywords there are (one segment, GSM-7)."""
    listed = " ".join(k.upper() for k in keywords)
    text = _gsm7(
        _("Cầu Nối: chưa có hướng dẫn này. Nhắn HD và một từ: %(list)s")
        % {"list": listed}
    )
    while sms_size(text).segments > 1 and " " in text:
        text = text.rsplit(" ", 1)[0]
    return text
