"""Create (or reset) the local demo editor account and print how to sign in.

Only `make run` calls this: a production deployment never has this account.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or reset the local demo editor account and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/en/admin/")

    def handle(self, *args, username, url, **options):
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin: {url}  user: {username}  password: {password}  "
            "(a new password is made each time `make run` starts)"
        )
