from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from teams.admin_scope import CommuneScopedAdmin
from training import services
from training.errors import TrainingError
from training.models import (
    Certificate,
    Choice,
    PracticeStep,
    Question,
    QuizAttempt,
    ScamPattern,
    Topic,
    Workshop,
)


class PracticeStepInline(admin.TabularInline):
    model = PracticeStep
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "validity_months", "requires_quiz", "active"]
    inlines = [PracticeStepInline]


@admin.register(Workshop)
class WorkshopAdmin(CommuneScopedAdmin):
    list_display = ["title", "starts_at", "place", "trainer", "capacity"]
    list_filter = ["commune", "topics", "is_sample"]
    search_fields = ["title", "address"]
    filter_horizontal = ["topics"]
    date_hierarchy = "starts_at"
    # Enrolments are made on the workshop page, through the services that keep the
    # waitlist in order, not edited here.


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1
    min_num = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "pattern", "topic", "active"]
    list_filter = ["topic", "pattern", "active"]
    search_fields = ["text", "explanation"]
    inlines = [ChoiceInline]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(CommuneScopedAdmin):
    commune_path = "volunteer__team__commune"
    list_display = [
        "volunteer",
        "topic",
        "started_at",
        "submitted_at",
        "score",
        "passed",
    ]
    list_filter = ["passed", "topic"]
    raw_id_fields = ["volunteer"]
    readonly_fields = ["question_ids", "choice_order", "answers"]


@admin.register(Certificate)
class CertificateAdmin(CommuneScopedAdmin):
    commune_path = "volunteer__team__commune"
    list_display = [
        "code",
        "volunteer",
        "topic",
        "issued_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["topic", "revoked_at"]
    search_fields = ["code", "volunteer__full_name", "volunteer__phone"]
    raw_id_fields = ["volunteer"]
    readonly_fields = ["code", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    @admin.action(description=_("Thu hồi chứng nhận đã chọn"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> None:
        for certificate in queryset:
            try:
                services.revoke_certificate(
                    certificate=certificate,
                    reason=gettext("Thu hồi từ trang quản trị"),
                    by=request.user,
                )
            except TrainingError as error:
                self.message_user(request, error.message, messages.WARNING)


@admin.register(ScamPattern)
class ScamPatternAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "what_to_do", "never_do", "active"]
    search_fields = ["name", "key"]
