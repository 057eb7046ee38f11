from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Sổ đăng ký xã")

    def ready(self) -> None:
        from teams import registry
        from teams.models import StaffMember
        from teams.roles import (
            revoke_after_staff_member_delete,
            sync_role_groups_after_migrate,
        )

        post_migrate.connect(
            sync_role_groups_after_migrate, dispatch_uid="teams.roles.sync_groups"
        )
        registry.connect()
        post_delete.connect(
            revoke_after_staff_member_delete,
            sender=StaffMember,
            dispatch_uid="teams.roles.revoke_on_delete",
        )
