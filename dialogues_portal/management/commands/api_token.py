"""Give an editor a token for the REST API (or a new one with --rotate, or when it has expired)."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from dialogues_portal.tokens import token_expires_at, token_issue, token_revoke


class Command(BaseCommand):
    help = "Print the API token of an active user, creating it if needed; --rotate replaces it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Revoke the current token and issue a new one.")

    def handle(self, *args, username, rotate, **options):
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        if rotate:
            token_revoke(user=user)
        token, created = token_issue(user=user)  # a new one too if the current one has expired
        self.stdout.write(token.key)
        state = "new" if created else "existing"
        expires = token_expires_at(token).strftime("%Y-%m-%d %H:%M UTC")
        self.stderr.write(
            f"{state} token for {username}, expires {expires}; send it as 'Authorization: Token <token>'."
        )
