"""Each rule of dispatch/permissions.py, asked directly, for every role and scope.

The matrix (test_permission_matrix.py) proves what each role *gets* through pages and
sockets; these answer, rule by rule, what the module says, including for the anonymous
visitor (no error, just "no") and the object scopes a page rarely reaches (an offer to
another team, a request still assigned to me but moved to another team, a team or
volunteer of another commune). Together they kill every mutant of
`bench/mutate_permissions.py`.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dispatch import permissions
from dispatch.errors import NotFound, NotYourTeam
from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest
from teams.models import Commune, StaffMember, Volunteer
from teams.roles import grant_office_role
from tests.dispatch.conftest import (
    make_team,
    make_user,
    make_volunteer,
    open_offer_of,
    submit_for_lan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communes(duc_an):
    far = Commune.objects.create(name="Đắk Song", code="DS", lat=12.2, lng=107.5)
    far_team = make_team(far, "Tổ Thuận Hòa", 12.2, 107.5)
    far_volunteer = make_volunteer(far_team, "xakhac", "Đinh Văn Xa", "+84912000090")
    far_secretary = StaffMember.objects.create(
        user=make_user("thukyxakhac"), commune=far, role=StaffMember.Role.SECRETARY
    )
    grant_office_role(member=far_secretary)
    far_request = lifecycle.create_request(
        commune=far, channel="web", category="vneid", resident_phone="0987654321"
    )
    leader = Volunteer.objects.create(
        user=make_user("truongto"),
        team=duc_an.team_thon_1,
        full_name="Hoàng Văn Trưởng",
        phone="+84912000050",
        role=Volunteer.Role.LEADER,
        on_duty=False,
    )
    users = {
        "anonymous": AnonymousUser(),
        "volunteer": duc_an.an.user,
        "leader": leader.user,
        "operator": duc_an.operator.user,
        "secretary": duc_an.secretary.user,
        "other_secretary": far_secretary.user,
        "nocommune": make_user("nocommune", is_staff=True),
        "superuser": get_user_model().objects.create_superuser("quantri", password="x"),
    }
    return {
        "duc_an": duc_an,
        "far": far,
        "far_team": far_team,
        "far_volunteer": far_volunteer,
        "far_request": far_request,
        "leader": leader,
        "users": users,
    }


ROLES = (
    "anonymous",
    "volunteer",
    "leader",
    "operator",
    "secretary",
    "other_secretary",
    "nocommune",
    "superuser",
)


def test_every_rule_answers_each_role_as_the_readme_says(two_communes):
    w = two_communes
    duc_an, far = w["duc_an"].commune, w["far"]
    lan = submit_for_lan(w["duc_an"])
    expected = {
        # role: office, office communes, subject ids, secretary, personal data,
        #       board, dashboard, may see dashboard, reassign, sees Lan, sees far
        "anonymous": (False, [], [], False, False, None, None, False, False),
        "volunteer": (False, [], [], False, False, None, None, False, False),
        "leader": (False, [], [], False, False, None, duc_an, True, False),
        "operator": (True, [duc_an], [duc_an.pk], False, False, duc_an.pk, duc_an, True, False),
        "secretary": (True, [duc_an], [duc_an.pk], True, True, duc_an.pk, duc_an, True, True),
        "other_secretary": (True, [far], [far.pk], True, True, far.pk, far, True, True),
        "nocommune": (False, [], [], False, False, None, None, False, False),
        "superuser": (True, None, None, True, True, duc_an.pk, duc_an, True, True),
    }  # fmt: skip
    wrong = []
    for role, want in expected.items():
        user = w["users"][role]
        communes = permissions.office_communes(user=user)
        got = (
            permissions.is_office_staff(user=user),
            None if communes is None else list(communes),
            permissions.subject_commune_ids(user=user),
            permissions.is_secretary(user=user),
            permissions.may_see_personal_data(user=user),
            permissions.board_commune_id(user=user),
            permissions.dashboard_commune(user=user),
            permissions.may_see_dashboard(user=user),
            permissions.may_reassign(user),
        )
        if got != want:
            wrong.append(f"{role}: {got} != {want}")
        sees = (
            permissions.may_see_request(user=user, request=lan),
            permissions.may_see_request(user=user, request=w["far_request"]),
        )
        want_sees = {
            "operator": (True, False),
            "secretary": (True, False),
            "other_secretary": (False, True),
            "superuser": (True, True),
        }.get(role, (False, False))
        if sees != want_sees:
            wrong.append(f"{role} sees (Lan, far): {sees} != {want_sees}")
    assert wrong == []


def test_the_anonymous_visitor_gets_no_from_every_rule_without_an_error(duc_an):
    nobody = AnonymousUser()
    assert permissions.volunteer_for_user(nobody) is None
    assert permissions.staff_for_user(nobody) is None
    assert permissions.is_office_staff(user=nobody) is False
    assert permissions.is_secretary(user=nobody) is False
    assert permissions.may_see_personal_data(user=nobody) is False
    assert permissions.board_commune_id(user=nobody) is None
    assert permissions.may_reassign(nobody) is False
    assert permissions.dashboard_commune(user=nobody) is None
    assert permissions.may_watch_live(user=nobody, commune=duc_an.commune) is False


def test_administrators_choose_the_board_and_dashboard_commune_others_cannot(
    two_communes,
):
    w = two_communes
    far = w["far"]
    admin, secretary = w["users"]["superuser"], w["users"]["secretary"]
    assert permissions.board_commune_id(user=admin, requested=far.pk) == far.pk
    assert permissions.dashboard_commune(user=admin, requested=far.pk) == far
    assert permissions.may_watch_live(user=admin, commune=far)
    duc_an = w["duc_an"].commune
    assert permissions.board_commune_id(user=secretary, requested=far.pk) == duc_an.pk
    assert permissions.dashboard_commune(user=secretary, requested=far.pk) == duc_an
    assert not permissions.may_watch_live(user=secretary, commune=far)
    assert permissions.may_watch_live(user=secretary, commune=duc_an)
    leader = w["users"]["leader"]
    assert not permissions.may_watch_live(user=leader, commune=duc_an)


def test_volunteers_reach_only_their_teams_offers_and_requests(duc_an):
    offered = submit_for_lan(duc_an)  # offered to Tổ Thôn 1 (An's team)
    offer = open_offer_of(offered)
    assert permissions.access_offer(volunteer=duc_an.an, offer_id=offer.pk) == offer
    with pytest.raises(NotYourTeam):
        permissions.access_offer(volunteer=duc_an.binh, offer_id=offer.pk)

    # Assigned to An, then moved to Tổ Thôn 5: still An's; Bình's team's too.
    mine = lifecycle.reassign_request(
        request=submit_for_lan(duc_an, resident_phone="0912345670"),
        user=duc_an.secretary.user,
        volunteer=duc_an.an,
    )
    HelpRequest.objects.filter(pk=mine.pk).update(current_team=duc_an.team_thon_5)
    assert permissions.access_request(volunteer=duc_an.an, request_id=mine.pk)
    assert permissions.access_request(volunteer=duc_an.binh, request_id=mine.pk)
    with pytest.raises(NotYourTeam):
        permissions.access_request(volunteer=duc_an.y_dam, request_id=mine.pk)

    # Held by Tổ Thôn 1, assigned to nobody yet: An's team may work on it.
    assert permissions.access_request(volunteer=duc_an.an, request_id=offered.pk)
    with pytest.raises(NotYourTeam):
        permissions.access_request(volunteer=duc_an.binh, request_id=offered.pk)


def test_the_resident_is_seen_by_the_assignee_and_their_leader_only(two_communes):
    w = two_communes
    duc_an, leader = w["duc_an"], w["leader"]
    request = submit_for_lan(duc_an)
    assert not permissions.may_see_resident(volunteer=duc_an.an, request=request)
    lifecycle.reassign_request(
        request=request, user=duc_an.secretary.user, volunteer=duc_an.an
    )
    request.refresh_from_db()
    assert permissions.may_see_resident(volunteer=duc_an.an, request=request)
    assert permissions.may_see_resident(volunteer=leader, request=request)
    assert not permissions.may_see_resident(volunteer=duc_an.binh, request=request)
    helper = make_volunteer(duc_an.team_thon_1, "phu", "Lý Văn Phú", "+84912000051")
    assert not permissions.may_see_resident(volunteer=helper, request=request)


def test_the_board_reaches_only_its_own_communes_requests_teams_and_volunteers(
    two_communes,
):
    w = two_communes
    duc_an = w["duc_an"]
    own = submit_for_lan(duc_an)
    commune_id = duc_an.commune.pk
    assert permissions.access_board_request(commune_id=commune_id, request_id=own.pk)
    with pytest.raises(NotFound):
        permissions.access_board_request(
            commune_id=commune_id, request_id=w["far_request"].pk
        )
    team = duc_an.team_thon_5
    assert permissions.access_board_team(commune_id=commune_id, team_id=team.pk)
    with pytest.raises(NotFound):
        permissions.access_board_team(commune_id=commune_id, team_id=w["far_team"].pk)
    an = duc_an.an
    assert permissions.access_board_volunteer(commune_id=commune_id, volunteer_id=an.pk)
    with pytest.raises(NotFound):
        permissions.access_board_volunteer(
            commune_id=commune_id, volunteer_id=w["far_volunteer"].pk
        )


def test_code_sign_in_locks_are_lifted_by_the_commune_secretary_or_team_leader_only(
    two_communes,
):
    from dispatch.models import LoginLock

    w = two_communes
    duc_an = w["duc_an"]
    an_lock = LoginLock.objects.create(phone=duc_an.an.phone, volunteer=duc_an.an)
    binh_lock = LoginLock.objects.create(phone=duc_an.binh.phone, volunteer=duc_an.binh)
    far_lock = LoginLock.objects.create(
        phone=w["far_volunteer"].phone, volunteer=w["far_volunteer"]
    )
    everything = {an_lock, binh_lock, far_lock}
    expected = {  # role: locks they may lift (An's: Tổ Thôn 1, Bình's: Tổ Thôn 5)
        "anonymous": set(),
        "volunteer": set(),
        "leader": {an_lock},
        "operator": set(),
        "secretary": {an_lock, binh_lock},
        "other_secretary": {far_lock},
        "nocommune": set(),
        "superuser": everything,
    }
    wrong = []
    for role, want in expected.items():
        user = w["users"][role]
        may = {
            lock
            for lock in everything
            if permissions.may_unlock_login(user=user, lock=lock)
        }
        listed = set(permissions.unlockable_login_locks(user=user))
        if may != want or listed != want:
            wrong.append(f"{role}: may {may}, listed {listed}, want {want}")
    assert wrong == []
