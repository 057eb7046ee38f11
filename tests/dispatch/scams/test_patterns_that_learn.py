"""Patterns that learn: the dashboard shows scam reports by pattern, village and week;
three reports of one pattern in one village within a week suggest a warning (on the
board too) until one is sent; the quiz draws what the commune is facing; every scam
pattern is in the SMS classifier's test corpus and recognised there."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dispatch.help_requests import lifecycle
from dispatch.intake.classifier import classify, read_corpus
from dispatch.scams import selectors, services
from dispatch.scams.demo import seed_scam_demo
from tests.dispatch.providers import FIXTURES
from training import selectors as training_selectors
from training.models import Question, ScamPattern, ScamSighting, Topic
from training.quiz import draw_questions, start_quiz


def _report(duc_an, pattern, village):
    request = lifecycle.create_request(
        commune=duc_an.commune, channel="sms", category="scam", village=village
    )
    return services.record_scam(
        request=request, pattern=pattern, user=duc_an.secretary.user
    )


def test_three_reports_of_one_pattern_in_a_village_suggest_a_warning_until_sent(
    client, duc_an
):
    electricity = ScamPattern.objects.get(key="electricity")
    for _ in range(2):
        _report(duc_an, electricity, duc_an.thon_1)
    _report(duc_an, electricity, duc_an.thon_5)  # another village: counted apart
    client.force_login(duc_an.secretary.user)
    assert (
        "Nên gửi cảnh báo lừa đảo"
        not in client.get(reverse("dispatch:board")).content.decode()
    )

    _report(duc_an, electricity, duc_an.thon_1)
    board = client.get(reverse("dispatch:board")).content.decode()
    assert "Nên gửi cảnh báo lừa đảo" in board
    assert "giả điện lực: 3 tin ở Thôn 1 trong 7 ngày qua." in board
    assert f"?pattern={electricity.pk}&amp;villages={duc_an.thon_1.pk}" in board
    form = client.get(
        reverse("dispatch:scam_warnings"),
        {"pattern": electricity.pk, "villages": duc_an.thon_1.pk},
    ).content.decode()
    assert f'value="{electricity.pk}" selected' in form

    services.send_warning(
        author=duc_an.secretary.user,
        commune=duc_an.commune,
        pattern=electricity,
        villages=[duc_an.thon_1],
        what_to_do=electricity.what_to_do,
        never_do=electricity.never_do,
    )
    assert selectors.warning_suggestions(commune=duc_an.commune) == []


def test_the_dashboard_counts_scams_by_pattern_village_and_week(client, duc_an):
    electricity = ScamPattern.objects.get(key="electricity")
    police = ScamPattern.objects.get(key="fake_police_vneid")
    _report(duc_an, electricity, duc_an.thon_1)
    _report(duc_an, electricity, duc_an.thon_5)
    _report(duc_an, police, duc_an.thon_1)
    client.force_login(duc_an.secretary.user)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "Lừa đảo: các vụ ghi nhận 8 tuần qua" in page
    assert "3 vụ, 0 vụ đã chuyển công an xã." in page
    assert '<th scope="row">giả điện lực</th><td>2</td>' in page
    assert '<th scope="row">Thôn 1</th><td>2</td>' in page
    assert "Theo tuần" in page


def test_seed_demo_gives_the_sample_commune_a_police_contact_and_past_scams(
    demo_commune,
):
    seed_scam_demo(sender=None, commune=demo_commune)
    seed_scam_demo(sender=None, commune=demo_commune)  # idempotent
    settings = selectors.scam_settings(commune=demo_commune)
    assert settings.police_phone and settings.pk
    figures = selectors.scam_figures(commune=demo_commune)
    assert figures.total == 6 and ("giả điện lực", 3) in figures.by_pattern
    [suggestion] = selectors.warning_suggestions(commune=demo_commune)
    assert (suggestion.pattern, suggestion.village) == ("giả điện lực", "Thôn 3")
    secretary = get_user_model().objects.get(username="secretary")
    client = Client()
    client.force_login(secretary)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "6 vụ, 0 vụ đã chuyển công an xã." in page
    assert "giả điện lực: 3 tin ở Thôn 3 trong 7 ngày qua." in page


def test_the_quiz_draws_a_question_of_each_pattern_seen_in_the_commune(duc_an):
    relatives = ScamPattern.objects.get(key="relative_hospital")
    _report(duc_an, relatives, duc_an.thon_1)
    assert ScamSighting.objects.get().commune == duc_an.commune
    for seed in range(5):
        attempt = start_quiz(
            volunteer=duc_an.an, topic=_scam_topic(), rng=random.Random(seed)
        )
        names = set(
            Question.objects.filter(id__in=attempt.question_ids).values_list(
                "pattern", flat=True
            )
        )
        assert "giả người thân gặp nạn" in names
        attempt.delete()
    # Nam Bình saw nothing: its volunteers' draw has no pull toward that pattern.
    assert selectors_seen(duc_an.commune.pk) == ["giả người thân gặp nạn"]
    assert selectors_seen(duc_an.commune.pk + 999) == []


def selectors_seen(commune_id: int) -> list[str]:
    return training_selectors.patterns_seen_recently(commune_id=commune_id)


def _scam_topic() -> Topic:
    return Topic.objects.get(key="scam")


def test_the_draw_puts_seen_patterns_first_but_never_more_than_half_the_paper():
    pool = [(n, f"p{n % 5}") for n in range(40)]
    for seed in range(20):
        drawn = draw_questions(
            pool, size=6, seen=["p1", "p2", "p3", "p4"], rng=random.Random(seed)
        )
        patterns = [dict(pool)[q] for q in drawn]
        assert len(set(drawn)) == 6
        assert {"p1", "p2", "p3"} <= set(patterns)


CORPUS = read_corpus(FIXTURES / "sms_corpus.tsv")


@pytest.mark.django_db
def test_every_scam_pattern_with_corpus_groups_is_in_the_classifier_test_corpus():
    """The patterns feed the classifier's test corpus: each pattern's groups exist, and
    the shipped model reads at least 90 % of their texts as a scam."""
    groups = {r["group"].rsplit("-", 1)[0]: [] for r in CORPUS}
    for row in CORPUS:
        groups[row["group"].rsplit("-", 1)[0]].append(row["text"])
    patterns = ScamPattern.objects.exclude(corpus_groups=[])
    assert patterns.count() >= 7
    for pattern in patterns:
        texts = [t for g in pattern.corpus_groups for t in groups.get(f"scam-{g}", [])]
        assert len(texts) >= 10, pattern.key
        recognised = sum(classify(t).category == "scam" for t in texts)
        assert recognised / len(texts) >= 0.9, (pattern.key, recognised, len(texts))


def test_recorded_scams_export_as_corpus_rows_with_numbers_masked(duc_an):
    from io import StringIO

    from django.core.management import call_command

    request = lifecycle.create_request(
        commune=duc_an.commune,
        channel="sms",
        category="scam",
        village=duc_an.thon_1,
        description="dien luc goi so 0586112233 doa cat dien, bat chuyen tien",
    )
    pattern = ScamPattern.objects.get(key="electricity")
    report = services.record_scam(request=request, pattern=pattern, user=None)
    out = StringIO()
    call_command("export_scam_corpus", stdout=out)
    [row] = out.getvalue().splitlines()
    text, category, village, flags, command, group = row.split("\t")
    assert text == "dien luc goi so 058****233 doa cat dien, bat chuyen tien"
    assert (category, village, command) == ("scam", "Thôn 1", "")
    assert group == f"scam-electricity-r{report.pk}"
