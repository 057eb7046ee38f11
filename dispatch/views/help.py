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
from dispatch.help_requests import selectors
from dispatch.intake import limits
from dispatch.intake import web as web_intake
from dispatch.models import Channel
from dispatch.permissions import staff_required
from dispatch.views.callbacks import callback_list
from dispatch.views.forms import (
    HelpForm,
    OperatorForm,
    PhoneLookupForm,
)
from dispatch.views.zalo_follow import zalo_follow
from teams.households import households_for_phone
from teams.models import Commune, Village
from teams.phones import national_format

HOUR = 3600


def only_commune() -> Commune | None:
    """The one real commune, if exactly one is served (samples count when alone)."""
    pool = list(Commune.objects.filter(is_sample=False).order_by("pk")[:2])
    pool = pool or list(Commune.objects.order_by("pk")[:2])
    return pool[0] if len(pool) == 1 else None


def commune_by_slug(slug: str) -> Commune | None:
    """A commune by its short code in a URL (`/help/da/…`, any case)."""
    return Commune.objects.filter(code__iexact=slug).first()


def staff_commune(request: HttpRequest) -> Commune:
    """The office user's own commune; administrators pick one (`?commune=<id>`), else
    the first registered. Never a resident's page: residents choose (`help_choose`)."""
    own = permissions.office_commune(user=request.user)
    if own is not None:
        return own
    communes = Commune.objects.order_by("pk")
    requested = request.GET.get("commune", "")
    if requested.isdigit():
        communes = communes.filter(pk=int(requested))
    commune = communes.first()
    if commune is None:
        raise Http404(_("Chưa có xã nào được cấu hình."))
    return commune


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


def help_start(request: HttpRequest) -> HttpResponse:
    """`/help/`: the form of the only commune, or the commune chooser."""
    commune = only_commune()
    if commune is None:
        return redirect("dispatch:help_choose")
    return help_form(request, commune)


def help_short(request: HttpRequest, slug: str) -> HttpResponse:
    """`/help/<commune>/` (a commune's form) or, with one commune, `/help/<village>/`.

    With two or more communes a bare village is ambiguous: the resident chooses the
    commune (the chooser keeps the village), never "the first commune".
    """
    commune = commune_by_slug(slug)
    if commune is not None:
        return help_form(request, commune)
    commune = only_commune()
    if commune is None:
        return redirect(reverse("dispatch:help_choose") + f"?thon={slug}")
    return help_form(request, commune, village_slug=slug)


def help_commune_village(
    request: HttpRequest, commune_slug: str, village_slug: str
) -> HttpResponse:
    """`/help/<commune>/<village>/`: what the village QR posters open."""
    commune = commune_by_slug(commune_slug)
    if commune is None:
        raise Http404(_("Không tìm thấy xã này."))
    return help_form(request, commune, village_slug=village_slug)


@require_http_methods(["GET"])
def help_choose(request: HttpRequest) -> HttpResponse:
    """Which commune do you live in? Links to each commune's form (and village)."""
    village_slug = request.GET.get("thon", "")
    choices = []
    for commune in Commune.objects.filter(is_sample=False).order_by("name"):
        url = reverse("dispatch:help_short", args=[commune.code.lower()])
        if village_slug and commune.villages.filter(slug=village_slug).exists():
            url = reverse(
                "dispatch:help_commune_village",
                args=[commune.code.lower(), village_slug],
            )
        choices.append((commune, url))
    return render(request, "dispatch/help_choose.html", {"choices": choices})


@require_http_methods(["GET", "POST"])
def help_form(
    request: HttpRequest, commune: Commune, village_slug: str = ""
) -> HttpResponse:
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
            "zalo": zalo_follow(commune),
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
    # The register's household(s) on this number (teams.households), when it has one.
    registered = (
        list(
            households_for_phone(commune_id=commune.pk, phone=phone).select_related(
                "village"
            )
        )
        if phone and commune is not None
        else []
    )
    household = selectors.household_requests(requests=history, households=registered)
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
    context = {
        "form": form,
        "lookup": lookup,
        "history": history,
        "household": household,
        "registered": registered,
        "commune": commune,
        # The operator's home: who asked to be called back, oldest first.
        "callbacks": callback_list(request=request, commune=commune),
    }
    return render(request, "dispatch/operator_form.html", context)
