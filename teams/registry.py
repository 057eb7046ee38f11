"""Registry facts the hot path reads for every SMS, cached per commune in each process.

Villages, village teams and the villages they serve, and the phones of active
volunteers change a few times a month; an inbound SMS needs them every time. Each
process keeps them keyed by the commune's `registry_stamp`, a random value replaced
whenever one of those facts changes (the signals below; `changed()` after bulk writes,
which send none). The hot path reads the commune row anyway (to find which commune a
hotline number belongs to), so a change made in any process is seen by every other one
on its next SMS, without a message between processes and without a stale read.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from teams.models import Commune, SupportTeam, Village, Volunteer

T = TypeVar("T")
MAX_ENTRIES = 512

_facts: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def _cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    with _lock:
        if key in _facts:
            return _facts[key]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        if len(_facts) >= MAX_ENTRIES:
            _facts.clear()  # stale stamps pile up only with many changes: start over
        _facts[key] = value
    return value


def _key(kind: str, commune: Commune) -> tuple[Any, ...]:
    return (kind, commune.pk, str(commune.registry_stamp))


def villages(commune: Commune) -> list[Village]:
    """The commune's villages (read-only: never save these instances)."""
    return _cached(
        _key("villages", commune),
        lambda: list(Village.objects.filter(commune=commune).order_by("pk")),
    )


def village_teams(commune: Commune) -> dict[int, SupportTeam]:
    """The commune's active village teams by id (read-only instances)."""
    return _cached(
        _key("teams", commune),
        lambda: {
            team.pk: team
            for team in SupportTeam.objects.filter(
                commune=commune, kind=SupportTeam.Kind.VILLAGE, active=True
            ).order_by("pk")
        },
    )


def teams_serving(commune: Commune, village_id: int) -> frozenset[int]:
    """Ids of the commune's teams that serve `village_id`."""
    serving: dict[int, frozenset[int]] = _cached(
        _key("serving", commune), lambda: _serving(commune)
    )
    return serving.get(village_id, frozenset())


def _serving(commune: Commune) -> dict[int, frozenset[int]]:
    links: dict[int, set[int]] = {}
    for team_id, village_id in SupportTeam.villages.through.objects.filter(
        supportteam__commune=commune
    ).values_list("supportteam_id", "village_id"):
        links.setdefault(village_id, set()).add(team_id)
    return {village: frozenset(teams) for village, teams in links.items()}


def volunteer_phones(communes: Iterable[Commune]) -> frozenset[str]:
    """Phones of the active volunteers of these communes' teams (and of none)."""
    communes = list(communes)
    key = ("phones", *sorted((c.pk, str(c.registry_stamp)) for c in communes))
    return _cached(
        key,
        lambda: frozenset(
            Volunteer.objects.filter(active=True).values_list("phone", flat=True)
        ),
    )


def changed(*commune_ids: int | None) -> None:
    """Registry facts of these communes changed: every process re-reads them."""
    ids = [pk for pk in commune_ids if pk is not None]
    if ids:
        Commune.objects.filter(pk__in=ids).update(registry_stamp=uuid.uuid4())


def forget_all() -> None:
    """Drop this process's copies (tests; the stamps make it unnecessary otherwise)."""
    with _lock:
        _facts.clear()


# --- Invalidation ------------------------------------------------------------------------


def _new_stamp(sender: type, instance: Commune, **kwargs: Any) -> None:
    # Any save of the commune row gets a new stamp, so a form holding an old stamp
    # cannot put it back.
    instance.registry_stamp = uuid.uuid4()


def _village_changed(sender: type, instance: Village, **kwargs: Any) -> None:
    changed(instance.commune_id)


def _team_changed(sender: type, instance: SupportTeam, **kwargs: Any) -> None:
    changed(instance.commune_id)


def _volunteer_changed(sender: type, instance: Volunteer, **kwargs: Any) -> None:
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {
        "on_duty",
        "away_until",
        "last_seen_at",
    }:
        return  # availability is never cached
    commune_id = (
        SupportTeam.objects.filter(pk=instance.team_id)
        .values_list("commune_id", flat=True)
        .first()
    )
    changed(commune_id)


def _team_villages_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("action", "").startswith("post_"):
        changed(instance.commune_id)


def connect() -> None:
    """Called once from TeamsConfig.ready()."""
    pre_save.connect(_new_stamp, sender=Commune, dispatch_uid="registry.commune")
    for signal in (post_save, post_delete):
        signal.connect(_village_changed, sender=Village, dispatch_uid="registry.v")
        signal.connect(_team_changed, sender=SupportTeam, dispatch_uid="registry.t")
        signal.connect(
            _volunteer_changed, sender=Volunteer, dispatch_uid="registry.vol"
        )
    m2m_changed.connect(
        _team_villages_changed,
        sender=SupportTeam.villages.through,
        dispatch_uid="registry.tv",
    )
