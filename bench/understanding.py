"""Benchmark: how well inbound SMS are understood, on the labelled corpus.

    .venv/bin/python bench/understanding.py [--threshold-scan]

Reads tests/fixtures/sms_corpus.tsv and splits it by *group* (a sentence and its
variants stay together) with a fixed seed: about a fifth of the groups are held out and
never used to train or tune. The category model is trained here on the training split
only; the shipped model (dispatch/intake/sms_categories.json, trained on the whole corpus) is
measured on the whole corpus, which is therefore a training-set figure.

Prints, for the held-out split and the whole corpus: category accuracy (keyword rules,
the logistic-regression model, and as shipped: the model with its triage threshold), village accuracy, command
precision/recall, flag precision/recall, the confusion matrix, and the time to
understand one message (p50/p99). Villages are the demo commune's (teams/demo.py),
built in memory: no database is touched.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "fixtures" / "sms_corpus.tsv"
SPLIT_SEED = "caunoi-2025"  # recorded: changing it changes the held-out split
HELD_OUT_PERCENT = 20


def held_out(group: str) -> bool:
    digest = hashlib.sha256(f"{SPLIT_SEED}:{group}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < HELD_OUT_PERCENT


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} % ({part}/{whole})" if whole else "   n/a"


def evaluate(rows, *, model, villages, label: str) -> None:
    from dispatch.help_requests.locating import VillageIndex, village_from_text
    from dispatch.intake.classifier import categorize, predict
    from dispatch.intake.parsing import (
        VOLUNTEER_KINDS,
        Kind,
        as_new_request,
        guess_category,
        guess_flags,
        parse_sms,
    )

    index = VillageIndex.build(villages)
    parse_sms("warm up")  # loads the shipped model once, as a running worker has
    requests = [r for r in rows if not r["command"]]
    commands = [r for r in rows if r["command"]]
    right = Counter()
    confusion: Counter = Counter()
    cmd_tp = cmd_fp = cmd_fn = 0
    flag_tp = flag_fp = flag_fn = 0
    triaged = 0
    times, cpu = [], []  # wall clock, and CPU time (steady on a shared machine)
    for row in rows:
        start, cpu_start = time.perf_counter(), time.thread_time()
        parsed = parse_sms(row["text"])
        # Volunteer commands count only from a volunteer's phone: the rows labelled so.
        if parsed.is_volunteer_command and row["command"] not in VOLUNTEER_KINDS:
            parsed = as_new_request(parsed)
        is_command = parsed.kind != Kind.NEW_REQUEST
        if not is_command:
            found, _ = village_from_text(index, row["text"])
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - cpu_start) * 1000)
        if not is_command:
            guess = categorize(row["text"], model=model)
            flags = guess_flags(row["text"])
        if row["command"]:
            if is_command and parsed.kind.value == row["command"]:
                cmd_tp += 1
            else:
                cmd_fn += 1
                print(f"  missed command {row['command']}: {row['text']!r}")
            continue
        if is_command:
            cmd_fp += 1
            print(f"  request read as {parsed.kind}: {row['text']!r}")
            continue
        expected = row["category"]
        final = guess.category if guess.sure else "other"
        triaged += not guess.sure
        right["rules"] += guess_category(row["text"]) == expected
        right["model"] += predict(model, row["text"]).category == expected
        right["final"] += final == expected
        right["wrong_guess"] += guess.sure and guess.category != expected
        confusion[(expected, final)] += 1
        right["village"] += (found.name if found else "") == row["village"]
        want = {f for f in row["flags"].split(",") if f}
        flag_tp += len(want & flags)
        flag_fp += len(flags - want)
        flag_fn += len(want - flags)
    n = len(requests)
    print(f"\n== {label}: {len(rows)} texts ({n} requests, {len(commands)} commands)")
    print(f"category, keyword rules      {percent(right['rules'], n)}")
    print(f"category, model (log. reg.)  {percent(right['model'], n)}")
    print(
        f"category, as shipped         {percent(right['final'], n)}  triaged {triaged}"
    )
    print(f"  sure but wrong (a guess, not triage) {right['wrong_guess']}")
    print(f"village                      {percent(right['village'], n)}")
    print(f"command precision            {percent(cmd_tp, cmd_tp + cmd_fp)}")
    print(f"command recall               {percent(cmd_tp, cmd_tp + cmd_fn)}")
    print(f"command false positives      {cmd_fp}")
    print(f"flag precision               {percent(flag_tp, flag_tp + flag_fp)}")
    print(f"flag recall                  {percent(flag_tp, flag_tp + flag_fn)}")
    for name, values in (("wall", times), ("CPU", cpu)):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"time per message, {name:<4}       p50 {statistics.median(values):.2f} ms"
              f"  p99 {p99:.2f} ms")  # fmt: skip
    classes = sorted({e for e, _ in confusion} | {g for _, g in confusion})
    print("confusion (rows: expected, columns: as shipped)")
    print(" " * 10 + "".join(f"{c[:8]:>9}" for c in classes))
    for e in classes:
        print(f"{e[:9]:<10}" + "".join(f"{confusion[(e, g)]:>9}" for g in classes))


def threshold_scan(train_rows) -> None:
    """Pick the confidence threshold on the training split (5-fold by group)."""
    from dispatch.intake.classifier import predict, train

    groups = sorted({r["group"] for r in train_rows})
    scores = []
    for fold_no in range(5):
        test_groups = set(groups[fold_no::5])
        fit = [
            (r["text"], r["category"])
            for r in train_rows
            if r["group"] not in test_groups
        ]
        model = train(fit)
        for r in train_rows:
            if r["group"] in test_groups:
                guess = predict(model, r["text"])
                scores.append(
                    (guess.confidence, guess.category == r["category"], r["category"])
                )
    for threshold in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        final = [
            ok if conf >= threshold else expected == "other"
            for conf, ok, expected in scores
        ]
        sent = sum(conf < threshold for conf, _, _ in scores)
        print(f"threshold {threshold:.2f}: accuracy {percent(sum(final), len(final))}"
              f"  triaged {sent}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold-scan", action="store_true")
    args = parser.parse_args()
    setup_django()
    from dispatch.intake.classifier import read_corpus, shipped_model, train

    rows = read_corpus(CORPUS)
    train_rows = [r for r in rows if not held_out(r["group"]) and not r["command"]]
    test_rows = [r for r in rows if held_out(r["group"])]
    print(f"corpus {len(rows)} texts; split seed {SPLIT_SEED!r}, "
          f"{HELD_OUT_PERCENT} % of groups held out → {len(test_rows)} texts")  # fmt: skip
    if args.threshold_scan:
        threshold_scan(train_rows)
        return 0
    from teams.demo import sample_villages

    villages = sample_villages()
    model = train((r["text"], r["category"]) for r in train_rows)
    evaluate(test_rows, model=model, villages=villages, label="held-out split")
    evaluate(rows, model=shipped_model(), villages=villages, label="whole corpus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
