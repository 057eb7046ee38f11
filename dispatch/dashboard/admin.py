"""Admin for API tokens (the key is shown once, on creation) and the duty log (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dispatch.dashboard import tokens
from dispatch.models import ApiToken, DutyChange
from teams.admin_scope import CommuneScopedAdmin, ReadOnlyAdminMixin


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    # Office staff with the permissions (secretaries, teams.roles) see and make only
    # their own keys; administrators manage everyone's.
    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else ["user", *fields]

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change) -> None:
        if not request.user.is_superuser:
            obj.user = request.user
        if change:
            super().save_model(request, obj, form, change)
            return
        key = tokens.new_key(obj)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            gettext("Khoá API mới (chỉ hiện một lần, hãy lưu lại ngay): %(key)s")
            % {"key": key},
        )

    @admin.action(description=_("Thu hồi các khoá đã chọn"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset) -> None:
        count = tokens.revoke_tokens(tokens=queryset)
        messages.success(request, gettext("Đã thu hồi %(n)d khoá.") % {"n": count})


@admin.register(DutyChange)
class DutyChangeAdmin(ReadOnlyAdminMixin, CommuneScopedAdmin):
    commune_path = "team__commune"
    list_display = ["at", "volunteer", "team", "on_duty", "actor_user"]
    list_filter = ["on_duty", "team"]
    date_hierarchy = "at"
    search_fields = ["volunteer__full_name"]
