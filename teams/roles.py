"""Office roles as Django auth groups: what commune staff may do in /admin/.

The pages outside the admin (live board, dashboard, exports, the data-subject page, the
API) decide by `StaffMember.role`; the admin decides by Django's model permissions. This
module ties the two together in one place: each office role has a group, and the group's
permissions are listed here, in code, as "app_label.codename" strings (the registry may
not import dispatch or training, so it names their permissions instead).

The groups are kept in step with this list after every `migrate` (a `post_migrate`
receiver, see `apps.py`) and by `seed_demo`. A data migration cannot do it: Django
creates model permissions only after all migrations have run, so on a fresh database
the permissions a migration would grant do not exist yet, and every change of a role
would need another migration. Administrators (superusers) need no group.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

from teams.models import StaffMember

# Group names are stored rows, shown as they are in the admin (not translated): they
# are the office's own words for the roles.
SECRETARY_GROUP = "Thư ký xã"
OPERATOR_GROUP = "Tổng đài viên"


def _perms(app_label: str, model: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"{app_label}.{action}_{model}" for action in actions)


VIEW, EDIT = ("view",), ("view", "add", "change")

# A secretary runs her commune's registry and training and reads its requests and
# messages. She does not manage Django accounts, the office staff list, others' API keys,
# schedules and queues (django_q), the access and consent logs, or the dashboard's
# tallies: those are the administrator's. Nothing is deleted from the admin by office
# staff: volunteers and teams are deactivated, requests and logs are evidence.
SECRETARY_PERMISSIONS: tuple[str, ...] = (
    *_perms("teams", "commune", *VIEW),
    *_perms("teams", "village", *EDIT),
    *_perms("teams", "supportteam", *EDIT),
    *_perms("teams", "volunteer", *EDIT),
    # The household register (issue 21): residents' details, so secretaries only.
    *_perms("teams", "household", *EDIT),
    *_perms("teams", "staffmember", *VIEW),
    *_perms("training", "topic", *VIEW),
    *_perms("training", "practicestep", *VIEW),
    *_perms("training", "question", *VIEW),
    *_perms("training", "choice", *VIEW),
    *_perms("training", "workshop", *EDIT),
    *_perms("training", "enrolment", *EDIT),
    *_perms("training", "certificate", *EDIT),
    *_perms("training", "quizattempt", *VIEW),
    *_perms("dispatch", "helprequest", *VIEW),
    *_perms("dispatch", "offer", *VIEW),
    *_perms("dispatch", "requestevent", *VIEW),
    *_perms("dispatch", "inboundmessage", *VIEW),
    *_perms("dispatch", "outboundmessage", *VIEW),
    *_perms("dispatch", "dutychange", *VIEW),
    # Lifting a volunteer's code sign-in lock (an admin action, "change").
    *_perms("dispatch", "loginlock", "view", "change"),
    # Her own API keys only (the admin shows office staff no one else's).
    *_perms("dispatch", "apitoken", *EDIT),
    # Her commune's Zalo OA (keys, "test connection") and who wrote to it.
    *_perms("dispatch", "zaloaccount", *EDIT),
    *_perms("dispatch", "zalocontact", *VIEW),
)

# An operator takes calls: she looks up villages, teams and volunteers (whom to ring),
# and who holds which certificate. Residents' requests and messages are not hers to
# browse in the admin: residents' personal data in lists is for secretaries
# (`dispatch.permissions.may_see_personal_data`).
OPERATOR_PERMISSIONS: tuple[str, ...] = (
    *_perms("teams", "commune", *VIEW),
    *_perms("teams", "village", *VIEW),
    *_perms("teams", "supportteam", *VIEW),
    *_perms("teams", "volunteer", *VIEW),
    *_perms("training", "topic", *VIEW),
    *_perms("training", "workshop", *VIEW),
    *_perms("training", "certificate", *VIEW),
)

ROLE_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    StaffMember.Role.SECRETARY: (SECRETARY_GROUP, SECRETARY_PERMISSIONS),
    StaffMember.Role.OPERATOR: (OPERATOR_GROUP, OPERATOR_PERMISSIONS),
}


def ensure_role_groups(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Group]:
    """Create the office-role groups, or bring their permissions in line with this list.

    Idempotent: groups are found by name and never recreated or deleted, so their
    members stay; each ends up with exactly the permissions listed here (a permission
    an administrator added by hand to one of these groups is taken away again: make a
    group of your own for a special role). Permissions that do not exist yet (a
    partial migrate) are skipped and granted on the next run. Returns the groups by
    StaffMember role. One transaction; no locks beyond the rows written.
    """
    groups: dict[str, Group] = {}
    with transaction.atomic(using=using):
        for role, (name, wanted) in ROLE_GROUPS.items():
            group, _created = Group.objects.using(using).get_or_create(name=name)
            group.permissions.set(_permissions(wanted, using=using))
            groups[role] = group
    return groups


def _permissions(names: tuple[str, ...], *, using: str) -> list[Permission]:
    match = Q()
    for name in names:
        app_label, codename = name.split(".")
        match |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.using(using).filter(match))


def grant_office_role(*, member: StaffMember) -> None:
    """Give a commune office account the admin access of its role.

    The user becomes Django staff (may log in to /admin/) and a member of the group of
    `member.role`, and leaves the other office-role groups (a role change). Other groups
    and `is_superuser` are left alone. Creates the groups if they are missing.
    """
    groups = _role_groups()
    user = member.user
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    others = [group for role, group in groups.items() if role != member.role]
    user.groups.remove(*others)
    if member.role in groups:
        user.groups.add(groups[member.role])


def revoke_office_role(*, user: Any) -> None:
    """Take away what `grant_office_role` gave: the office-role groups and `is_staff`.

    Called when a StaffMember row goes (`teams.services.remove_staff_member`, and the
    `post_delete` receiver for the admin's delete and a commune's cascade). A superuser
    keeps `is_staff` (administrators use the admin by that flag); other groups stay.
    """
    names = [name for name, _wanted in ROLE_GROUPS.values()]
    user.groups.remove(*Group.objects.filter(name__in=names))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def revoke_after_staff_member_delete(
    sender: Any, *, instance: StaffMember, **kwargs: Any
) -> None:
    """`post_delete` receiver: however a StaffMember row goes, its access goes too."""
    user_model = instance._meta.get_field("user").related_model
    user = user_model.objects.filter(pk=instance.user_id).first()
    if user is not None:  # the account itself may be what was deleted
        revoke_office_role(user=user)


def _role_groups() -> dict[str, Group]:
    roles = {name: role for role, (name, _wanted) in ROLE_GROUPS.items()}
    found = {roles[g.name]: g for g in Group.objects.filter(name__in=roles)}
    return found if len(found) == len(roles) else ensure_role_groups()


def sync_role_groups_after_migrate(sender: Any, *, using: str, **kwargs: Any) -> None:
    """`post_migrate` receiver: keep the groups in step once every app has migrated.

    Django sends post_migrate once per app, in INSTALLED_APPS order, and creates each
    app's permissions in that app's turn; the groups name permissions of several apps,
    so they are synced in the last app's turn, when all permissions exist.
    """
    with_models = [c for c in global_apps.get_app_configs() if c.models_module]
    if with_models and sender is with_models[-1]:
        ensure_role_groups(using=using)
