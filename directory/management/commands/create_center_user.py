import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.forms import error_text
from directory.services import create_center_user

PASSWORD_VARIABLE = "SASAERU_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a center staff user (the first one after setup_prefecture, or another). Asks for "
        f"the password twice; with --no-input it is read from ${PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--last-name", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def handle(self, *args, username, email, last_name, first_name, no_input, **options):
        if no_input:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"--no-input needs the password in ${PASSWORD_VARIABLE}.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ; nothing was created.")
        try:
            user = create_center_user(
                username=username,
                email=email,
                password=password,
                last_name=last_name,
                first_name=first_name,
            )
        except ValidationError as error:
            raise CommandError(error_text(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{user.username}: center staff. Log in at /login/."))
