"""The right answers of a quiz attempt, as a volunteer who knows them would pick."""

from __future__ import annotations

from training.models import Choice


def correct_answers(attempt) -> dict[int, int]:
    """The position of the right choice of every question of `attempt`."""
    right = set(
        Choice.objects.filter(
            question_id__in=attempt.question_ids, is_correct=True
        ).values_list("id", flat=True)
    )
    return {
        qid: next(
            pos
            for pos, cid in enumerate(attempt.choice_order[str(qid)])
            if cid in right
        )
        for qid in attempt.question_ids
    }
