"""Read-side queries of the registry (other apps may import these)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.prepared import Prepared, partial_instance


def team_overview(*, commune: Commune) -> QuerySet[SupportTeam]:
    """Teams of `commune` with `member_count`, `on_duty_count` and `leader_name`.

    Counts are annotations (only active volunteers), villages are prefetched in number
    order: a constant two queries however many teams. Village teams come first, in the
    order of the villages they serve; the commune specialists last.
    """
    active = Q(volunteers__active=True)
    leader = Volunteer.objects.filter(
        team=OuterRef("pk"), role=Volunteer.Role.LEADER, active=True
    ).order_by("full_name")
    first_village = (
        Village.objects.filter(teams=OuterRef("pk"))
        .values("teams")
        .annotate(first=Min("number"))
        .values("first")
    )
    return (
        SupportTeam.objects.filter(commune=commune)
        .annotate(
            member_count=Count("volunteers", filter=active),
            on_duty_count=Count(
                "volunteers", filter=active & Q(volunteers__on_duty=True)
            ),
            leader_name=Subquery(leader.values("full_name")[:1]),
            first_village=Subquery(first_village[:1]),
            specialists_last=Case(
                When(kind=SupportTeam.Kind.SPECIALISTS, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .prefetch_related(
            Prefetch("villages", queryset=Village.objects.order_by("number"))
        )
        .order_by("specialists_last", "first_village", "name")
    )


@dataclass(frozen=True)
class TeamDutyCount:
    team_id: int
    commune_id: int
    on_duty: int
    members: int


def duty_counts(*, team_ids: Iterable[int]) -> list[TeamDutyCount]:
    """On-duty and member counts (active volunteers only, as `team_overview`) of teams.

    One query; teams without members count zero.
    """
    active = Q(volunteers__active=True)
    rows = (
        SupportTeam.objects.filter(pk__in=list(team_ids))
        .annotate(
            members=Count("volunteers", filter=active),
            duty=Count("volunteers", filter=active & Q(volunteers__on_duty=True)),
        )
        .order_by("pk")
        .values_list("pk", "commune_id", "duty", "members")
    )
    return [TeamDutyCount(*row) for row in rows]


def communes_for_staff(user: User | AnonymousUser) -> QuerySet[Commune]:
    """The communes a staff user looks after: their own, or all of them for admins.

    Administrators are superusers; `is_staff` without a commune looks after none.
    """
    staff_member = getattr(user, "staff_member", None)
    if staff_member is not None:
        return Commune.objects.filter(pk=staff_member.commune_id)
    if user.is_superuser:
        return Commune.objects.all()
    return Commune.objects.none()


# `office_commune_id` of an account that is neither a superuser nor commune staff: no
# commune has this primary key, so every row filtered by it is hidden.
NO_COMMUNE = 0


def office_commune_id(user: User | AnonymousUser) -> int | None:
    """The commune an office account is confined to in the admin, or None for all.

    Commune staff (StaffMember) see their own commune; superusers every commune (their
    model permissions still apply). Any other account, Django staff whose office role
    was removed included, gets `NO_COMMUNE`: it sees no commune's rows.
    """
    if not isinstance(user, User):
        return NO_COMMUNE
    if user.is_superuser:
        return None
    own = (
        StaffMember.objects.filter(user=user)
        .values_list("commune_id", flat=True)
        .first()
    )
    return NO_COMMUNE if own is None else own


_ON_DUTY_WITH_PHONE = Prepared(
    lambda team_id: (
        Volunteer.objects.filter(team_id=team_id, active=True, on_duty=True)
        .exclude(phone="")
        .values_list("pk", flat=True)
    )
)


def on_duty_ids_with_phone(team_id: int) -> list[int]:
    """Ids of a team's active, on-duty members who have a phone: who an offer's SMS
    fallback could text. Prepared: it runs once for every offer a team gets."""
    return [row[0] for row in _ON_DUTY_WITH_PHONE.rows(team_id=team_id)]


_SIGNING_IN = Prepared(
    lambda user_id: (
        Volunteer.objects.filter(user_id=user_id, active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "team_id",
            "full_name",
            "role",
            "on_duty",
            "user__password",
            "user__is_active",
            "team__name",
        )[:1]
    )
)


def active_volunteer_of_user_id(
    user_id: int, *, using: str = DEFAULT_DB_ALIAS
) -> Volunteer | None:
    """The active volunteer of a user id, with the user's password hash and active flag
    and the team's name: what a socket's sign-in checks and its hello shows, in one
    prepared query (a volunteer socket connects often: see teams/prepared.py). The
    other fields are deferred, as with `.only()`."""
    rows = _SIGNING_IN.rows(using=using, user_id=user_id)
    if not rows:
        return None
    pk, team_id, full_name, role, on_duty, password, is_active, team_name = rows[0]
    volunteer = partial_instance(
        Volunteer,
        using,
        id=pk,
        user_id=user_id,
        team_id=team_id,
        full_name=full_name,
        role=role,
        on_duty=bool(on_duty),
        active=True,
    )
    volunteer.user = partial_instance(
        User, using, id=user_id, password=password, is_active=bool(is_active)
    )
    volunteer.team = partial_instance(SupportTeam, using, id=team_id, name=team_name)
    return volunteer
