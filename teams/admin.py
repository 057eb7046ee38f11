"""Admin of the commune registry (Vietnamese by default, searchable without diacritics)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from teams.admin_scope import CommuneScopedAdmin, commune_choices, scoped_commune_id
from teams.forms import HouseholdImportForm, VolunteerForm, VolunteerImportForm
from teams.households import import_households
from teams.models import (
    LANGUAGE_NAMES,
    Commune,
    Household,
    StaffMember,
    SupportTeam,
    Village,
    Volunteer,
)
from teams.phones import try_normalize_phone
from teams.roles import grant_office_role
from teams.services import (
    import_volunteers,
    remove_staff_member,
    save_volunteer,
    set_on_duty,
)
from teams.spreadsheets import SpreadsheetError, read_table
from teams.text import fold

admin.site.site_header = _("Cầu Nối — quản trị")
admin.site.site_title = _("Cầu Nối")
admin.site.index_title = _("Quản lý xã, tổ hỗ trợ và tình nguyện viên")


class FoldedSearchMixin:
    """Also match the folded `search_key`, so "dak ndrung" finds "Đắk N'Drung"."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        words = fold(search_term).split()
        if words:
            matches = queryset
            for word in words:  # every word somewhere, like the admin's own search
                matches = matches.filter(search_key__contains=word)
            results |= matches
        return results, may_have_duplicates


class PhoneSearchMixin:
    """A number typed in any common form finds the row by its stored E.164 phone(s)."""

    phone_fields: tuple[str, ...] = ("phone",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        results, dupes = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        phone = try_normalize_phone(search_term)
        if phone:
            matches = Q()
            for name in self.phone_fields:
                matches |= Q(**{name: phone})
            results |= queryset.filter(matches)
        return results, dupes


@admin.register(Commune)
class CommuneAdmin(CommuneScopedAdmin):
    commune_path = "pk"
    list_display = ["name", "code", "province", "village_count", "is_sample"]
    list_filter = ["is_sample", "province"]
    search_fields = ["name", "code", "province"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_villages=Count("villages"))

    @admin.display(description=_("số thôn, bon"), ordering="_villages")
    def village_count(self, obj: Commune) -> int:
        return obj._villages


@admin.register(Village)
class VillageAdmin(FoldedSearchMixin, CommuneScopedAdmin):
    list_display = ["number", "name", "kind", "commune", "households", "population"]
    list_display_links = ["number", "name"]
    list_filter = ["kind", "commune"]
    search_fields = ["name"]
    ordering = ["commune", "number"]
    readonly_fields = ["search_key"]


class VolunteerInline(admin.TabularInline):
    model = Volunteer
    form = VolunteerForm
    fields = [
        "full_name",
        "phone",
        "role",
        "affiliation",
        "on_duty",
        "capacity",
        "active",
    ]
    extra = 0
    show_change_link = True


@admin.register(SupportTeam)
class SupportTeamAdmin(CommuneScopedAdmin):
    list_display = ["name", "kind", "commune", "members", "on_duty", "active"]
    list_filter = ["kind", "active", "commune"]
    search_fields = ["name", "villages__name", "villages__search_key"]
    filter_horizontal = ["villages"]
    inlines = [VolunteerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("commune")
            .annotate(
                _members=Count("volunteers", filter=Q(volunteers__active=True)),
                _on_duty=Count(
                    "volunteers",
                    filter=Q(volunteers__active=True, volunteers__on_duty=True),
                ),
            )
        )

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is not Volunteer:
            super().save_formset(request, form, formset, change)
            return
        # Members edited in the team's page: duty changes are logged and pushed like
        # any other (teams.services.save_volunteer), not saved behind the log's back.
        for volunteer in formset.save(commit=False):
            save_volunteer(volunteer=volunteer, user=request.user)
        for volunteer in formset.deleted_objects:
            volunteer.delete()
        formset.save_m2m()

    @admin.display(description=_("thành viên"), ordering="_members")
    def members(self, obj: SupportTeam) -> int:
        return obj._members

    @admin.display(description=_("đang trực"), ordering="_on_duty")
    def on_duty(self, obj: SupportTeam) -> int:
        return obj._on_duty


class LanguageFilter(admin.SimpleListFilter):
    title = _("ngôn ngữ")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return list(LANGUAGE_NAMES.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if code not in LANGUAGE_NAMES:
            return queryset
        # JSON "contains" is not available on SQLite; codes are ASCII words, so a
        # quoted text match on the JSON list is exact on both databases.
        return queryset.filter(languages__icontains=f'"{code}"')


@admin.register(Volunteer)
class VolunteerAdmin(PhoneSearchMixin, FoldedSearchMixin, CommuneScopedAdmin):
    commune_path = "team__commune"
    form = VolunteerForm
    list_display = [
        "full_name",
        "phone",
        "team",
        "role",
        "affiliation",
        "language_list",
        "on_duty",
        "active",
    ]
    list_filter = ["team", "role", "affiliation", "on_duty", LanguageFilter, "active"]
    list_select_related = ["team"]
    search_fields = ["full_name", "phone", "user__username"]
    actions = ["mark_on_duty", "mark_off_duty"]
    readonly_fields = ["user"]

    def get_fields(self, request: HttpRequest, obj: Volunteer | None = None):
        fields = list(super().get_fields(request, obj))
        return fields if obj else [f for f in fields if f != "user"]

    @admin.display(description=_("ngôn ngữ"))
    def language_list(self, obj: Volunteer) -> str:
        return ", ".join(str(LANGUAGE_NAMES.get(c, c)) for c in obj.languages)

    @admin.action(description=_("Đánh dấu đang trực"), permissions=["change"])
    def mark_on_duty(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_on_duty(request, queryset, on_duty=True)

    @admin.action(description=_("Đánh dấu nghỉ trực"), permissions=["change"])
    def mark_off_duty(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_on_duty(request, queryset, on_duty=False)

    def _set_on_duty(
        self, request: HttpRequest, queryset: QuerySet, *, on_duty: bool
    ) -> None:
        # Only the volunteers whose flag really changed count (and are logged).
        count = len(
            set_on_duty(volunteers=queryset, on_duty=on_duty, user=request.user)
        )
        self.message_user(
            request,
            ngettext(
                "Đã cập nhật %(count)d tình nguyện viên.",
                "Đã cập nhật %(count)d tình nguyện viên.",
                count,
            )
            % {"count": count},
        )

    def save_model(
        self, request: HttpRequest, obj: Volunteer, form: Any, change: bool
    ) -> None:
        save_volunteer(volunteer=obj, user=request.user)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="teams_volunteer_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return spreadsheet_import(
            self,
            request,
            form_class=VolunteerImportForm,
            run=lambda rows, commune: import_volunteers(
                rows=rows, commune=commune, user=request.user
            ),
            title=gettext("Nhập tình nguyện viên từ tệp"),
            intro=gettext(
                "Mỗi dòng là một tình nguyện viên. Người đã có (cùng số điện thoại) sẽ"
                " được cập nhật, không bị thêm trùng. Dòng lỗi được bỏ qua và liệt kê"
                " bên dưới; các dòng khác vẫn được nhập."
            ),
        )


def spreadsheet_import(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form_class: Any,
    run: Any,
    title: str,
    intro: str,
) -> HttpResponse:
    """The admin's upload page of a commune spreadsheet: refused rows listed with their
    numbers; the commune choice limited to the user's own commune."""
    changelist = f"admin:{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_changelist"
    if not model_admin.has_add_permission(request):
        return redirect(changelist)
    form = form_class(request.POST or None, request.FILES or None)
    commune_id = scoped_commune_id(request)
    if commune_id is not None:
        form.fields["commune"].queryset = commune_choices(Commune, commune_id)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(content=upload.read(), filename=upload.name)
        except SpreadsheetError as exc:
            form.add_error("file", exc.message)
        else:
            report = run(rows, form.cleaned_data["commune"])
            level = messages.SUCCESS if report.ok else messages.WARNING
            model_admin.message_user(request, report.summary(), level)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "intro": intro,
        "form": form,
        "report": report,
        "changelist_url": reverse(changelist),
    }
    return TemplateResponse(request, "admin/teams/volunteer/import.html", context)


@admin.register(Household)
class HouseholdAdmin(PhoneSearchMixin, FoldedSearchMixin, CommuneScopedAdmin):
    """The household register; imported from the commune's spreadsheet."""

    phone_fields = ("phone", "phone_alt")
    change_list_template = "admin/teams/household/change_list.html"
    list_display = ["code", "head_name", "village", "members", "phone", "consent_at"]
    list_filter = [
        "village",
        "has_elderly",
        "elderly_alone",
        "has_disability",
        "ethnic_minority",
        "no_smartphone",
    ]
    list_select_related = ["village"]
    search_fields = ["code", "head_name", "phone", "phone_alt"]
    readonly_fields = ["search_key", "added_by", "erased_at", "created_at"]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="teams_household_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return spreadsheet_import(
            self,
            request,
            form_class=HouseholdImportForm,
            run=lambda rows, commune: import_households(rows=rows, commune=commune),
            title=gettext("Nhập sổ hộ gia đình từ tệp"),
            intro=gettext(
                "Mỗi dòng là một hộ. Hộ đã có (cùng mã hộ, hoặc cùng chủ hộ và số điện"
                " thoại trong thôn) sẽ được cập nhật, không bị thêm trùng. Dòng lỗi được"
                " bỏ qua và liệt kê bên dưới; các dòng khác vẫn được nhập."
            ),
        )


@admin.register(StaffMember)
class StaffMemberAdmin(CommuneScopedAdmin):
    list_display = ["__str__", "role", "commune", "phone"]
    list_filter = ["role", "commune"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "phone"]
    list_select_related = ["user", "commune"]
    raw_id_fields = ["user"]

    def save_model(
        self, request: HttpRequest, obj: StaffMember, form: Any, change: bool
    ) -> None:
        # The account gets the admin access of its role (and loses the other role's).
        super().save_model(request, obj, form, change)
        grant_office_role(member=obj)

    def delete_model(self, request: HttpRequest, obj: StaffMember) -> None:
        # The account loses the admin access of its role with the role.
        remove_staff_member(member=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for member in queryset.select_related("user"):
            remove_staff_member(member=member)
