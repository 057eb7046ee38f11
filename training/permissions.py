"""Who may do what in training: commune staff, a workshop's trainer, volunteers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from teams.models import Commune, StaffMember, Volunteer
from training.models import Workshop

User = AbstractBaseUser | AnonymousUser


def is_training_staff(user: User) -> bool:
    """Administrators (superusers), or a commune operator/secretary (a StaffMember).

    `is_staff` alone is not enough: an account whose office role was removed keeps
    nothing of it here.
    """
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or StaffMember.objects.filter(user=user).exists()


def staff_commune(user: User) -> Commune | None:
    """The commune a StaffMember works for; None means every commune (superusers)."""
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
