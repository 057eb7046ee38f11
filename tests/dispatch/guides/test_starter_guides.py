"""The starter guides every commune gets (a data migration, so `make run`, seed_demo
and a real commune all have them): the topics the issue names, Vietnamese and English,
short enough for one phone screen, each SMS inside two GSM-7 segments."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from dispatch.guides import sms as guide_sms
from dispatch.guides.services import install_seed_guides
from dispatch.models import Guide, GuideVersion
from teams.text import fold

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("dispatch.migrations.0018_seed_procedure_guides")


def test_the_migration_installs_the_starter_guides_once_with_a_first_version():
    Guide.objects.all().delete()

    MIGRATION.install(apps, None)
    MIGRATION.install(apps, None)

    assert Guide.objects.filter(published=True).count() >= 10
    assert GuideVersion.objects.filter(number=1).count() == Guide.objects.count()


def test_the_starter_guides_cover_what_residents_ask_most(starter_guides):
    titles = " | ".join(fold(g.title_vi) for g in starter_guides.values())

    for topic in (
        "kich hoat tai khoan vneid muc 2",
        "quen mat khau",
        "cong dich vu cong",
        "tien dien tien nuoc",
        "5 kieu lua dao",
        "khai sinh",
        "tam tru",
        "tro cap huu tri xa hoi",
        "cap lai the can cuoc",
    ):
        assert topic in titles, topic
    assert len(starter_guides["luadao"].steps) == 5


def test_each_starter_guide_fits_one_phone_screen_in_both_languages(starter_guides):
    for guide in starter_guides.values():
        assert guide.title_vi and guide.title_en and guide.audience_en, guide.slug
        assert 3 <= len(guide.steps) <= 6, guide.slug
        for step in guide.steps:
            assert step["vi"] and step["en"], guide.slug
            assert len(step["vi"]) <= 170, (guide.slug, step["vi"])
        assert guide_sms.fits(guide.sms_vi, keyword=guide.keyword), guide.slug
        assert guide_sms.fits(guide.sms_en, keyword=guide.keyword), guide.slug


def test_installing_again_leaves_an_edited_guide_alone(starter_guides):
    Guide.objects.filter(keyword="vneid").update(fees_vi="Đã sửa", version=2)

    assert install_seed_guides() == 0
    assert Guide.objects.get(keyword="vneid").fees_vi == "Đã sửa"
