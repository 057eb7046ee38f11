"""The operator's call-back list (on their home, /operator/): residents who asked to
be called back, oldest first, each with a one-tap `tel:` link and a form to record
what came of the call (dispatch/help_requests/callbacks.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.help_requests import callbacks, selectors
from dispatch.models import AccessPurpose, CallbackOutcome, HelpRequest
from dispatch.permissions import staff_required
from dispatch.privacy import consent
from teams.models import Commune
from teams.phones import national_format

SHOWN = 30


class CallbackForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết quả cuộc gọi"),
        choices=CallbackOutcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


def callback_list(
    *, request: HttpRequest, commune: Commune | None
) -> list[dict[str, Any]]:
    """The waiting call-backs as the operator's home shows them. Showing a phone is
    an access to personal data: one log row per request shown."""
    rows = []
    for help_request in selectors.callbacks_waiting(commune=commune)[:SHOWN]:
        consent.log_access(
            user=request.user,
            purpose=AccessPurpose.CALLBACK,
            request=help_request,
            http_request=request,
        )
        rows.append(
            {
                "req": help_request,
                "phone": national_format(help_request.resident_phone),
                "form": CallbackForm(prefix=f"cb{help_request.pk}"),
            }
        )
    return rows


@staff_required
@require_POST
def record_callback(request: HttpRequest, code: str) -> HttpResponse:
    """Record one call's outcome; back to the list with what happened (or why not)."""
    help_request: HelpRequest | None = selectors.request_by_code(code)
    if help_request is None or not permissions.may_call_back(
        user=request.user, request=help_request
    ):
        raise Http404
    back = reverse("dispatch:operator_form")
    form = CallbackForm(request.POST, prefix=f"cb{help_request.pk}")
    if not form.is_valid():
        messages.error(
            request,
            gettext("%(code)s: hãy chọn kết quả cuộc gọi.")
            % {"code": help_request.code},
        )
        return redirect(back)
    try:
        help_request = callbacks.record_callback(
            request=help_request,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except DispatchError as error:
        messages.error(
            request,
            gettext("%(code)s: %(message)s")
            % {"code": help_request.code, "message": error.message},
        )
        return redirect(back)
    messages.success(
        request,
        gettext("%(code)s: đã ghi “%(outcome)s”.")
        % {
            "code": help_request.code,
            "outcome": CallbackOutcome(form.cleaned_data["outcome"]).label,
        },
    )
    return redirect(back)
