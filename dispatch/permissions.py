"""Who may see and do what: every role and scope rule of dispatch, in one module.

Named as zulip names them: `access_*` fetches an object *with* the permission check and
raises the same domain errors the services raise (`NotFound`, `NotYourTeam`,
`BadAction`); `may_*` are predicates; `*_required` wrap views. Pages, the JSON API, the
WebSocket consumers, exports and the admin ask here, so a rule changes in one place.

The roles (README "Who sees what"): residents have no login; volunteers see offers to
their team and their own assignments; team leaders also their team's assignments and
the dashboard; operators (StaffMember.Role.OPERATOR) and secretaries (SECRETARY) their
own commune; administrators (superusers) every commune. `is_staff` alone grants
nothing: an account that may log in to the Django admin but has no commune and is not
a superuser (a role that was removed, a hand-made account) sees no commune at all.
Residents' names and phones in lists and exports are for secretaries and superusers only.

This module imports nothing from dispatch but models and errors (checked by
import-linter), so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext

from dispatch.errors import BadAction, NotFound, NotYourTeam
from dispatch.models import (
    Campaign,
    HelpRequest,
    LoginLock,
    Offer,
    ScamSettings,
    Visit,
)
from teams import selectors as team_selectors
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer

# request.user: the auth User (AUTH_USER_MODEL is not swapped) or an anonymous visitor.
User = AuthUser | AnonymousUser
View = Callable[..., HttpResponse]


# --- Who is this user -----------------------------------------------------------------


def volunteer_for_user(user: User) -> Volunteer | None:
    """The active volunteer behind a signed-in user, or None."""
    if not user.is_authenticated:
        return None
    return (
        Volunteer.objects.select_related("team", "team__commune")
        .filter(user=user, active=True)
        .first()
    )


def volunteer_for_session(session: Any) -> Volunteer | None:
    """The active volunteer signed in with this session, in one query after the session.

    What `django.contrib.auth.get_user` checks — a known backend, an active user, the
    session's password hash (current or fallback secret) — on the user read together
    with their volunteer and team (a socket's connect needs all three), in a query
    compiled once per process (teams.selectors.active_volunteer_of_user_id).
    """
    user_id = session.get(auth.SESSION_KEY)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    if user_id is None or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        pk = AuthUser._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if not isinstance(pk, int):
        return None
    volunteer = team_selectors.active_volunteer_of_user_id(pk)
    if volunteer is None:
        return None
    user = volunteer.user
    backend = auth.load_backend(backend_path)
    can_authenticate = getattr(backend, "user_can_authenticate", None)
    if can_authenticate is not None and not can_authenticate(user):
        return None
    session_hash = session.get(auth.HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not session_hash or not any(
        constant_time_compare(session_hash, h) for h in hashes
    ):
        return None
    return volunteer


def staff_for_user(user: User) -> StaffMember | None:
    """The commune office membership (operator or secretary) of a user, or None."""
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(user=user).first()


# --- Office pages (requests, operator intake, posters, data-subject requests) ---------


def is_administrator(*, user: Any) -> bool:
    """Superusers: every commune. `is_staff` without a commune is *not* an administrator."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def is_office_staff(*, user: Any) -> bool:
    """Operators, secretaries and administrators (the office pages and the JSON API)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_administrator(user=user):
        return True
    return StaffMember.objects.filter(user=user).exists()


def office_communes(*, user: Any) -> QuerySet[Commune] | None:
    """The communes whose requests an office user sees; None means every commune.

    Commune staff see their commune even when they may also use the Django admin.
    """
    member = getattr(user, "staff_member", None)
    if member is not None:
        return Commune.objects.filter(pk=member.commune_id)
    if is_administrator(user=user):
        return None  # administrators: every commune
    return Commune.objects.none()  # no commune, no administrator: nothing


def office_commune(*, user: Any) -> Commune | None:
    """The one commune an office user works for, or None for administrators."""
    member = getattr(user, "staff_member", None)
    return member.commune if member is not None else None


def may_see_request(*, user: Any, request: HelpRequest) -> bool:
    """Whether an office user may open a request's page."""
    communes = office_communes(user=user)
    return communes is None or communes.filter(pk=request.commune_id).exists()


def is_secretary(*, user: Any) -> bool:
    """Commune secretaries and superusers (data-subject requests, moving requests).

    The anonymous visitor has neither a membership nor `is_superuser`: no guard needed
    (a redundant one is a mutant no test can kill, bench/mutate_permissions.py).
    """
    member = getattr(user, "staff_member", None)
    if member is not None and member.role == StaffMember.Role.SECRETARY:
        return True
    return bool(user.is_superuser)


def subject_commune_ids(*, user: Any) -> list[int] | None:
    """The communes a data-subject export or erasure covers; None = every commune."""
    member = getattr(user, "staff_member", None)
    if member is not None:
        return [member.commune_id]
    return None if is_administrator(user=user) else []


def staff_required(view: View) -> View:
    """Logged-in commune staff (operator, secretary) or Django staff only."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_office_staff(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def secretary_required(view: View) -> View:
    """Commune secretaries (their commune) and administrators (every commune)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_secretary(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- Residents' personal data ---------------------------------------------------------


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
    return role == StaffMember.Role.SECRETARY


def may_see_resident(*, volunteer: Volunteer, request: HelpRequest) -> bool:
    """The assignee, and the leader of the assignee's team, see who and where.

    Before accepting, a volunteer sees category, village and distance only.
    """
    if request.assigned_volunteer_id is None:
        return False
    if request.assigned_volunteer_id == volunteer.pk:
        return True
    return volunteer.is_leader and request.current_team_id == volunteer.team_id


# --- The live board -------------------------------------------------------------------


def board_commune_id(*, user: User, requested: int | None = None) -> int | None:
    """The commune whose live board `user` may watch, or None if they may watch none.

    Commune staff (operators, secretaries) watch their own commune. Administrators
    (superusers) watch the commune they ask for, or the first one; nobody else any.
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
    if not is_administrator(user=user):
        return None
    communes = Commune.objects.order_by("pk")
    if requested is not None:
        communes = communes.filter(pk=requested)
    return communes.values_list("pk", flat=True).first()


def may_reassign(user: User) -> bool:
    """Secretaries (and administrators) move requests; operators watch.

    `staff_for_user` and `is_administrator` already answer the anonymous visitor.
    """
    staff = staff_for_user(user)
    if staff is not None:
        return staff.role == StaffMember.Role.SECRETARY
    return is_administrator(user=user)


# --- Code sign-in locks ---------------------------------------------------------------


def may_unlock_login(*, user: User, lock: LoginLock) -> bool:
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


def unlockable_login_locks(*, user: User) -> QuerySet[LoginLock]:
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


# --- Inbound messages (the admin's "Tin đến", the board's failed list, triage) --------


def inbound_messages_of(*, commune_id: int | None) -> Q:
    """The stored messages and call steps an office confined to `commune_id` sees.

    A message is the commune's whose request it became; before it becomes one (or
    when it failed and never did) it is the commune's whose hotline number received
    it. None (a superuser's admin) sees all; a message to a number no commune has
    is therefore the administrators' alone (triage), never another commune's.
    """
    if commune_id is None:
        return Q()
    return Q(request__commune_id=commune_id) | Q(
        request__isnull=True, commune_id=commune_id
    )


def may_place_unrouted_messages(*, user: Any) -> bool:
    """Triage of messages to a hotline number no commune has: administrators only.

    They are the ones who configure hotline numbers, and they already see every
    commune; letting each commune's secretary see (even masked) or claim them would
    show a resident's words to offices that are not hers.
    """
    if not is_administrator(user=user):
        return False
    return True


# --- The dashboard, its report, exports and API ---------------------------------------


def dashboard_commune(*, user: Any, requested: int | None = None) -> Commune | None:
    """The commune whose dashboard, monthly report and exports `user` may see, or None.

    The one rule for the dashboard (its pages and every link to it): commune office
    staff (operators, secretaries) see their own commune; administrators (superusers)
    the commune they ask for, or the first; team leaders their team's commune. All of them see figures;
    personal data only as `may_see_personal_data` allows. Ordinary volunteers see none:
    the figures are for those who run the service.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    staff = StaffMember.objects.filter(user=user).select_related("commune").first()
    if staff is not None:
        return staff.commune
    if is_administrator(user=user):
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

    The channel is the office's (`board_commune_id`); team leaders see the dashboard
    as of when they loaded it.
    """
    return board_commune_id(user=user, requested=commune.pk) == commune.pk


# --- Fetch with permission (consumers and volunteer pages) ----------------------------


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadAction()
    try:
        return int(value)
    except ValueError as exc:
        raise BadAction() from exc


def access_offer(*, volunteer: Volunteer, offer_id: Any) -> Offer:
    """The offer, if it was made to the volunteer's team (else NotYourTeam)."""
    offer = Offer.objects.select_related("request").filter(pk=_int(offer_id)).first()
    if offer is None:
        raise NotFound()
    if offer.team_id != volunteer.team_id:
        raise NotYourTeam()
    return offer


def team_leader_for_user(user: User) -> Volunteer | None:
    """The user's volunteer record if they lead a team (the roster page is theirs)."""
    volunteer = volunteer_for_user(user)
    if volunteer is None or not volunteer.is_leader or not volunteer.active:
        return None
    return volunteer


def may_decline_for_team(*, volunteer: Volunteer, offer: Offer) -> bool:
    """Only the team's leader may send an offer away from the whole team."""
    return (
        volunteer.is_leader and volunteer.active and offer.team_id == volunteer.team_id
    )


def access_request(*, volunteer: Volunteer, request_id: Any) -> HelpRequest:
    """A request the volunteer's team holds or the volunteer is assigned (else refused)."""
    request = HelpRequest.objects.filter(pk=_int(request_id)).first()
    if request is None:
        raise NotFound()
    if (
        request.assigned_volunteer_id != volunteer.pk
        and request.current_team_id != volunteer.team_id
    ):
        raise NotYourTeam()
    return request


def access_board_request(*, commune_id: int, request_id: Any) -> HelpRequest:
    """A request of the board's commune (another commune's is "not found")."""
    request = HelpRequest.objects.filter(pk=_int(request_id)).first()
    if request is None or request.commune_id != commune_id:
        raise NotFound()
    return request


def access_board_team(*, commune_id: int, team_id: Any) -> SupportTeam:
    """A team of the board's commune."""
    team = SupportTeam.objects.filter(pk=_int(team_id), commune_id=commune_id).first()
    if team is None:
        raise NotFound(gettext("Không tìm thấy tổ này."))
    return team


def access_board_volunteer(*, commune_id: int, volunteer_id: Any) -> Volunteer:
    """An active volunteer of the board's commune."""
    volunteer = (
        Volunteer.objects.select_related("team")
        .filter(pk=_int(volunteer_id), team__commune_id=commune_id, active=True)
        .first()
    )
    if volunteer is None:
        raise NotFound(gettext("Không tìm thấy tình nguyện viên này."))
    return volunteer


# --- Navigation: which pages a person may use (the views ask the same predicates) -----


def may_use_office_pages(*, user: Any) -> bool:
    """Requests, operator intake, posters and the live board: the commune office.

    The same rule as `staff_required` (operators, secretaries, Django staff).
    """
    return is_office_staff(user=user)


def may_use_board(*, user: Any) -> bool:
    """Whether `user` may open the live board (the rule of `board_commune_id`)."""
    return board_commune_id(user=user) is not None


def may_handle_subject_requests(*, user: Any) -> bool:
    """Data-subject export and erasure (`secretary_required`)."""
    return is_secretary(user=user)


def may_use_admin(*, user: Any) -> bool:
    """The Django admin's own rule (`AdminSite.has_permission`): active staff."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def may_use_volunteer_app(*, user: Any) -> bool:
    """`/v/`: an active volunteer's own page (offers, assignments, their team)."""
    return volunteer_for_user(user) is not None


# --- Managing a request from the office (dispatch/help_requests/management.py) --------


def may_correct_request(*, user: Any, request: HelpRequest) -> bool:
    """Fix category, priority, flags, village, description; add an internal note.

    Operators too: they take the calls and hear what the SMS got wrong. Only within
    their own commune (administrators: every commune).
    """
    return is_office_staff(user=user) and may_see_request(user=user, request=request)


def may_call_back(*, user: Any, request: HelpRequest) -> bool:
    """Call a resident back and record the outcome (the operator's call-back list):
    the office of the request's commune, operators first of all."""
    return may_correct_request(user=user, request=request)


def may_manage_request(*, user: Any, request: HelpRequest) -> bool:
    """Cancel, merge, resolve, close, reopen and assign: the commune's secretaries
    (and administrators), within their commune. Operators correct and note only."""
    return may_reassign(user) and may_see_request(user=user, request=request)


def access_board_village(*, commune_id: int, village_id: Any) -> Village:
    """A village of the board's commune (triage: the place a request is about)."""
    village = Village.objects.filter(pk=_int(village_id), commune_id=commune_id).first()
    if village is None:
        raise NotFound(gettext("Không tìm thấy thôn này."))
    return village


# --- Notices to volunteers ---------------------------------------------------------------


def notice_scope(*, user: Any) -> tuple[Commune, SupportTeam | None] | None:
    """Who may send notices, and to whom: secretaries (and administrators) any team of
    their commune or everyone on duty — (commune, None); team leaders only their own
    team — (commune, team); anyone else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_secretary(user=user):
        commune = office_commune(user=user) or Commune.objects.order_by("pk").first()
        return (commune, None) if commune is not None else None
    volunteer = volunteer_for_user(user)
    if volunteer is not None and volunteer.is_leader:
        return (volunteer.team.commune, volunteer.team)
    return None


def may_send_notices(*, user: Any) -> bool:
    return notice_scope(user=user) is not None


# --- Scam response (dispatch/scams/) -----------------------------------------------------


def may_record_scam(*, user: Any, request: HelpRequest) -> bool:
    """Record a scam report on a request and refer it to the commune police: the
    assigned volunteer, and the commune's secretaries (administrators: every commune).
    Operators and other volunteers, even of the same team, may not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_secretary(user=user) and may_see_request(user=user, request=request):
        return True
    volunteer = volunteer_for_user(user)
    return volunteer is not None and request.assigned_volunteer_id == volunteer.pk


def scam_office_commune_ids(*, user: Any) -> list[int] | None:
    """The communes whose scam reports a user may list and search (scammers' details
    in full): secretaries their commune, administrators every commune (None); anyone
    else no commune ([])."""
    if not getattr(user, "is_authenticated", False) or not is_secretary(user=user):
        return []
    return subject_commune_ids(user=user)


def warning_scope(*, user: Any) -> tuple[Commune, SupportTeam | None] | None:
    """Who may send village scam warnings: a secretary to any village of their commune
    — (commune, None); a team leader to their team's villages — (commune, team) — only
    where the commune's settings allow leaders to warn; anyone else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_secretary(user=user):
        commune = office_commune(user=user) or Commune.objects.order_by("pk").first()
        return (commune, None) if commune is not None else None
    leader = team_leader_for_user(user)
    if leader is None:
        return None
    allowed = ScamSettings.objects.filter(
        commune_id=leader.team.commune_id, leaders_may_warn=True
    ).exists()
    return (leader.team.commune, leader.team) if allowed else None


def warning_villages(*, user: Any) -> QuerySet[Village]:
    """The villages `user` may warn (empty when they may not warn at all)."""
    scope = warning_scope(user=user)
    if scope is None:
        return Village.objects.none()
    commune, team = scope
    if team is None:
        return Village.objects.filter(commune=commune)
    return team.villages.all()


def may_send_warnings(*, user: Any) -> bool:
    return warning_scope(user=user) is not None


def may_edit_scam_settings(*, user: Any) -> bool:
    """The police contact and warning rules: the commune's secretaries."""
    return is_secretary(user=user) and office_commune(user=user) is not None


def may_use_scam_pages(*, user: Any) -> bool:
    """The scam pages in the top bar: secretaries, and leaders allowed to warn."""
    return scam_office_commune_ids(user=user) != [] or may_send_warnings(user=user)


# --- Procedure guides (issue 20) ----------------------------------------------------------


def may_edit_guides(*, user: Any) -> bool:
    """Secretaries and administrators edit the guides (every edit is versioned).

    Guides are national content shared by every commune, so a secretary's edit is seen
    by all; operators and volunteers only read and send them.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return is_secretary(user=user)


def guide_editor_required(view: View) -> View:
    """The guides' edit pages: secretaries and administrators only."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_edit_guides(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- Outreach campaigns ---------------------------------------------------------------


def may_manage_campaigns(*, user: Any) -> bool:
    """Campaigns, their household lists and progress: secretaries and administrators."""
    return is_secretary(user=user)


def access_campaign(*, user: Any, campaign_id: Any) -> Campaign:
    """A campaign of a commune the secretary works for (any for administrators)."""
    communes = office_communes(user=user)
    campaigns = Campaign.objects.select_related("commune")
    if communes is not None:
        campaigns = campaigns.filter(commune__in=communes)
    found = campaigns.filter(pk=_int(campaign_id)).first()
    if found is None:
        raise NotFound()
    return found


def access_volunteer_campaign(*, volunteer: Volunteer, campaign_id: Any) -> Campaign:
    """A campaign of the volunteer's own commune."""
    found = Campaign.objects.filter(
        pk=_int(campaign_id), commune_id=volunteer.team.commune_id
    ).first()
    if found is None:
        raise NotFound()
    return found


def access_visit(*, volunteer: Volunteer, visit_id: Any) -> Visit:
    """One of the volunteer's own visits."""
    found = (
        Visit.objects.select_related("campaign__commune", "household__village")
        .filter(pk=_int(visit_id), volunteer=volunteer)
        .first()
    )
    if found is None:
        raise NotFound()
    return found
