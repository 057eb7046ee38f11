from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("Điều phối hỗ trợ")

    def ready(self) -> None:
        # Imports inside ready(): models are not loaded before it runs (Django's rule).
        from dispatch import (
            demo,
            tasks,  # noqa: F401  (checks every Job has its task)
        )
        from dispatch.help_requests import duty
        from dispatch.management import checks  # noqa: F401  (registers them)
        from dispatch.outreach.demo import seed_demo_campaign
        from dispatch.scams import demo as scam_demo
        from teams.signals import (
            demo_seeded,
            duty_changed,
            sample_deleting,
        )

        # The registry cannot import dispatch: it announces duty changes, we log and
        # push them, whoever made them (the volunteer, the admin, an import).
        duty_changed.connect(duty.record_duty_changes, dispatch_uid="dispatch.duty")
        # seed_demo lives in training, which cannot import dispatch: it announces the
        # sample commune and dispatch adds the police contact and past scam reports.
        demo_seeded.connect(scam_demo.seed_scam_demo, dispatch_uid="dispatch.scams")
        sample_deleting.connect(
            demo.forget_sample_requests, dispatch_uid="dispatch.demo"
        )
        # The demo campaign follows the demo's household register (same signal).
        demo_seeded.connect(seed_demo_campaign, dispatch_uid="dispatch.outreach.demo")
