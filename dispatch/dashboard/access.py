"""Who may see the dashboard, the API and residents' personal data."""

from __future__ import annotations

from typing import Any

from dispatch.access import board_commune_id
from teams.models import Commune, StaffMember, Volunteer


def dashboard_commune(*, user: Any, requested: int | None = None) -> Commune | None:
    """The commune whose dashboard, monthly report and exports `user` may see, or None.

    The one rule for the dashboard (its pages and every link to it): commune office
    staff (operators, secretaries) see their own commune; Django staff the commune they
    ask for, or the first; team leaders their team's commune. All of them see figures;
    personal data only as `may_see_personal_data` allows. Ordinary volunteers see none:
    the figures are for those who run the service.
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
    leader = (
        Volunteer.objects.filter(user=user, active=True, role=Volunteer.Role.LEADER)
        .select_related("team__commune")
        .first()
    )
    return leader.team.commune if leader is not None else None


def may_see_dashboard(*, user: Any) -> bool:
    """Whether to show `user` a link to the dashboard (same rule as the pages)."""
    return dashboard_commune(user=user) is not None


def may_watch_live(*, user: Any, commune: Commune) -> bool:
    """Whether the dashboard of `commune` may follow the live board channel for `user`.

    The channel is the office's (`dispatch.access.board_commune_id`); team leaders see
    the dashboard as of when they loaded it.
    """
    return board_commune_id(user=user, requested=commune.pk) == commune.pk


def is_office_staff(*, user: Any) -> bool:
    """Operators, secretaries and administrators (the JSON API is theirs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or StaffMember.objects.filter(user=user).exists()


def may_see_personal_data(*, user: Any) -> bool:
    """Residents' names and phones in lists and exports: secretaries and admins only.

    Office staff are judged by their role, not by `is_staff`: operators may use the
    admin (to look up teams and volunteers) and still see no resident's details.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    role = StaffMember.objects.filter(user=user).values_list("role", flat=True).first()
    if role is not None:
        return role == StaffMember.Role.SECRETARY
    return bool(user.is_staff)
