"""Who may do what in training: commune staff, a workshop's trainer, volunteers."""

from __future__ import annotations

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

from teams.models import Commune, StaffMember, Volunteer
from training.models import Certificate, Workshop

# request.user: the auth User (AUTH_USER_MODEL is not swapped) or an anonymous visitor.
User = AuthUser | AnonymousUser


def is_training_staff(user: User) -> TypeGuard[AuthUser]:
    """Django staff, or a commune operator/secretary (a teams.StaffMember); True means
    a signed-in user, which the type guard tells the checker."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or StaffMember.objects.filter(user=user).exists()


def staff_commune(user: AuthUser) -> Commune | None:
    """The commune a StaffMember works for; None means every commune (Django staff).

    For signed-in staff only: None would widen the scope, so callers check first.
    """
    member = StaffMember.objects.filter(user=user).select_related("commune").first()
    return member.commune if member is not None else None


def in_scope(user: User, commune_id: int) -> TypeGuard[AuthUser]:
    """Training staff who may read the commune's training: its operators and
    secretaries; Django staff without a commune (administrators) everywhere."""
    if not is_training_staff(user):
        return False
    member = StaffMember.objects.filter(user=user).only("commune_id").first()
    if member is None:
        return True  # is_staff without a commune: see is_training_staff
    return member.commune_id == commune_id


def may_manage(user: User, commune_id: int) -> bool:
    """Who may change the commune's training (create, enrol, mark, revoke): its
    secretaries and administrators. Operators read training, as everywhere else."""
    if not in_scope(user, commune_id):
        return False
    member = StaffMember.objects.filter(user=user).only("role").first()
    return member is None or member.role == StaffMember.Role.SECRETARY


def may_view_workshop(user: User, workshop: Workshop) -> bool:
    """The workshop's trainer, or training staff of its commune."""
    if not user.is_authenticated:
        return False
    return workshop.trainer_id == user.pk or in_scope(user, workshop.commune_id)


def may_run_workshop(user: User, workshop: Workshop) -> bool:
    """Mark attendance and practice steps, show the check-in QR: the trainer, or
    those who manage the commune's training."""
    if not user.is_authenticated:
        return False
    return workshop.trainer_id == user.pk or may_manage(user, workshop.commune_id)


def may_see_certificate(user: User, certificate: Certificate) -> bool:
    """Its holder, or training staff of the holder's commune."""
    if not user.is_authenticated:
        return False
    if certificate.volunteer.user_id == user.pk:
        return True
    return in_scope(user, certificate.volunteer.team.commune_id)


def may_revoke_certificate(user: User, certificate: Certificate) -> bool:
    return may_manage(user, certificate.volunteer.team.commune_id)


def volunteer_of(user: User) -> Volunteer | None:
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).select_related("team").first()
