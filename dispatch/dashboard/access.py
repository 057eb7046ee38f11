"""Who may see the dashboard, the API and residents' personal data."""

from __future__ import annotations

from typing import Any

from teams.models import Commune, StaffMember, Volunteer


def dashboard_commune(*, user: Any, requested: int | None = None) -> Commune | None:
    """The commune whose dashboard `user` may see, or None.

    Commune staff and volunteers see their own commune (volunteers only the figures, see
    `may_see_personal_data`); Django staff see the commune they ask for, or the first.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    staff = StaffMember.objects.filter(user=user).select_related("commune").first()
    if staff is not None:
        return staff.commune
    if user.is_staff:
        communes = Commune.objects.order_by("pk")
        if requested is not None:
            communes = communes.filter(pk=requested)
        return communes.first()
    volunteer = (
        Volunteer.objects.filter(user=user, active=True)
        .select_related("team__commune")
        .first()
    )
    return volunteer.team.commune if volunteer is not None else None


def is_office_staff(*, user: Any) -> bool:
    """Operators, secretaries and administrators (the JSON API is theirs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or StaffMember.objects.filter(user=user).exists()


def may_see_personal_data(*, user: Any) -> bool:
    """Residents' names and phones in lists and exports: secretaries and admins only."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return StaffMember.objects.filter(
        user=user, role=StaffMember.Role.SECRETARY
    ).exists()
