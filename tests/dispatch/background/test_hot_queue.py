"""The hot path: an SMS is picked up from Redis at once, and the database stays the
only truth — a hot task lost in Redis only delays the SMS until a sweep finds its row."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from dispatch import tasks
from dispatch.background import hot_broker
from dispatch.background.hot import HOT_CLUSTER
from dispatch.intake import retries
from dispatch.intake.store import receive_sms
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from dispatch.sms import delivery
from dispatch.sms.outbox import queue_sms

HOT_LIST = f"django_q:{HOT_CLUSTER}:q"
RESIDENT = "+84912345678"


@pytest.fixture
def hot_queue(settings, redis_url):
    """TASK_HOT_QUEUE on, against the session's Valkey; yields that Redis, list empty."""
    settings.TASK_HOT_QUEUE = True
    settings.REDIS_URL = redis_url
    hot_broker.cache_clear()
    client = redis.Redis.from_url(redis_url)
    client.delete(HOT_LIST)
    yield client
    client.delete(HOT_LIST)
    client.close()
    hot_broker.cache_clear()


def hot_tasks(client: redis.Redis) -> list[dict]:
    """What the hot cluster would take off the list, in order (and take it)."""
    taken = []
    while (raw := client.lpop(HOT_LIST)) is not None:
        taken.append(SignedPackage.loads(raw))
    return taken


def run_like_the_hot_cluster(client: redis.Redis) -> list[str]:
    ran = []
    for task in hot_tasks(client):
        name = task["func"].rsplit(".", 1)[1]
        getattr(tasks, name)(*task["args"])
        ran.append(name)
    return ran


def an_sms(commune, *, sid: str = "SM-hot-1", body: str = "can giup vneid o thon 5"):
    inbound, _ = receive_sms(
        provider=InboundMessage.Provider.TWILIO_SMS,
        provider_id=sid,
        from_number=RESIDENT,
        to_number=commune.hotline_numbers[0],
        body=body,
        payload={},
    )
    return inbound


@pytest.mark.django_db
def test_a_new_sms_and_its_reply_go_through_redis_not_the_database_queue(
    demo_commune, hot_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        an_sms(demo_commune)

    assert OrmQ.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run_like_the_hot_cluster(hot_queue) == ["process_inbound"]
    request = HelpRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        run_like_the_hot_cluster(hot_queue)
    reply = OutboundMessage.objects.get(purpose=OutboundMessage.Purpose.REPLY)
    assert request.code in reply.body
    assert reply.status == OutboundMessage.Status.DELIVERED  # the console gateway
    # The offer's texts to offline volunteers have no sweep: the durable ORM queue.
    assert [t.task["func"] for t in OrmQ.objects.all()] == [
        "dispatch.tasks.text_offer_to_offline"
    ]


@pytest.mark.django_db
def test_while_redis_is_down_an_sms_is_queued_in_the_database_instead(
    demo_commune, hot_queue, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = f"unix://{tmp_path / 'gone.sock'}"
    hot_broker.cache_clear()

    with django_capture_on_commit_callbacks(execute=True):
        inbound = an_sms(demo_commune)

    [queued] = OrmQ.objects.all()
    assert queued.task["func"] == "dispatch.tasks.process_inbound"
    assert queued.task["args"] == (inbound.pk,)


@pytest.mark.django_db
def test_an_sms_whose_hot_task_was_lost_is_queued_again_by_the_sweep(
    demo_commune, hot_queue, settings, django_capture_on_commit_callbacks
):
    settings.HOT_SWEEP_AFTER_SECONDS = 20
    with django_capture_on_commit_callbacks(execute=True):
        inbound = an_sms(demo_commune)
    hot_queue.delete(HOT_LIST)  # Redis restarted: the wake-up call is gone

    soon = inbound.received_at + dt.timedelta(seconds=10)
    assert retries.retry_unprocessed(now=soon)["retried"] == 0
    later = inbound.received_at + dt.timedelta(seconds=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert retries.retry_unprocessed(now=later)["retried"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_like_the_hot_cluster(hot_queue) == ["process_inbound"]
    inbound.refresh_from_db()
    assert inbound.processed_at is not None
    assert HelpRequest.objects.get().resident_phone == RESIDENT


@pytest.mark.django_db
def test_an_outbound_sms_whose_hot_task_was_lost_is_sent_once_after_the_sweep(
    demo_commune, hot_queue, settings, django_capture_on_commit_callbacks
):
    settings.HOT_SWEEP_AFTER_SECONDS = 20
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=RESIDENT, text="Cầu Nối: đã nhận yêu cầu của bác")
    hot_queue.delete(HOT_LIST)

    assert delivery.sweep_outbox(now=timezone.now()) == 0
    later = timezone.now() + dt.timedelta(seconds=25)
    assert tasks.sweep_outbox() == 0  # the schedule's own clock: not yet due
    assert delivery.sweep_outbox(now=later) == 1
    assert delivery.sweep_outbox(now=later) == 1  # a second sweep: queued twice …
    assert run_like_the_hot_cluster(hot_queue) == ["send_outbound"] * 2
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.DELIVERED  # the console gateway
    assert message.attempts == 1  # … and sent once
    assert delivery.sweep_outbox(now=later) == 0


def test_the_hot_cluster_takes_its_tasks_from_redis_and_runs_no_schedules():
    """`Q_CLUSTER_NAME=caunoi-hot manage.py qcluster` (what runstack starts)."""
    code = (
        "import django; django.setup();"
        "from django_q.brokers import get_broker; from django_q.conf import Conf;"
        "print(type(get_broker()).__name__, get_broker().list_key,"
        " Conf.CLUSTER_NAME == Conf.PREFIX, Conf.SCHEDULER, Conf.SAVE_LIMIT)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "Q_CLUSTER_NAME": HOT_CLUSTER,
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # Not the default cluster, so the scheduler leaves the (cluster-less) schedules alone.
    assert out == ["HotBroker", HOT_LIST, "False", "False", "-1"]
