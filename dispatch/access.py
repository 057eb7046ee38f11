"""Who may see what, decided in one place for the WebSocket consumers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from teams.models import Commune, StaffMember


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
