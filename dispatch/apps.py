from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("Điều phối hỗ trợ")

    def ready(self) -> None:
        # Imports inside ready(): models are not loaded before it runs (Django's rule).
        from dispatch import tasks  # noqa: F401  (checks every Job has its task)
        from dispatch.help_requests import duty
        from dispatch.management import checks  # noqa: F401  (registers them)
        from dispatch.outreach.demo import seed_demo_campaign
        from teams.signals import duty_changed, sample_commune_seeded

        # The registry cannot import dispatch: it announces duty changes, we log and
        # push them, whoever made them (the volunteer, the admin, an import).
        duty_changed.connect(duty.record_duty_changes, dispatch_uid="dispatch.duty")
        # `seed_demo` (training) cannot import dispatch either: the demo campaign
        # follows the demo's household register when the command announces it.
        sample_commune_seeded.connect(
            seed_demo_campaign, dispatch_uid="dispatch.outreach.demo"
        )
