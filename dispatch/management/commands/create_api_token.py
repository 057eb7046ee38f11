"""manage.py create_api_token <username>: a key for the JSON API, printed once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch import permissions
from dispatch.dashboard import tokens


class Command(BaseCommand):
    help = "Tạo khoá API cho cán bộ xã (khoá chỉ hiện một lần, hãy lưu lại)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the key is for")

    def handle(self, *args: object, **options: object) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("no such user")
        if not permissions.is_office_staff(user=user):
            raise CommandError("only commune staff and administrators may use the API")
        token, key = tokens.create_token(user=user, name=str(options["name"]))
        self.stdout.write(key)
