"""The scam pages: a request's scam report and police referral (the assigned volunteer
or a secretary), the printable referral, the commune's reports with a search by the
scammer's details, village warnings and the commune's police contact.

Who may do what lives in dispatch/permissions.py (`may_record_scam`,
`scam_office_commune_ids`, `warning_scope`, `may_edit_scam_settings`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.help_requests import selectors as request_selectors
from dispatch.models import AccessPurpose, HelpRequest, PoliceReferral
from dispatch.privacy import consent
from dispatch.scams import selectors, services
from dispatch.views.scam_forms import (
    ReferralForm,
    ScamReportForm,
    ScamSettingsForm,
    SearchForm,
    WarningForm,
)


def _scam_request(request: HttpRequest, code: str) -> HelpRequest:
    help_request = request_selectors.request_by_code(code)
    if help_request is None or not permissions.may_record_scam(
        user=request.user, request=help_request
    ):
        raise Http404
    return help_request


def _report_page(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    form: ScamReportForm | None = None,
    referral_form: ReferralForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = selectors.report_for(request_id=help_request.pk)
    if form is None:
        initial = {}
        if report is not None:
            initial = {
                "pattern": report.pattern_id,
                "amount_lost": report.amount_lost,
                "lost_on": report.lost_on,
                "outcome": report.outcome,
            }
        form = ScamReportForm(initial=initial)
    context = {
        "req": help_request,
        "report": report,
        "masked_contact": report.masked_contact if report else "",
        "referrals": selectors.referrals_of(report=report) if report else [],
        "form": form,
        "referral_form": referral_form or ReferralForm(),
        "police": selectors.scam_settings(commune=help_request.commune),
        "failed": form.errors or (referral_form is not None and referral_form.errors),
    }
    return render(request, "dispatch/scams/report.html", context, status=status)


def _actor(request: HttpRequest) -> dict:
    volunteer = permissions.volunteer_for_user(request.user)
    if permissions.is_secretary(user=request.user) or volunteer is None:
        return {"user": request.user}
    return {"volunteer": volunteer}


@login_required
@require_http_methods(["GET", "POST"])
def scam_report(request: HttpRequest, code: str) -> HttpResponse:
    help_request = _scam_request(request, code)
    if request.method == "GET":
        return _report_page(request, help_request)
    form = ScamReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        report = selectors.report_for(request_id=help_request.pk)
        contact = data["scammer_contact"]
        if not contact and report is not None:
            contact = report.scammer_contact  # blank keeps what was recorded
        try:
            services.record_scam(
                request=help_request,
                pattern=data["pattern"],
                amount_lost=data["amount_lost"],
                lost_on=data["lost_on"],
                scammer_contact=contact,
                outcome=data["outcome"],
                **_actor(request),
            )
        except DispatchError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã ghi nhận vụ nghi lừa đảo."))
            return redirect("dispatch:scam_report", code=help_request.code)
    return _report_page(request, help_request, form=form, status=400)


@login_required
@require_POST
def scam_refer(request: HttpRequest, code: str) -> HttpResponse:
    help_request = _scam_request(request, code)
    report = selectors.report_for(request_id=help_request.pk)
    form = ReferralForm(request.POST)
    if report is None:
        form.add_error(None, _("Hãy ghi nhận vụ việc trước khi chuyển công an xã."))
    elif form.is_valid():
        try:
            referral = services.refer_to_police(
                report=report, consent_given=True, **_actor(request)
            )
        except DispatchError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã chuyển công an xã (%(phone)s).")
                % {"phone": referral.police_phone},
            )
            return redirect("dispatch:scam_report", code=help_request.code)
    return _report_page(request, help_request, referral_form=form, status=400)


@login_required
def referral_print(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        PoliceReferral.objects.select_related("report__request__commune"), pk=pk
    )
    help_request = referral.report.request
    if not permissions.may_record_scam(user=request.user, request=help_request):
        raise Http404
    consent.log_access(
        user=request.user,
        purpose=AccessPurpose.REQUEST_DETAIL,
        request=help_request,
        http_request=request,
    )
    context = {"referral": referral, "req": help_request}
    return render(request, "dispatch/scams/referral_print.html", context)


@login_required
def scam_index(request: HttpRequest) -> HttpResponse:
    if not permissions.may_use_scam_pages(user=request.user):
        raise PermissionDenied
    commune_ids = permissions.scam_office_commune_ids(user=request.user)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    scope = permissions.warning_scope(user=request.user)
    commune = scope[0] if scope else None
    context = {
        "form": form,
        "query": query,
        "reports": selectors.search_reports(commune_ids=commune_ids, query=query)[:100]
        if commune_ids != []
        else [],
        "may_search": commune_ids != [],
        "suggestions": selectors.warning_suggestions(commune=commune)
        if commune
        else [],
        "may_warn": scope is not None,
        "may_edit_settings": permissions.may_edit_scam_settings(user=request.user),
    }
    return render(request, "dispatch/scams/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def warnings(request: HttpRequest) -> HttpResponse:
    scope = permissions.warning_scope(user=request.user)
    if scope is None:
        raise PermissionDenied
    commune = scope[0]
    villages = permissions.warning_villages(user=request.user)
    initial = {
        k: request.GET.get(k) for k in ("pattern", "villages") if request.GET.get(k)
    }
    form = WarningForm(request.POST or None, villages=villages, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            pattern = data["pattern"]
            try:
                warning = services.send_warning(
                    author=request.user,
                    commune=commune,
                    pattern=pattern,
                    villages=list(data["villages"]),
                    what_to_do=data["what_to_do"] or pattern.what_to_do,
                    never_do=data["never_do"] or pattern.never_do,
                    to_residents=data["to_residents"],
                )
            except DispatchError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã gửi cảnh báo cho %(n)s người.")
                    % {"n": warning.deliveries.count()},
                )
                return redirect("dispatch:scam_warnings")
        status = 400
    settings = selectors.scam_settings(commune=commune)
    context = {
        "form": form,
        "sent": selectors.recent_warnings(commune=commune),
        "today": selectors.warnings_sent_today(commune=commune),
        "cap": settings.warnings_per_day,
        "suggestions": selectors.warning_suggestions(commune=commune),
        "may_warn": True,
    }
    return render(request, "dispatch/scams/warnings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scam_settings(request: HttpRequest) -> HttpResponse:
    if not permissions.may_edit_scam_settings(user=request.user):
        raise PermissionDenied
    commune = permissions.office_commune(user=request.user)
    current = selectors.scam_settings(commune=commune)
    form = ScamSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_settings(commune=commune, **form.cleaned_data)
        messages.success(request, _("Đã lưu cài đặt."))
        return redirect("dispatch:scams")
    status = 400 if form.errors else 200
    return render(
        request, "dispatch/scams/settings.html", {"form": form}, status=status
    )
