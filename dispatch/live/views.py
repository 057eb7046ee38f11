"""The volunteer's phone app (/v/), its phone sign-in, and the secretaries' live board.

The pages are shells: the live data arrives over the WebSockets (`dispatch.live.consumers`).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dispatch import permissions
from dispatch.help_requests import team_notices
from dispatch.intake import limits, retries
from dispatch.live import phone_login, screens
from dispatch.live.forms import CodeForm, PhoneForm, SlotForm
from teams import rosters
from teams import services as team_services

LOGIN_URL = "/v/login/"
SESSION_PHONE = "login_phone"
CODES_PER_PHONE, CODES_PER_IP, TRIES_PER_IP = 3, 10, 30
WINDOW = 15 * 60


@never_cache
@login_required(login_url=LOGIN_URL)
def volunteer_app(request: HttpRequest) -> HttpResponse:
    volunteer = permissions.volunteer_for_user(request.user)
    if volunteer is None:
        return render(request, "dispatch/volunteer_none.html", status=403)
    context = {
        "volunteer": volunteer,
        "strings": _volunteer_strings(),
        "dashboard": permissions.may_see_dashboard(user=request.user),
        "notices": team_notices.recent_notices_for(volunteer),
    }
    return render(request, "dispatch/volunteer.html", context)


def _volunteer_strings() -> dict[str, str]:
    """Words the page's script shows, translated here (the script has no gettext)."""
    return {
        "online": _("Đã kết nối"),
        "offline": _("Mất kết nối — đang thử lại…"),
        "connecting": _("Đang kết nối…"),
        "km": _("%(km)s km"),
        "ago": _("%(min)s phút trước"),
        "left": _("Còn %(time)s để nhận"),
        "expired": _("Đã hết giờ nhận"),
        "taken": _("Việc %(code)s đã có người khác nhận."),
        "gone": _("Việc %(code)s đã được chuyển đi."),
        "new_offer": _("Việc mới: %(category)s, %(village)s"),
        "accepted": _("Bạn đã nhận việc %(code)s."),
        "resolved": _("Đã báo xong việc %(code)s. Cảm ơn bạn!"),
        "on_duty": _("Bạn đang trực: sẽ nhận việc mới."),
        "off_duty": _("Bạn đã nghỉ trực: tổ sẽ không mời bạn."),
        "unknown_village": _("chưa rõ thôn"),
        "call": _("Gọi %(phone)s"),
        "confirm_resolve": _("Báo đã xong việc này?"),
        "queued": _("%(n)s thao tác đang chờ gửi — sẽ tự gửi khi có mạng."),
        "queued_one": _("Mất kết nối: thao tác được giữ lại và sẽ tự gửi khi có mạng."),
        "pending": _("Đang chờ gửi…"),
        "preferred": _("Tiện lúc: %(text)s"),
        "landmark": _("Mốc tìm nhà: %(text)s"),
        "visit": _("Hẹn đến nhà: %(text)s"),
        "visit_pick": _("Hãy chọn ngày và giờ đến nhà."),
        "visit_booked": _("Đã hẹn giờ và nhắn cho người dân."),
        "team_reason": _("Từ chối cho cả tổ cần chọn lý do."),
    }


@require_http_methods(["GET", "POST"])
def phone_login_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the volunteer types their phone number; a code is texted to it."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = phone_login.clean_phone(form.cleaned_data["phone"])
        except phone_login.LoginError as error:
            form.add_error("phone", error.message)
        else:
            if _allowed(request, "login-code-phone", phone, CODES_PER_PHONE) and (
                _allowed(request, "login-code-ip", None, CODES_PER_IP)
            ):
                phone_login.send_login_code(phone=phone)
                request.session[SESSION_PHONE] = phone
                return redirect("dispatch:phone_login_code")
            form.add_error(None, _("Bạn đã xin mã nhiều lần. Hãy thử lại sau 15 phút."))
    return render(request, "dispatch/phone_login.html", {"form": form})


@require_http_methods(["GET", "POST"])
def phone_login_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code; a right one signs the phone in for 30 days."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("dispatch:phone_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _allowed(request, "login-try-ip", None, TRIES_PER_IP):
            form.add_error(None, _("Bạn đã thử nhiều lần. Hãy thử lại sau 15 phút."))
        else:
            try:
                user = phone_login.check_login_code(
                    phone=phone, code=form.cleaned_data["code"]
                )
            except phone_login.LoginError as error:
                form.add_error("code", error.message)
            else:
                login(
                    request, user, backend="django.contrib.auth.backends.ModelBackend"
                )
                request.session.set_expiry(phone_login.SESSION_SECONDS)
                return redirect("dispatch:volunteer_app")
    return render(request, "dispatch/phone_login_code.html", {"form": form})


def _allowed(request: HttpRequest, scope: str, key: str | None, limit: int) -> bool:
    client = key or limits.client_key(request)
    return limits.allow(scope=scope, client=client, limit=limit, window=WINDOW)


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def login_locks(request: HttpRequest) -> HttpResponse:
    """Phones locked out of code sign-in that this leader or secretary may unlock."""
    locks = permissions.unlockable_login_locks(user=request.user)
    if request.method == "POST":
        lock = locks.filter(pk=_int(request.POST.get("lock"))).first()
        if lock is not None and phone_login.unlock_login(lock=lock, by=request.user):
            messages.success(
                request,
                _("Đã mở khoá cho %(name)s.") % {"name": lock.volunteer.full_name},
            )
        return redirect("dispatch:login_locks")
    return render(request, "dispatch/login_locks.html", {"locks": locks})


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 19 else None


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest that makes /v/ installable on the home screen."""
    data = {
        "name": "Cầu Nối — " + _("Tình nguyện viên"),
        "short_name": "Cầu Nối",
        "lang": "vi",
        "start_url": reverse("dispatch:volunteer_app"),
        "scope": reverse("dispatch:volunteer_app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d4b",
        "icons": [
            {
                "src": static("dispatch/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
            {
                "src": static("dispatch/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
        ],
    }
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /v/ so its scope covers the app; caches the page shell only."""
    response = render(
        request,
        "dispatch/volunteer_sw.js",
        {
            "shell": json.dumps(
                [
                    reverse("dispatch:volunteer_app"),
                    static("dispatch/volunteer.js"),
                    static("dispatch/volunteer.css"),
                    static("css/app.css"),
                    static("dispatch/icon.svg"),
                ]
            )
        },
        content_type="application/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The live board of every open request, for operators and secretaries."""
    asked = request.GET.get("commune", "")
    commune_id = permissions.board_commune_id(
        user=request.user, requested=int(asked) if asked.isdigit() else None
    )
    if commune_id is None:
        return render(request, "dispatch/board_forbidden.html", status=403)
    # Labels for the codes in live messages, in the viewer's language (the socket's
    # worker has no language of its own).
    context = {
        "commune_id": commune_id,
        "strings": _board_strings(),
        "labels": screens.labels(),
        # Stored, so a board opened after the live notice still shows them.
        "failed_inbound": list(retries.given_up(commune_id=commune_id)[:20]),
    }
    return render(request, "dispatch/board.html", context)


def _board_strings() -> dict[str, str]:
    return {
        "online": _("Đã kết nối"),
        "offline": _("Mất kết nối — đang thử lại…"),
        "connecting": _("Đang kết nối…"),
        "minutes": _("%(min)s phút"),
        "expired": _("đã hết hạn"),
        "unknown_village": _("chưa rõ thôn"),
        "teams": _("Tổ"),
        "volunteers": _("Tình nguyện viên"),
        "pick": _("Chọn tổ hoặc người…"),
        "done": _("Đã cập nhật %(code)s."),
        "escalate_reason": _("Lý do chuyển chuyên viên xã?"),
        "sms_failed": _("Không gửi được SMS cho việc %(code)s."),
        "sms_failed_badge": _("SMS lỗi: %(n)s"),
        "pick_village": _("Thôn khác…"),
        "oldest": _("Chờ lâu nhất: %(code)s, %(min)s phút"),
        "none_waiting": _("Không có yêu cầu nào đang chờ người nhận."),
    }


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def team_roster(request: HttpRequest) -> HttpResponse:
    """The leader's phone page: members' duty, the weekly roster, gaps and load."""
    leader = permissions.team_leader_for_user(request.user)
    if leader is None:
        return render(request, "dispatch/volunteer_none.html", status=403)
    members = list(leader.team.volunteers.filter(active=True).order_by("full_name"))
    form = SlotForm(
        request.POST if request.POST.get("do") == "add" else None, team_members=members
    )
    if request.method == "POST":
        if _roster_post(request, leader=leader, members=members, form=form):
            return redirect("dispatch:team_roster")
    context = {
        "leader": leader,
        "members": members,
        "form": form,
        **screens.roster_page(team=leader.team),
    }
    return render(request, "dispatch/team_roster.html", context)


def _roster_post(request: HttpRequest, *, leader, members, form: SlotForm) -> bool:
    action = request.POST.get("do")
    if action == "duty":
        target = next(
            (m for m in members if str(m.pk) == request.POST.get("volunteer")), None
        )
        if target is not None:
            team_services.set_on_duty(
                volunteers=[target],
                on_duty=request.POST.get("on") == "1",
                user=request.user,
            )
        return True
    if action == "remove":
        rosters.remove_slot(
            team_id=leader.team_id, slot_id=_int(request.POST.get("slot"))
        )
        return True
    if action == "add" and form.is_valid():
        rosters.add_slot(
            team_id=leader.team_id,
            member_ids=form.cleaned_data["members"],
            weekday=form.cleaned_data["weekday"],
            starts=form.cleaned_data["starts"],
            ends=form.cleaned_data["ends"],
        )
        return True
    return False


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
