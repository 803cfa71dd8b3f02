"""Create or repair the Editors and Publishers groups (also done after every migrate)."""

from django.core.management import BaseCommand

from dialogues_portal.roles import EDITORS, PUBLISHERS, sync_roles


class Command(BaseCommand):
    help = "Give the Editors and Publishers groups exactly the permissions their roles need."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(f"Roles in sync: {EDITORS}, {PUBLISHERS}.")
