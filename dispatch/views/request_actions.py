"""The office's actions on one request's page: each a POST, one form, one service.

Who may do what is asked of dispatch/permissions.py: operators and secretaries
correct and annotate (`may_correct_request`); secretaries cancel, merge, resolve,
close, reopen and assign (`may_manage_request`); both within their own commune.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.help_requests import events, lifecycle, management, picker, selectors
from dispatch.models import HelpRequest
from dispatch.views import manage_forms


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    allowed: Callable[..., bool]
    run: Callable[[HelpRequest, Any, dict], HelpRequest]
    done: Any


ACTIONS: dict[str, Action] = {
    "edit": Action(
        manage_forms.EditForm,
        permissions.may_correct_request,
        lambda r, u, d: management.edit_request(request=r, user=u, **d),
        _("Đã sửa thông tin yêu cầu."),
    ),
    "note": Action(
        manage_forms.NoteForm,
        permissions.may_correct_request,
        lambda r, u, d: lifecycle.add_note(request=r, user=u, text=d["text"]),
        _("Đã thêm ghi chú."),
    ),
    "cancel": Action(
        manage_forms.CancelForm,
        permissions.may_manage_request,
        lambda r, u, d: management.cancel_for_reason(request=r, user=u, **d),
        _("Đã hủy yêu cầu."),
    ),
    "merge": Action(
        manage_forms.MergeForm,
        permissions.may_manage_request,
        lambda r, u, d: management.merge_requests(
            keep=r, duplicate=d["duplicate"], user=u
        ),
        _("Đã gộp yêu cầu trùng vào yêu cầu này."),
    ),
    "resolve": Action(
        manage_forms.ResolveForm,
        permissions.may_manage_request,
        lambda r, u, d: lifecycle.resolve_request(request=r, user=u, **d),
        _("Đã ghi kết quả."),
    ),
    "close": Action(
        manage_forms.CloseForm,
        permissions.may_manage_request,
        lambda r, u, d: lifecycle.close_request(request=r, user=u),
        _("Đã đóng yêu cầu."),
    ),
    "reopen": Action(
        manage_forms.ReasonForm,
        permissions.may_manage_request,
        lambda r, u, d: lifecycle.reopen_request(
            request=r, actor=events.actor(user=u), via="office", **d
        ),
        _("Đã mở lại yêu cầu."),
    ),
    "assign": Action(
        manage_forms.AssignForm,
        permissions.may_manage_request,
        lambda r, u, d: management.assign_request(request=r, user=u, **d),
        _("Đã giao việc."),
    ),
}


def action_forms(
    *, user: Any, help_request: HelpRequest, query: str = ""
) -> dict[str, Any]:
    """The unbound forms the user may use on this request's page, and picker rows."""
    context: dict[str, Any] = {
        "forms": {
            name: action.form(help_request=help_request, prefix=name)
            for name, action in ACTIONS.items()
            if action.allowed(user=user, request=help_request)
        }
    }
    if "assign" in context["forms"]:
        context["picks"] = picker.assign_picks(request=help_request, query=query)
        context["query"] = query
    return context


def render_detail(
    request: HttpRequest,
    help_request: Any,
    *,
    failed: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request's page; `failed` = (action, bound form) shown with its errors."""
    context = {
        "req": help_request,
        "timeline": selectors.request_timeline(help_request),
        "reason": selectors.routing_reason(help_request),
        "offers": help_request.offers.select_related("team", "answered_by"),
        "queue_position": selectors.queue_position(help_request),
        "track_url": reverse("dispatch:track", args=[help_request.code]),
        "may_record_scam": permissions.may_record_scam(
            user=request.user, request=help_request
        ),
    }
    context.update(
        action_forms(
            user=request.user,
            help_request=help_request,
            query=request.GET.get("q", "")[:80],
        )
    )
    if failed is not None:
        action, form = failed
        context["forms"][action] = form
        context["failed"] = action
    return render(request, "dispatch/request_detail.html", context, status=status)


@permissions.staff_required
@require_POST
def request_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    help_request = selectors.request_by_code(code)
    chosen = ACTIONS.get(action)
    if help_request is None or chosen is None:
        raise Http404
    if not permissions.may_see_request(user=request.user, request=help_request):
        raise Http404
    if not chosen.allowed(user=request.user, request=help_request):
        raise PermissionDenied
    form = chosen.form(request.POST, help_request=help_request, prefix=action)
    if form.is_valid():
        try:
            chosen.run(help_request, request.user, form.cleaned_data)
        except DispatchError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, chosen.done)
            return redirect("dispatch:request_detail", code=help_request.code)
    return render_detail(request, help_request, failed=(action, form), status=400)
