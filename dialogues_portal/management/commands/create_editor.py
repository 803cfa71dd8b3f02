"""Create an editor (or publisher) account for the admin."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from dialogues_portal.roles import EDITORS, PUBLISHERS, sync_roles


class Command(BaseCommand):
    help = "Create a staff account in the Editors group (and Publishers with --publisher)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Omit to be asked for it (not echoed).")
        parser.add_argument("--publisher", action="store_true", help="May also publish, unpublish and delete.")

    def handle(self, *args, username, email, password, publisher, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        if password is None:
            password = self.ask_password()
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        sync_roles()
        with transaction.atomic():
            user.set_password(password)
            user.save()
            groups = [EDITORS, PUBLISHERS] if publisher else [EDITORS]
            user.groups.set(Group.objects.filter(name__in=groups))
        self.stdout.write(f"Created {username} in {', '.join(groups)}.")

    def ask_password(self):
        # getpass without a terminal reads stdin, or dies with a traceback on its end: refuse instead
        if not sys.stdin.isatty():
            raise CommandError("There is no terminal to ask for the password on: give it with --password PASSWORD.")
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No password given: nothing was created.") from None
        if password != again:
            raise CommandError("The two passwords differ: nothing was created.")
        return password
