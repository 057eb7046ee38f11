"""Signals of the registry, so other apps hear of its changes without teams importing them.

The arrows run dispatch → training → teams: the registry cannot call dispatch to log a
duty change or push it to the live screens, so it announces the change and dispatch
listens (connected in `dispatch.apps.DispatchConfig.ready`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class DutyFlip:
    """One volunteer whose on-duty flag really changed, with the team they are in."""

    volunteer_id: int
    team_id: int
    on_duty: bool


duty_changed = Signal()
"""On-duty flags changed. Sent by `teams.services` inside the transaction that made the
change, with keyword arguments:

- `flips`: list of `DutyFlip`, the volunteers whose flag really changed (maybe empty);
- `team_ids`: frozenset of the teams whose on-duty or member count may have changed
  (the flips' teams, and both teams when a volunteer moves or is (de)activated);
- `user`: who made the change (a user, or None for a command or the system).

Receivers run inside that transaction, so a receiver that fails rolls the change back;
anything a receiver pushes to screens must wait for `transaction.on_commit`.
"""


demo_seeded = Signal()
"""`manage.py seed_demo` built (or completed) a sample commune and its household
register. Sent once, after the registry, training and households are seeded, with
`commune` (the sample Commune) and `say` (a progress callback taking a message), so
dispatch adds its own part of the demo (the police contact and past scam reports, the
running outreach campaign) without the registry or training importing dispatch."""


sample_deleting = Signal()
"""`seed_demo --reset` is about to delete a sample commune (keyword argument
`commune`): dispatch deletes the sample's requests first (they protect the commune)."""
