"""Admin: each request with its timeline and offers inline, read-only.

Changes go through the services (staff pages, SMS, WebSocket), never through raw edits
here, so every change leaves its event.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dispatch import permissions
from dispatch.intake import retries, triage
from dispatch.live import phone_login
from dispatch.models import (
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    LoginLock,
    Offer,
    OutboundMessage,
    PersonalDataAccess,
    RequestEvent,
)
from dispatch.sms import delivery
from teams.admin_scope import (
    CommuneScopedAdmin,
    ReadOnlyAdminMixin,
    scoped_commune_id,
)
from teams.models import Commune
from teams.phones import try_normalize_phone


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RequestEventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ("id", "created_at", "kind", "actor_kind", "actor_user", "team", "data")
    readonly_fields = fields
    ordering = ("id",)


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = (
        "round",
        "team",
        "state",
        "offered_at",
        "expires_at",
        "answered_at",
        "answered_by",
        "reason",
        "distance_km",
    )
    readonly_fields = fields


class RecordAdmin(CommuneScopedAdmin):
    """Rows that are records of what happened: shown, never added, edited or deleted
    here (actions go through the services)."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(RecordAdmin):
    list_display = (
        "code",
        "commune",
        "status",
        "category",
        "priority",
        "village",
        "current_team",
        "created_at",
        "on_time",
    )
    list_filter = (
        "status",
        "category",
        "priority",
        "channel",
        "needs_triage",
        "location_source",
        "commune",
        "current_team",
    )
    search_fields = ("code", "resident_phone")
    date_hierarchy = "created_at"
    inlines = (OfferInline, RequestEventInline)
    list_select_related = ("commune", "village", "current_team")

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """Phones are stored E.164; staff type them as residents say them (09…)."""
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        phone = try_normalize_phone(search_term) if search_term else None
        if phone:
            results |= queryset.filter(resident_phone=phone)
        return results, may_have_duplicates


TRIAGE = "chua-ro-xa"


class UnprocessedFilter(admin.SimpleListFilter):
    title = _("xử lý")
    parameter_name = "xu_ly"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        choices = [
            ("khong-duoc", _("không xử lý được")),
            ("cho", _("chưa xử lý")),
        ]
        if permissions.may_place_unrouted_messages(user=request.user):
            choices.append((TRIAGE, _("chờ phân xã (số chưa gán cho xã nào)")))
        return choices

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "khong-duoc":
            return queryset.filter(gave_up_at__isnull=False, processed_at__isnull=True)
        if self.value() == TRIAGE:
            return queryset.filter(pk__in=triage.awaiting_triage().values("pk"))
        if self.value() == "cho":
            return queryset.filter(processed_at__isnull=True)
        return queryset


class PlaceInCommuneForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Xã"), queryset=Commune.objects.order_by("name")
    )


@admin.register(InboundMessage)
class InboundMessageAdmin(CommuneScopedAdmin):
    """Every stored message and call step. An office sees its commune's: those that
    became its requests, and those its hotline received that did not (a failure it
    may retry); messages to a number no commune has are the administrators' triage."""

    list_display = (
        "provider",
        "provider_id",
        "event",
        "from_number",
        "to_number",
        "commune",
        "received_at",
        "processing",
    )
    list_filter = ("provider", UnprocessedFilter)
    list_select_related = ("commune",)
    search_fields = ("provider_id", "from_number")
    readonly_fields = (
        "payload",
        "attempts",
        "last_tried_at",
        "last_error",
        "gave_up_at",
    )
    actions = ("process_again", "place_in_commune")

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        scope = permissions.inbound_messages_of(commune_id=scoped_commune_id(request))
        return queryset.filter(scope)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not permissions.may_place_unrouted_messages(user=request.user):
            actions.pop("place_in_commune", None)
        return actions

    @admin.display(description=_("xử lý"))
    def processing(self, obj: InboundMessage) -> str:
        if obj.processed_at is not None:
            return gettext("đã xử lý")
        if obj.commune_id is None and obj.request_id is None and obj.to_number:
            return gettext("chờ phân xã: số %(number)s chưa gán cho xã nào") % {
                "number": obj.to_number
            }
        if obj.gave_up_at is not None:
            return gettext("không xử lý được: %(error)s") % {"error": obj.last_error}
        if obj.last_error:
            return gettext("đang thử lại (%(n)d): %(error)s") % {
                "n": obj.attempts,
                "error": obj.last_error,
            }
        return gettext("chờ xử lý")

    @admin.action(description=_("Thử xử lý lại các tin đã chọn"), permissions=["view"])
    def process_again(self, request: HttpRequest, queryset) -> None:
        # Reading the row is enough: a retry changes nothing a person wrote, it only
        # runs the processing that failed (secretaries have view access here).
        count = retries.retry_by_hand(rows=queryset)
        self.message_user(
            request,
            ngettext(
                "Đã xếp %d tin để xử lý lại.", "Đã xếp %d tin để xử lý lại.", count
            )
            % count,
        )

    @admin.action(description=_("Giao các tin đã chọn cho một xã (phân xã)"))
    def place_in_commune(self, request: HttpRequest, queryset) -> Any:
        if not permissions.may_place_unrouted_messages(user=request.user):
            raise PermissionDenied
        form = PlaceInCommuneForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = triage.place_in_commune(
                rows=queryset, commune=form.cleaned_data["commune"]
            )
            self.message_user(
                request,
                ngettext(
                    "Đã giao %(n)d tin cho %(commune)s.",
                    "Đã giao %(n)d tin cho %(commune)s.",
                    count,
                )
                % {"n": count, "commune": form.cleaned_data["commune"].name},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Giao tin cho xã"),
            "form": form,
            "rows": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/dispatch/inboundmessage/place_in_commune.html", context
        )


@admin.register(OutboundMessage)
class OutboundMessageAdmin(CommuneScopedAdmin):
    list_display = (
        "to_number",
        "purpose",
        "status",
        "segments",
        "attempts",
        "last_error",
        "backend",
        "created_at",
    )
    list_filter = ("status", "purpose", "backend")
    search_fields = ("to_number", "provider_id")
    actions = ("send_again",)

    @admin.action(description=_("Gửi lại các tin đã thất bại"), permissions=["change"])
    def send_again(self, request: HttpRequest, queryset) -> None:
        count = sum(delivery.requeue(message=m) for m in queryset)
        self.message_user(
            request, ngettext("Đã xếp lại %d tin.", "Đã xếp lại %d tin.", count) % count
        )


@admin.register(LoginLock)
class LoginLockAdmin(RecordAdmin):
    """Phones locked out of code sign-in; a secretary lifts a lock with the action."""

    commune_path = "volunteer__team__commune"
    list_display = (
        "volunteer",
        "locked_at",
        "wrong_codes",
        "unlocked_at",
        "unlocked_by",
    )
    list_filter = ("unlocked_at",)
    search_fields = ("volunteer__full_name",)
    list_select_related = ("volunteer", "unlocked_by")
    actions = ("unlock",)

    @admin.action(description=_("Mở khoá đăng nhập bằng mã"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset) -> None:
        count = sum(
            phone_login.unlock_login(lock=lock, by=request.user)
            for lock in queryset.select_related("volunteer__team")
            if permissions.may_unlock_login(user=request.user, lock=lock)
        )
        self.message_user(
            request, ngettext("Đã mở khoá %d số.", "Đã mở khoá %d số.", count) % count
        )


# The dashboard's own models (API tokens, duty log) register themselves here.
from dispatch.dashboard import admin as dashboard_admin  # noqa: E402, F401


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The access log is evidence: read-only, for administrators (SECURITY.md T2)."""

    list_display = ("at", "user", "purpose", "request", "records", "ip")
    list_filter = ("purpose",)
    search_fields = ("user__username", "request__code")
    date_hierarchy = "at"


@admin.register(ConsentRecord)
class ConsentRecordAdmin(PersonalDataAccessAdmin):
    list_display = ("at", "purpose", "method", "given", "request", "evidence")
    list_filter = ("purpose", "method", "given")
    search_fields = ("request__code", "evidence")
