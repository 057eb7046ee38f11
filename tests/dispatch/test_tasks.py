"""django-q2 sees only dispatch.tasks.*, and every name it can be given exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django_q.models import OrmQ

from dispatch import tasks
from dispatch.background import Job, enqueue_on_commit

DISPATCH = Path(tasks.__file__).resolve().parent


def test_every_job_names_a_function_of_dispatch_tasks():
    for job in Job:
        assert job.path == f"dispatch.tasks.{job.value}"
        assert callable(getattr(tasks, job.value)), job


def test_every_schedule_runs_a_function_of_dispatch_tasks():
    for declared in tasks.SCHEDULES:
        assert declared.func.startswith("dispatch.tasks."), declared
        assert getattr(tasks, declared.func.rsplit(".", 1)[1]) is declared.task


def test_a_job_without_its_task_fails_when_the_module_loads(monkeypatch):
    monkeypatch.delattr(tasks, "send_outbound")

    with pytest.raises(ImportError, match="send_outbound"):
        tasks._check_jobs()


def test_no_code_hands_django_q2_a_dotted_string():
    """async_task and Schedule(func=…) are called in dispatch/background only."""
    offenders = []
    for path in DISPATCH.rglob("*.py"):
        if "migrations" in path.parts or path.parent.name == "background":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "async_task":
                    offenders.append(f"{path.relative_to(DISPATCH)}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.startswith("dispatch.tasks."):
                    offenders.append(f"{path.relative_to(DISPATCH)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_a_job_queued_on_commit_is_queued_only_if_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(Job.SWEEP_OFFERS)
    assert OrmQ.objects.count() == 0
    for callback in callbacks:
        callback()
    assert OrmQ.objects.count() == 1
