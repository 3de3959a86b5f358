"""Create (or reset) the local demo editor account and print how to sign in.

Only `make run` calls this: a production deployment never has this account.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

CHIEF_EDITOR = "Chief editor"


class Command(BaseCommand):
    help = "Create or reset the local demo editor account and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/en/admin/")

    def handle(self, *args, username, url, **options):
        password = secrets.token_urlsafe(12)
        try:
            chief = Group.objects.get(name=CHIEF_EDITOR)
        except Group.DoesNotExist:
            raise CommandError(
                f"the {CHIEF_EDITOR!r} group does not exist: run `manage.py migrate` first"
            ) from None
        user, _created = get_user_model().objects.get_or_create(username=username)
        # A chief editor, not a superuser: the demo shows the newsroom's real role.
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.groups.add(chief)
        self.stdout.write(
            f"Admin: {url}  user: {username}  password: {password}  "
            "(a new password is made each time `make run` starts)"
        )
