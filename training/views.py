"""Training pages: thin views that parse, call one service or selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams.models import Commune
from teams.spreadsheets import export_table
from training import coverage as coverage_selectors
from training import permissions, quiz, selectors, services
from training.errors import TrainingError
from training.forms import EnrolForm, RevokeForm, WorkshopForm
from training.models import Enrolment, PracticeStep, QuizAttempt, Topic, Workshop

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_training_staff(request.user):
            return HttpResponseForbidden(_("Trang này dành cho cán bộ xã."))
        return view(request, *args, **kwargs)

    return wrapper


def workshop_required(may: Callable[..., bool]) -> Callable[[View], View]:
    """Loads the workshop `pk` and lets in the users `may(user, workshop)` allows: a
    workshop of another commune is never shown or changed."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            workshop = get_object_or_404(Workshop, pk=pk)
            if not may(request.user, workshop):
                return _forbidden()
            return view(request, workshop, *args, **kwargs)

        return wrapper

    return decorator


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden(
        _("Trang này dành cho giảng viên của buổi và cán bộ xã phụ trách.")
    )


def qr_svg(url: str, *, scale: int = 8) -> str:
    """An inline SVG QR code for `url` (segno; no image file, no CDN)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, omitsize=True))  # noqa: S308


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


# --- Workshops (staff and trainers) --------------------------------------------------------


@staff_required
def workshop_list(request: HttpRequest) -> HttpResponse:
    commune = permissions.staff_commune(request.user)
    workshops = selectors.workshops_for(commune=commune)
    now = timezone.now()
    context = {
        "upcoming": workshops.filter(ends_at__gt=now).order_by("starts_at"),
        "past": workshops.filter(ends_at__lte=now)[:50],
        "can_create": commune is None
        or permissions.may_manage(request.user, commune.pk),
    }
    return render(request, "training/workshop_list.html", context)


@staff_required
def workshop_create(request: HttpRequest) -> HttpResponse:
    commune = permissions.staff_commune(request.user) or _commune_from(request)
    if commune is None:
        raise Http404
    if not permissions.may_manage(request.user, commune.pk):
        return _forbidden()
    form = WorkshopForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        workshop = services.create_workshop(commune=commune, **form.cleaned_data)
        return redirect("training:workshop", pk=workshop.pk)
    context = {"form": form, "commune": commune}
    return render(request, "training/workshop_form.html", context)


@workshop_required(permissions.may_view_workshop)
def workshop_detail(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    enrolments = workshop.enrolments.select_related("volunteer__team").order_by(
        "status", "position"
    )
    context = {
        "workshop": workshop,
        "enrolments": enrolments,
        "form": EnrolForm(commune=workshop.commune),
        "can_manage": permissions.may_manage(request.user, workshop.commune_id),
        "can_run": permissions.may_run_workshop(request.user, workshop),
        "seats_taken": enrolments.filter(status=Enrolment.Status.ENROLLED).count(),
    }
    return render(request, "training/workshop_detail.html", context)


@require_POST
@staff_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=pk)
    if not permissions.may_manage(request.user, workshop.commune_id):
        return _forbidden()
    form = EnrolForm(request.POST, commune=workshop.commune)
    if not form.is_valid():
        messages.error(
            request, " ".join(form.non_field_errors() or [_("Dữ liệu không hợp lệ.")])
        )
        return redirect("training:workshop", pk=pk)
    try:
        if form.cleaned_data["team"]:
            rows = services.enrol_team(
                workshop=workshop, team=form.cleaned_data["team"]
            )
        else:
            rows = [
                services.enrol_volunteer(
                    workshop=workshop, volunteer=form.cleaned_data["volunteer"]
                )
            ]
    except TrainingError as error:
        messages.error(request, error.message)
        return redirect("training:workshop", pk=pk)
    waiting = sum(r.status == Enrolment.Status.WAITLISTED for r in rows)
    messages.success(
        request,
        _("Đã ghi danh %(n)s người, %(w)s người vào danh sách chờ.")
        % {"n": len(rows) - waiting, "w": waiting},
    )
    return redirect("training:workshop", pk=pk)


@require_POST
@login_required
def enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("workshop"), pk=pk)
    if not permissions.may_run_workshop(request.user, enrolment.workshop):
        return _forbidden()
    if action not in ("cancel", "present", "absent"):
        raise Http404
    if action == "cancel":
        promoted = services.cancel_enrolment(enrolment=enrolment)
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s được chuyển từ danh sách chờ lên.")
                % {"name": promoted.volunteer.full_name},
            )
    else:
        services.mark_attendance(
            enrolment=enrolment, by=request.user, present=action == "present"
        )
    return redirect("training:workshop", pk=enrolment.workshop_id)


@workshop_required(permissions.may_run_workshop)
def qr_screen(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    return render(request, "training/qr_screen.html", qr_context(workshop))


@workshop_required(permissions.may_run_workshop)
def qr_fragment(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    return render(request, "training/_qr.html", qr_context(workshop))


def qr_context(workshop: Workshop) -> dict:
    now = timezone.now()
    token = services.checkin_token(workshop=workshop, at=now)
    url = absolute(reverse("training:checkin", args=[workshop.pk, token]))
    return {
        "workshop": workshop,
        "qr": qr_svg(url),
        "open": services.checkin_open(workshop=workshop, at=now),
        "checked_in": workshop.enrolments.filter(checked_in_at__isnull=False).count(),
        "seconds_left": 60 - now.second,
    }


@login_required
def checkin(request: HttpRequest, workshop_pk: int, token: str) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=workshop_pk)
    volunteer = permissions.volunteer_of(request.user)
    context: dict = {"workshop": workshop, "token": token}
    if volunteer is None:
        context["error"] = _("Tài khoản này không phải tình nguyện viên.")
    elif request.method == "POST":
        try:
            context["enrolment"] = services.check_in_with_token(
                workshop=workshop, volunteer=volunteer, token=token
            )
        except TrainingError as error:
            context["error"] = error.message
    status = 400 if "error" in context else 200
    return render(request, "training/checkin.html", context, status=status)


@workshop_required(permissions.may_view_workshop)
def checklist(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    enrolments = (
        workshop.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("volunteer")
        .order_by("volunteer__full_name")
    )
    return render(
        request,
        "training/checklist.html",
        {"workshop": workshop, "enrolments": enrolments},
    )


@workshop_required(permissions.may_view_workshop)
def checklist_trainee(
    request: HttpRequest, workshop: Workshop, volunteer_pk: int
) -> HttpResponse:
    enrolment = get_object_or_404(
        workshop.enrolments.select_related("volunteer"), volunteer_id=volunteer_pk
    )
    volunteer = enrolment.volunteer
    can_run = permissions.may_run_workshop(request.user, workshop)
    if request.method == "POST":
        if not can_run:
            return _forbidden()
        raw = request.POST.get("step", "")
        step = get_object_or_404(
            PracticeStep,
            pk=int(raw) if raw.isdigit() else 0,
            topic__in=workshop.topics.all(),
        )
        done = request.POST.get("done") == "1"
        services.set_step_done(
            volunteer=volunteer, step=step, done=done, by=request.user
        )
        return redirect(request.path)
    done = set(volunteer.step_completions.values_list("step_id", flat=True))
    topics = [
        (t, [(s, s.pk in done) for s in t.steps.all()]) for t in workshop.topics.all()
    ]
    context = {
        "workshop": workshop,
        "volunteer": volunteer,
        "topics": topics,
        "can_run": can_run,
    }
    return render(request, "training/checklist_trainee.html", context)


# --- A volunteer's own pages ----------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    volunteer = permissions.volunteer_of(request.user)
    if volunteer is None:
        return render(request, "training/me.html", {"volunteer": None})
    now = timezone.now()
    context = {
        "volunteer": volunteer,
        "certificates": [
            (c, c.status_at(now))
            for c in selectors.volunteer_certificates(volunteer=volunteer)
        ],
        "enrolments": selectors.upcoming_enrolments(volunteer=volunteer, now=now),
        "quiz_topics": Topic.objects.filter(active=True, requires_quiz=True),
    }
    return render(request, "training/me.html", context)


@login_required
def quiz_start(request: HttpRequest, topic_key: str = "scam") -> HttpResponse:
    topic = get_object_or_404(Topic, key=topic_key, requires_quiz=True, active=True)
    volunteer = permissions.volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    context: dict = {
        "topic": topic,
        "left": quiz.attempts_left_today(volunteer=volunteer, topic=topic),
        "questions": settings.TRAINING_QUIZ_QUESTIONS,
        "pass_percent": settings.TRAINING_QUIZ_PASS_PERCENT,
    }
    if request.method == "POST":
        try:
            attempt = quiz.start_quiz(volunteer=volunteer, topic=topic)
            return redirect("training:quiz_attempt", pk=attempt.pk)
        except TrainingError as error:
            context["error"] = error.message
    return render(request, "training/quiz_start.html", context)


@login_required
def quiz_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(QuizAttempt, pk=pk, volunteer__user=request.user)
    if request.method == "POST" and attempt.submitted_at is None:
        answers = {
            qid: _position(request.POST.get(f"q{qid}")) for qid in attempt.question_ids
        }
        try:
            attempt = quiz.submit_quiz(attempt=attempt, answers=answers)
        except TrainingError as error:
            messages.error(request, error.message)
        return redirect("training:quiz_attempt", pk=attempt.pk)
    if attempt.submitted_at is None:
        context = {"attempt": attempt, "paper": quiz.quiz_paper(attempt=attempt)}
        return render(request, "training/quiz_paper.html", context)
    context = {
        "attempt": attempt,
        "marked": quiz.marked_paper(attempt=attempt),
        "pass_percent": settings.TRAINING_QUIZ_PASS_PERCENT,
        "certificates": attempt.volunteer.certificates.filter(
            issued_at__gte=attempt.submitted_at
        ),
    }
    return render(request, "training/quiz_result.html", context)


def _position(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 3 else None


# --- Coverage -----------------------------------------------------------------------------


@staff_required
def coverage(request: HttpRequest) -> HttpResponse:
    commune = permissions.staff_commune(request.user) or _commune_from(request)
    if commune is None:
        raise Http404
    report = coverage_selectors.coverage(commune=commune)
    by = request.GET.get("csv")
    if by in ("team", "village"):
        data = coverage_selectors.coverage_dataset(report=report, by=by)
        response = HttpResponse(
            export_table(data, "csv"), content_type="text/csv; charset=utf-8"
        )
        name = f"tap-huan-{commune.code.lower()}-{by}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"commune": commune, "report": report, "communes": Commune.objects.all()}
    return render(request, "training/coverage.html", context)


def _commune_from(request: HttpRequest) -> Commune | None:
    code = request.GET.get("commune", "")
    communes = Commune.objects.all()
    return (communes.filter(code=code).first() if code else None) or communes.first()


# --- Certificates -------------------------------------------------------------------------


@login_required
def certificate_print(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code=code)
    if certificate is None:
        raise Http404
    if not permissions.may_see_certificate(request.user, certificate):
        raise Http404
    verify_url = absolute(reverse("verify", args=[certificate.code]))
    context = {
        "certificate": certificate,
        "status": certificate.status_at(timezone.now()),
        "qr": qr_svg(verify_url, scale=5),
        "verify_url": verify_url,
        "can_revoke": permissions.may_revoke_certificate(request.user, certificate),
        "revoke_form": RevokeForm(),
    }
    return render(request, "training/certificate_print.html", context)


@require_POST
@staff_required
def certificate_revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code=code)
    form = RevokeForm(request.POST)
    if certificate is None or not permissions.may_see_certificate(
        request.user, certificate
    ):
        raise Http404
    if not permissions.may_revoke_certificate(request.user, certificate):
        return HttpResponseForbidden(_("Chỉ thư ký xã thu hồi được chứng nhận."))
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do thu hồi."))
    else:
        try:
            services.revoke_certificate(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _("Đã thu hồi chứng nhận."))
        except TrainingError as error:
            messages.error(request, error.message)
    return redirect("training:certificate", code=certificate.code)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    status = selectors.certificate_status(code)
    if status is None:
        return render(
            request, "training/verify_unknown.html", {"code": code[:40]}, status=404
        )
    return render(request, "training/verify.html", {"cert": status})
