"""The secretary's data-subject page: export or erase what is held about a phone."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dispatch import permissions
from dispatch.permissions import secretary_required
from dispatch.privacy import subject
from dispatch.views.forms import PhoneLookupForm


def _commune_ids(request: HttpRequest) -> list[int] | None:
    return permissions.subject_commune_ids(user=request.user)


@secretary_required
@require_http_methods(["GET", "POST"])
def subject_request(request: HttpRequest) -> HttpResponse:
    form = PhoneLookupForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "dispatch/privacy_subject.html", {"form": form})
    phone, action = form.cleaned_data["phone"], request.POST.get("action", "")
    scope = {"phone": phone, "user": request.user, "commune_ids": _commune_ids(request)}
    if action == "erase" and request.POST.get("confirm") == "yes":
        counts = subject.erase_subject(**scope, http_request=request)
        messages.success(
            request,
            _("Đã xoá dữ liệu của %(n)s yêu cầu và %(h)s hộ gia đình.")
            % {"n": counts["requests"], "h": counts["households"]},
        )
        return redirect("dispatch:privacy_subject")
    if action not in ("json", "csv"):
        form.add_error(None, _("Hãy chọn xuất dữ liệu, hoặc đánh dấu xác nhận để xoá."))
        return render(
            request, "dispatch/privacy_subject.html", {"form": form}, status=400
        )
    data = subject.subject_export(**scope, http_request=request)
    if action == "csv":
        response = HttpResponse(
            "\ufeff" + subject.subject_export_csv(data), content_type="text/csv"
        )
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan.{action}"'
    return response
