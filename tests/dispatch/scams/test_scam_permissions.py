"""The scam rules of dispatch/permissions.py, asked directly for every role and scope
(the pages' content per role is in test_scam_report, test_village_warning and the
permission matrix)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dispatch import permissions
from dispatch.scams import services
from tests.personas import nam_binh_commune, nam_binh_staff


@pytest.fixture
def people(duc_an, leader_of_thon_1):
    far = nam_binh_staff(nam_binh_commune(), "secretary")
    admin = get_user_model().objects.create_superuser("quantri", password="x-y-z-123")
    return {
        "anonymous": AnonymousUser(),
        "assignee": duc_an.an.user,
        "other_volunteer": duc_an.binh.user,
        "leader": leader_of_thon_1.user,
        "operator": duc_an.operator.user,
        "secretary": duc_an.secretary.user,
        "far_secretary": far.user,
        "superuser": admin,
    }


def test_who_records_a_scam_on_a_request(people, scam_request):
    allowed = {
        name
        for name, user in people.items()
        if permissions.may_record_scam(user=user, request=scam_request)
    }
    assert allowed == {"assignee", "secretary", "superuser"}


def test_who_lists_and_searches_scam_reports(people, duc_an):
    scopes = {
        name: permissions.scam_office_commune_ids(user=user)
        for name, user in people.items()
    }
    far_commune = people["far_secretary"].staff_member.commune_id
    assert scopes == {
        "anonymous": [],
        "assignee": [],
        "other_volunteer": [],
        "leader": [],
        "operator": [],
        "secretary": [duc_an.commune.pk],
        "far_secretary": [far_commune],
        "superuser": None,
    }


def test_who_warns_which_villages(people, duc_an):
    def villages(name: str) -> set[str]:
        return set(
            permissions.warning_villages(user=people[name]).values_list(
                "name", flat=True
            )
        )

    every_village = set(duc_an.commune.villages.values_list("name", flat=True))
    assert villages("secretary") == every_village
    for name in ("anonymous", "assignee", "leader", "operator"):
        assert villages(name) == set() and not permissions.may_send_warnings(
            user=people[name]
        )
    services.save_settings(commune=duc_an.commune, leaders_may_warn=True)
    assert villages("leader") == {duc_an.thon_1.name}
    assert permissions.warning_scope(user=people["leader"]) == (
        duc_an.commune,
        duc_an.team_thon_1,
    )
    assert villages("assignee") == set()  # a member, not the leader
    assert duc_an.thon_1.name not in villages("far_secretary")


def test_who_edits_the_police_contact_and_uses_the_scam_pages(people):
    edit = {n for n, u in people.items() if permissions.may_edit_scam_settings(user=u)}
    pages = {n for n, u in people.items() if permissions.may_use_scam_pages(user=u)}
    assert edit == {"secretary", "far_secretary"}
    assert pages == {"secretary", "far_secretary", "superuser"}
