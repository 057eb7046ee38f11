"""The seeded catalogue: topics, practice checklists, the scam-awareness question bank
and the scam patterns village warnings use.

The data lives in `training/data/catalogue.json`. Seeding is idempotent: rows are found by
their stable key and created only when missing, so staff edits in the admin survive.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


def load_catalogue() -> dict[str, Any]:
    """The catalogue file as Python data."""
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def seed_catalogue(
    *, get_model: Callable[[str, str], Any] | None = None
) -> dict[str, int]:
    """Create the missing topics, steps, questions and choices; return what was created.

    `get_model` is `apps.get_model` of a data migration (historical models) or, by
    default, the live app registry. Existing rows are never modified.
    """
    get_model = get_model or global_apps.get_model
    Topic = get_model("training", "Topic")
    PracticeStep = get_model("training", "PracticeStep")
    Question = get_model("training", "Question")
    Choice = get_model("training", "Choice")
    data = load_catalogue()
    created = {"topics": 0, "steps": 0, "questions": 0, "patterns": 0}
    topics = {}
    for item in data["topics"]:
        topic, new = Topic.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "validity_months": item["validity_months"],
                "categories": item["categories"],
                "requires_quiz": item["requires_quiz"],
                "order": item["order"],
            },
        )
        topics[item["key"]] = topic
        created["topics"] += int(new)
        if PracticeStep.objects.filter(topic=topic).exists():
            continue
        PracticeStep.objects.bulk_create(
            PracticeStep(topic=topic, order=n, title=title, instructions=how)
            for n, (title, how) in enumerate(item["steps"], start=1)
        )
        created["steps"] += len(item["steps"])
    scam = topics["scam"]
    existing = set(Question.objects.values_list("key", flat=True))
    for item in data["questions"]:
        if item["key"] in existing:
            continue
        question = Question.objects.create(
            topic=scam,
            key=item["key"],
            text=item["text"],
            explanation=item["explanation"],
            pattern=item["pattern"],
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=correct)
            for text, correct in item["choices"]
        )
        created["questions"] += 1
    try:
        created["patterns"] = seed_patterns(get_model=get_model, data=data)
    except LookupError:  # migration 0002 runs before the patterns table exists (0003)
        pass
    return created


def seed_patterns(
    *,
    get_model: Callable[[str, str], Any] | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Create the missing scam patterns (found by key; staff edits survive)."""
    get_model = get_model or global_apps.get_model
    ScamPattern = get_model("training", "ScamPattern")
    data = data or load_catalogue()
    created = 0
    for item in data.get("patterns", []):
        _, new = ScamPattern.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "what_to_do": item["what_to_do"],
                "never_do": item["never_do"],
                "corpus_groups": item["corpus_groups"],
                "order": item["order"],
            },
        )
        created += int(new)
    return created
