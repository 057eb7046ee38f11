"""Who may see what, decided in one place for the WebSocket consumers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from dispatch.models import LoginLock
from teams.models import Commune, StaffMember, Volunteer


def board_commune_id(
    *, user: AbstractBaseUser | AnonymousUser, requested: int | None = None
) -> int | None:
    """The commune whose live board `user` may watch, or None if they may watch none.

    Commune staff (operators, secretaries) watch their own commune. Django staff without
    a commune (administrators) watch the commune they ask for, or the first one.
    """
    if not user.is_authenticated:
        return None
    own = (
        StaffMember.objects.filter(user=user)
        .values_list("commune_id", flat=True)
        .first()
    )
    if own is not None:
        return own
    if not getattr(user, "is_staff", False):
        return None
    communes = Commune.objects.order_by("pk")
    if requested is not None:
        communes = communes.filter(pk=requested)
    return communes.values_list("pk", flat=True).first()


def may_unlock_login(
    *, user: AbstractBaseUser | AnonymousUser, lock: LoginLock
) -> bool:
    """A superuser, a secretary of the locked volunteer's commune, or an active leader
    of their team may lift a code sign-in lock. Operators may not: it is an account
    decision, not a call."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    volunteer = lock.volunteer
    if StaffMember.objects.filter(
        user=user,
        role=StaffMember.Role.SECRETARY,
        commune_id=volunteer.team.commune_id,
    ).exists():
        return True
    return Volunteer.objects.filter(
        user=user,
        active=True,
        role=Volunteer.Role.LEADER,
        team_id=volunteer.team_id,
    ).exists()


def unlockable_login_locks(
    *, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[LoginLock]:
    """Open code sign-in locks `user` may lift (see `may_unlock_login`), newest first."""
    locks = LoginLock.objects.filter(unlocked_at__isnull=True).select_related(
        "volunteer__team"
    )
    if not user.is_authenticated:
        return locks.none()
    if getattr(user, "is_superuser", False):
        return locks
    secretary_of = StaffMember.objects.filter(
        user=user, role=StaffMember.Role.SECRETARY
    ).values("commune_id")
    leader_of = Volunteer.objects.filter(
        user=user, active=True, role=Volunteer.Role.LEADER
    ).values("team_id")
    return locks.filter(
        Q(volunteer__team__commune_id__in=secretary_of)
        | Q(volunteer__team_id__in=leader_of)
    )
