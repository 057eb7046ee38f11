"""The office roles are Django groups whose permissions are defined in code."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from teams.models import StaffMember
from teams.roles import (
    OPERATOR_GROUP,
    OPERATOR_PERMISSIONS,
    SECRETARY_GROUP,
    SECRETARY_PERMISSIONS,
    ensure_role_groups,
)

pytestmark = pytest.mark.django_db


def granted(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_after_migrate_both_groups_hold_exactly_the_permissions_listed() -> None:
    # Also proves every listed "app.codename" names a real permission.
    assert granted(SECRETARY_GROUP) == set(SECRETARY_PERMISSIONS)
    assert granted(OPERATOR_GROUP) == set(OPERATOR_PERMISSIONS)


def test_the_secretary_manages_the_registry_but_not_accounts_or_schedules() -> None:
    secretary = granted(SECRETARY_GROUP)
    assert {"teams.change_volunteer", "teams.add_supportteam"} <= secretary
    assert "dispatch.view_helprequest" in secretary
    assert "training.change_workshop" in secretary
    assert not any(p.startswith(("auth.", "django_q.")) for p in secretary)
    assert "teams.change_staffmember" not in secretary
    assert "dispatch.view_personaldataaccess" not in secretary
    assert not any(p.split(".")[1].startswith("delete_") for p in secretary)


def test_the_operator_only_looks() -> None:
    operator = granted(OPERATOR_GROUP)
    assert "teams.view_volunteer" in operator
    assert all(p.split(".")[1].startswith("view_") for p in operator)
    assert "dispatch.view_helprequest" not in operator


def test_running_it_again_duplicates_nothing_and_keeps_the_members() -> None:
    member = get_user_model().objects.create_user("thuky")
    member.groups.add(Group.objects.get(name=SECRETARY_GROUP))
    groups, permissions = Group.objects.count(), Permission.objects.count()

    ensure_role_groups()
    ensure_role_groups()

    assert Group.objects.count() == groups
    assert Permission.objects.count() == permissions
    assert list(member.groups.values_list("name", flat=True)) == [SECRETARY_GROUP]
    assert granted(SECRETARY_GROUP) == set(SECRETARY_PERMISSIONS)


def test_it_puts_back_what_the_code_says_when_a_group_was_edited_by_hand() -> None:
    group = Group.objects.get(name=OPERATOR_GROUP)
    group.permissions.remove(Permission.objects.get(codename="view_volunteer"))
    group.permissions.add(Permission.objects.get(codename="change_user"))

    ensure_role_groups()

    assert granted(OPERATOR_GROUP) == set(OPERATOR_PERMISSIONS)


def test_it_creates_the_groups_when_they_are_missing() -> None:
    Group.objects.filter(name__in=[SECRETARY_GROUP, OPERATOR_GROUP]).delete()

    groups = ensure_role_groups()

    assert groups[StaffMember.Role.SECRETARY].name == SECRETARY_GROUP
    assert granted(OPERATOR_GROUP) == set(OPERATOR_PERMISSIONS)
