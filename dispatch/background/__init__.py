"""Background work, named in one place: every job django-q2 runs is a `Job` here.

A `Job` is the name of a function in `dispatch/tasks.py`; django-q2 only ever sees
`dispatch.tasks.<name>`. Code in any layer enqueues by `Job` (an unknown member is an
AttributeError at import), and `dispatch.tasks` checks at import that every `Job` has
its function, so a misspelt task fails when the app starts, not at 3 a.m. in a worker.

The hot jobs (`HOT_JOBS`: an SMS to understand or to send) go to the
hot queue when TASK_HOT_QUEUE is on (`dispatch.background.hot`: Redis, picked up at
once); everything else, and the hot jobs whenever Redis does not answer, go to the ORM
broker. The database row a job works on is always committed first, so a lost hot task
is found again by the minutely sweeps.

This package imports nothing from the rest of dispatch, so every layer may use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

import redis
from django.conf import settings
from django.db import transaction
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.tasks import async_task

if TYPE_CHECKING:
    from dispatch.background.hot import HotBroker

logger = logging.getLogger(__name__)

TASKS_MODULE = "dispatch.tasks"


class Job(StrEnum):
    PROCESS_INBOUND = "process_inbound"
    FINISH_CALL = "finish_call"
    SEND_OUTBOUND = "send_outbound"
    TEXT_OFFER_TO_OFFLINE = "text_offer_to_offline"
    TELL_OFFER_TAKEN = "tell_offer_taken"
    DELETE_RECORDING = "delete_recording"
    PUSH_BOARD_NOTICE = "push_board_notice"
    SWEEP_OFFERS = "sweep_offers"
    APPLY_DUTY_ROSTERS = "apply_duty_rosters"
    SEND_WORKSHOP_REMINDERS = "send_workshop_reminders"
    SEND_EXPIRY_REMINDERS = "send_expiry_reminders"
    REFRESH_TALLIES = "refresh_tallies"
    ANONYMISE_EXPIRED = "anonymise_expired"
    SWEEP_FOLLOWUPS = "sweep_followups"
    RETRY_INBOUND = "retry_inbound"
    CLOSE_RESOLVED = "close_resolved"
    RECLAIM_STUCK_SMS = "reclaim_stuck_sms"
    SWEEP_OUTBOX = "sweep_outbox"
    BACKUP_DATABASE = "backup_database"
    SEND_HELD_WARNINGS = "send_held_warnings"

    @property
    def path(self) -> str:
        """The dotted path django-q2 stores and imports."""
        return f"{TASKS_MODULE}.{self.value}"


# Jobs on the hot path: someone is waiting for each, and a sweep finds its row again
# if the Redis message is lost (`retry_inbound`, `sweep_outbox`). A job without such a
# sweep (an offer's texts, a call to finish) stays on the ORM broker, which loses nothing.
HOT_JOBS = frozenset({Job.PROCESS_INBOUND, Job.SEND_OUTBOUND})


@cache
def hot_broker() -> HotBroker:
    """One hot-queue broker (and Redis connection pool) per process."""
    from dispatch.background.hot import HotBroker

    return HotBroker()


def hot_queue_on() -> bool:
    """True when hot jobs go to Redis (not when tests run tasks inline)."""
    return bool(settings.TASK_HOT_QUEUE) and not Conf.SYNC


def enqueue(job: Job, *args: Any) -> str:
    """Queue `job` now; returns django-q2's task id.

    A hot job goes to the hot queue; if Redis does not answer it goes to the ORM broker
    instead (slower pick-up, nothing lost)."""
    if job in HOT_JOBS and hot_queue_on():
        try:
            return async_task(job.path, *args, broker=hot_broker())
        except (redis.RedisError, OSError) as exc:
            logger.warning("hot queue unavailable (%s); %s goes to the ORM", exc, job)
    return async_task(job.path, *args)


class HeldJobs(list[tuple[Job, tuple[Any, ...]]]):
    """Jobs a task runs itself after its transaction (see `done_here`)."""

    def __init__(self, jobs: frozenset[Job]) -> None:
        super().__init__()
        self.jobs = jobs
        self.open = True


_held: ContextVar[HeldJobs | None] = ContextVar("background_held", default=None)


@contextmanager
def done_here(*jobs: Job) -> Iterator[HeldJobs]:
    """Inside a task: collect the named jobs queued inside (each only once its
    transaction commits) so the task runs them itself afterwards, with `run_held`,
    instead of a queue round trip each (on SQLite, four writes of the ORM queue)."""
    held = HeldJobs(frozenset(jobs))
    token = _held.set(held)
    try:
        yield held
    finally:
        # A transaction that commits later (the task ran inside an outer one) queues
        # its jobs as usual: nobody would run them here any more.
        held.open = False
        _held.reset(token)


def run_held(held: HeldJobs, run: Callable[[Job, tuple[Any, ...]], Any]) -> None:
    """Run each held job with `run`; one that fails is queued as usual instead, so a
    surprise costs a queue round trip, never the job."""
    for job, args in held:
        try:
            run(job, args)
        except Exception:  # noqa: BLE001 - the queue runs it again, with its retries
            logger.exception("%s could not run in its task; queued instead", job)
            enqueue(job, *args)


def enqueue_on_commit(job: Job, *args: Any) -> None:
    """Queue `job` once the surrounding transaction commits (never for a rollback)."""
    held = _held.get()
    if held is not None and job in held.jobs:
        transaction.on_commit(lambda: _hold_or_queue(held, job, args))
        return
    transaction.on_commit(lambda: enqueue(job, *args))


def _hold_or_queue(held: HeldJobs, job: Job, args: tuple[Any, ...]) -> None:
    if held.open:
        held.append((job, args))
    else:
        enqueue(job, *args)


def schedule_retry(job: Job, *args: Any, name: str, at: datetime) -> Schedule:
    """Run `job` once at `at`, stored in the database under a unique `name`.

    Keyed by name, so asking twice for the same retry (a task run twice) keeps one.
    """
    schedule, _ = Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": job.path,
            # django-q2 reads args with literal_eval: one value, or a tuple of several.
            "args": repr(args[0]) if len(args) == 1 else repr(tuple(args)),
            "schedule_type": Schedule.ONCE,
            "repeats": -1,
            "next_run": at,
        },
    )
    return schedule
