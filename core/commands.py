"""Management commands that answer in the active language (Japanese by default) even before
they run: the usage line, the help and argparse's own errors (an unknown option, a missing
value), which Python's argparse writes in English. A usage error prints the usage and one
translated line and exits with status 2 (argparse's), never a traceback; from ``call_command``
it is a ``CommandError`` with the same message.

    class Command(LocalizedCommand):
        help = "…"  # English; translated in the catalog
"""

import re
import sys

from django.conf import settings
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# argparse's messages (Python 3.11–3.13) and what each says in the catalog.
_ARGPARSE_ERRORS = [
    (
        re.compile(r"^unrecognized arguments: (?P<value>.*)$"),
        gettext_noop("Unknown arguments: %(value)s"),
    ),
    (
        re.compile(r"^the following arguments are required: (?P<value>.*)$"),
        gettext_noop("These arguments are required: %(value)s"),
    ),
    (
        re.compile(r"^argument (?P<value>\S+): expected one argument$"),
        gettext_noop("Give a value after %(value)s."),
    ),
    (
        re.compile(r"^argument (?P<value>\S+): invalid choice: .*$"),
        gettext_noop("%(value)s: choose one of the listed values."),
    ),
    (
        re.compile(r"^argument (?P<value>\S+): .*$"),
        gettext_noop("%(value)s: this value cannot be read."),
    ),
]
# The help of Django's own options (English in Django), translated in the catalog.
gettext_noop("show this help message and exit")
gettext_noop("Show program's version number and exit.")
gettext_noop(
    "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"
)
gettext_noop(
    'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t '
    "provided, the DJANGO_SETTINGS_MODULE environment variable will be used."
)
gettext_noop('A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".')
gettext_noop("Display a full stack trace on CommandError exceptions.")
gettext_noop("Don't colorize the command output.")
gettext_noop("Force colorization of the command output.")
gettext_noop("Skip system checks.")


def argparse_message(message: str) -> str:
    """argparse's English error message in the active language."""
    for pattern, text in _ARGPARSE_ERRORS:
        found = pattern.match(message)
        if found:
            return _(text) % {"value": found.group("value")}
    return _("The arguments cannot be read: %(message)s") % {"message": message}


def _active():
    """The language of the answer: the active one, else the site's (argparse runs before
    Django's command machinery activates it)."""
    return translation.override(translation.get_language() or settings.LANGUAGE_CODE)


class LocalizedFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=prefix or _("Usage: "))


class LocalizedParser(CommandParser):
    def format_usage(self):
        with _active():
            return super().format_usage()

    def format_help(self):
        with _active():
            self._positionals.title = _("arguments")
            self._optionals.title = _("options")
            for action in self._actions:
                if isinstance(action.help, str):
                    action.help = _(action.help)
            if self.description:
                self.description = _(self.description)
            return super().format_help()

    def error(self, message):
        with _active():
            text = argparse_message(message)
            if not self.called_from_command_line:
                raise CommandError(text)
            self.print_usage(sys.stderr)
            self.exit(
                2, _("%(prog)s: error: %(message)s") % {"prog": self.prog, "message": text} + "\n"
            )


class LocalizedCommand(BaseCommand):
    """A command whose parser answers in the active language (``LocalizedParser``)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", LocalizedFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = LocalizedParser
        return parser
