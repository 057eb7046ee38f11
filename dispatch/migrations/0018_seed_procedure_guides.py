"""Install the starter procedure guides, so every commune (a fresh `make run` or a real
one) has them without running seed_demo. Guides already there are left alone."""

from django.db import migrations

from dispatch.guides.seed_content import GUIDES

FIELDS = (
    "keyword", "aliases", "category", "title_vi", "title_en", "audience_vi",
    "audience_en", "steps", "papers_vi", "papers_en", "fees_vi", "fees_en",
    "online_url", "office_vi", "office_en", "office_hours_vi", "office_hours_en",
    "duration_vi", "duration_en", "mistakes_vi", "mistakes_en", "home_visit",
    "sms_vi", "sms_en", "voice_rank",
)  # fmt: skip


def install(apps, schema_editor):
    Guide = apps.get_model("dispatch", "Guide")
    GuideVersion = apps.get_model("dispatch", "GuideVersion")
    for data in GUIDES:
        if Guide.objects.filter(slug=data["slug"]).exists():
            continue
        guide = Guide.objects.create(
            slug=data["slug"], **{name: data[name] for name in FIELDS}
        )
        GuideVersion.objects.create(
            guide=guide, number=1, changes={"created": [None, data["slug"]]}
        )


def remove(apps, schema_editor):
    Guide = apps.get_model("dispatch", "Guide")
    Guide.objects.filter(slug__in=[g["slug"] for g in GUIDES], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0017_guides_catalogue_versions_and_sends")]

    operations = [migrations.RunPython(install, remove)]
