"""Commune scoping for the admin: office staff see and pick only their own commune.

Every admin page of commune data (this app's, and training's and dispatch's, which may
import the registry) derives from `CommuneScopedAdmin`. Model permissions say *what* a
secretary or operator may do (`teams.roles`); this says *where*: lists, change pages,
choices in forms and list filters hold only rows of her commune. Superusers, and Django
staff without a commune, see every commune (`teams.selectors.office_commune_id`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from teams.models import Commune, SupportTeam, Village, Volunteer
from teams.selectors import office_commune_id

# How rows of the registry reach their commune, for the choices offered in forms.
_CHOICE_PATHS: dict[type[Model], str] = {
    Commune: "pk",
    Village: "commune",
    SupportTeam: "commune",
    Volunteer: "team__commune",
}


def scoped_commune_id(request: HttpRequest) -> int | None:
    """`office_commune_id` of the request's user, looked up once per request."""
    if not hasattr(request, "_office_commune_id"):
        request._office_commune_id = office_commune_id(request.user)  # type: ignore[attr-defined]
    return request._office_commune_id  # type: ignore[attr-defined]


def commune_choices(model: type[Model], commune_id: int) -> QuerySet | None:
    """Rows of `model` that belong to the commune, or None if `model` is not scoped.

    Accounts (a workshop's trainer) are the commune's volunteers and office staff.
    """
    if model is get_user_model():
        mine = Q(volunteer__team__commune=commune_id)
        return model.objects.filter(mine | Q(staff_member__commune=commune_id))
    path = _CHOICE_PATHS.get(model)
    return None if path is None else model.objects.filter(**{path: commune_id})


class CommuneScopedAdmin(admin.ModelAdmin):
    """A model admin whose rows, choices and filters stop at an office user's commune.

    `commune_path` is the ORM path from the model to its commune: "commune",
    "team__commune", "request__commune"; "pk" for the commune itself.
    """

    commune_path = "commune"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        commune_id = scoped_commune_id(request)
        if commune_id is None:
            return queryset
        return queryset.filter(**{self.commune_path: commune_id})

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A related filter would list every commune's teams; only the ones in her
        # rows are offered instead.
        filters = super().get_list_filter(request)
        if scoped_commune_id(request) is None:
            return filters
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if self._is_relation(name)
            else name
            for name in filters
        ]

    def _limit_choices(
        self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]
    ) -> None:
        commune_id = scoped_commune_id(request)
        if commune_id is None or "queryset" in kwargs:
            return
        choices = commune_choices(db_field.related_model, commune_id)
        if choices is not None:
            kwargs["queryset"] = choices.distinct()

    def _is_relation(self, name: Any) -> bool:
        if not isinstance(name, str) or "__" in name:
            return False
        return self.model._meta.get_field(name).is_relation


class ReadOnlyAdminMixin:
    """Evidence and logs: shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
