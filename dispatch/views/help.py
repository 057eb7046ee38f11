"""Asking for help on the web: the public form (and its village QR entry) and the
operators' call form. Each view parses, calls one service, and redirects."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dispatch import permissions
from dispatch.intake import limits
from dispatch.intake import store as intake_store
from dispatch.intake import web as web_intake
from dispatch.models import Channel
from dispatch.permissions import staff_required
from dispatch.views.forms import (
    HelpForm,
    OperatorForm,
    PhoneLookupForm,
)
from teams.models import Commune, Village
from teams.phones import national_format

HOUR = 3600


def default_commune(request: HttpRequest) -> Commune:
    commune = intake_store.commune_for_number("")
    if commune is None:
        raise Http404(_("Chưa có xã nào được cấu hình."))
    return commune


def staff_commune(request: HttpRequest) -> Commune:
    """The office user's own commune (administrators: the default one)."""
    return permissions.office_commune(user=request.user) or default_commune(request)


def _over_limit(request: HttpRequest, form: HelpForm) -> bool:
    """Count this submission per IP and per phone; add the error where it belongs."""
    if not limits.allow(
        scope="help-ip",
        client=limits.client_key(request),
        limit=settings.HELP_FORM_LIMIT_PER_IP,
        window=HOUR,
    ):
        form.add_error(None, _("Bạn đã gửi nhiều lần. Vui lòng thử lại sau một giờ."))
        return True
    if not limits.allow(
        scope="help-phone",
        client=form.cleaned_data["resident_phone"],
        limit=settings.HELP_FORM_LIMIT_PER_PHONE,
        window=HOUR,
    ):
        form.add_error(
            "resident_phone",
            _("Số này đã gửi nhiều yêu cầu trong một giờ. Tổ sẽ gọi lại, xin chờ."),
        )
        return True
    return False


@require_http_methods(["GET", "POST"])
def help_form(request: HttpRequest, village_slug: str = "") -> HttpResponse:
    commune = default_commune(request)
    village = None
    if village_slug:
        village = Village.objects.filter(commune=commune, slug=village_slug).first()
        if village is None:
            raise Http404(_("Không tìm thấy thôn, bon này."))
    data = request.POST if request.method == "POST" else None
    form = HelpForm(data, commune=commune, initial={"village": village})
    if request.method == "POST" and form.is_valid() and not _over_limit(request, form):
        help_request = web_intake.submit_form_request(
            commune=commune, data=form.cleaned_data, channel=Channel.WEB
        )
        return redirect("dispatch:track", code=help_request.code)
    return render(
        request,
        "dispatch/help_form.html",
        {
            "form": form,
            "commune": commune,
            "village": village,
            "hotlines": [(n, national_format(n)) for n in commune.hotline_numbers],
        },
        status=400 if form.errors else 200,
    )


# The name of the look-up button: its POST looks a number up, any other POST records.
LOOKUP = "lookup"


@staff_required
@require_http_methods(["GET", "POST"])
def operator_form(request: HttpRequest) -> HttpResponse:
    """The caller's number is looked up by POST (the "Tra số" button), never from the
    query string: a phone in a URL ends up in access logs and browser history."""
    commune = staff_commune(request)
    looking_up = request.method == "POST" and LOOKUP in request.POST
    lookup = PhoneLookupForm(request.POST if looking_up else None)
    phone = lookup.cleaned_data["phone"] if lookup.is_valid() else ""
    history = web_intake.history_for_phone(phone=phone, commune=commune)
    initial = {"resident_phone": lookup.data.get("phone", "")}
    if history:
        initial.update(
            village=history[0].village, resident_name=history[0].resident_name
        )
    data = request.POST if request.method == "POST" and not looking_up else None
    form = OperatorForm(data, commune=commune, initial=initial)
    if data is not None and form.is_valid():
        help_request = web_intake.submit_form_request(
            commune=commune,
            data=form.cleaned_data,
            channel=Channel.OPERATOR,
            user=request.user,
        )
        return redirect(reverse("dispatch:request_detail", args=[help_request.code]))
    context = {"form": form, "lookup": lookup, "history": history, "commune": commune}
    return render(request, "dispatch/operator_form.html", context)
