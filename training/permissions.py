"""Who may do what in training: commune staff, a workshop's trainer, volunteers."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

from teams.models import Commune, StaffMember, Volunteer
from training.models import Workshop

# request.user: the auth User (AUTH_USER_MODEL is not swapped) or an anonymous visitor.
User = AuthUser | AnonymousUser


def is_training_staff(user: User) -> bool:
    """Django staff, or a commune operator/secretary (a teams.StaffMember)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or StaffMember.objects.filter(user=user).exists()


def staff_commune(user: AuthUser) -> Commune | None:
    """The commune a StaffMember works for; None means every commune (Django staff).

    For signed-in staff only: None would widen the scope, so callers check first.
    """
    member = StaffMember.objects.filter(user=user).select_related("commune").first()
    return member.commune if member is not None else None


def can_train(user: User, workshop: Workshop) -> bool:
    """The workshop's trainer or training staff."""
    if not user.is_authenticated:
        return False
    return workshop.trainer_id == user.pk or is_training_staff(user)


def volunteer_of(user: User) -> Volunteer | None:
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).select_related("team").first()
