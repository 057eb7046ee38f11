"""The top bar of every page: the pages a person may use, asked of the same
predicates the views ask (dispatch/permissions.py, training/permissions.py), so a
link is shown exactly when the page behind it opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dispatch import permissions
from training import permissions as training_permissions

register = template.Library()


@dataclass(frozen=True)
class Entry:
    label: Any
    url_name: str
    allowed: Callable[..., bool]  # called as allowed(user=...)


def _training_staff(*, user: Any) -> bool:
    return training_permissions.is_training_staff(user)


def _volunteer_training(*, user: Any) -> bool:
    return training_permissions.volunteer_of(user) is not None


def _anyone(*, user: Any) -> bool:
    return True


# In the order a person of each role uses them: an operator's phone intake first, a
# volunteer's own page first; pages a role may not use are simply absent.
ENTRIES = tuple(
    Entry(*row)
    for row in (
        (
            _("Nhận cuộc gọi"),
            "dispatch:operator_form",
            permissions.may_use_office_pages,
        ),
        (_("Bảng điều phối"), "dispatch:board", permissions.may_use_board),
        (_("Yêu cầu"), "dispatch:request_list", permissions.may_use_office_pages),
        (
            _("Việc của tôi"),
            "dispatch:volunteer_app",
            permissions.may_use_volunteer_app,
        ),
        (_("Thống kê"), "dashboard:index", permissions.may_see_dashboard),
        (_("Thông báo"), "dispatch:notices", permissions.may_send_notices),
        (_("Lừa đảo"), "dispatch:scams", permissions.may_use_scam_pages),
        (_("Chiến dịch"), "dispatch:campaigns", permissions.may_manage_campaigns),
        (_("Các tổ"), "teams:home", permissions.may_use_office_pages),
        (_("Tập huấn"), "training:workshops", _training_staff),
        (_("Tập huấn của tôi"), "training:me", _volunteer_training),
        (_("Áp phích"), "dispatch:posters", permissions.may_use_office_pages),
        (
            _("Hướng dẫn thủ tục"),
            "dispatch:guide_staff_list",
            permissions.may_edit_guides,
        ),
        (
            _("Dữ liệu cá nhân"),
            "dispatch:privacy_subject",
            permissions.may_handle_subject_requests,
        ),
        (_("Quản trị"), "admin:index", permissions.may_use_admin),
    )
)

PUBLIC = (
    Entry(_("Nhờ giúp đỡ"), "dispatch:help", _anyone),
    Entry(_("Tra cứu mã"), "dispatch:track_lookup", _anyone),
    Entry(_("Hướng dẫn"), "dispatch:guides", _anyone),
)


def _current(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def nav_links(*, user: Any, path: str) -> list[dict[str, Any]]:
    """The links of the top bar for `user` on `path`, the current page marked."""
    entries = ENTRIES if user.is_authenticated else PUBLIC
    links = []
    for entry in entries:
        if not entry.allowed(user=user):
            continue
        url = reverse(entry.url_name)
        links.append({"label": entry.label, "url": url, "current": False})
    # The longest matching address is the current page (`/training/me/` over
    # `/training/`).
    matching = [link for link in links if _current(path, link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["current"] = True
    return links


@register.inclusion_tag("navigation.html", takes_context=True)
def site_navigation(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:  # rendered without a request (e-mails, tests of fragments)
        return {"links": [], "user": None}
    return {
        "links": nav_links(user=request.user, path=request.path),
        "user": request.user,
    }
