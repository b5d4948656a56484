"""What the exit status of every ``inkasso_*`` command means.

- 0: done (also when nothing was due).
- 1: done, but some orders were refused; they are listed with their reasons.
- 2: could not run: bad arguments, an unusable encoding, the database busy or
  unreachable, the output not writable. The message says what was recorded.

Cron and scripts can rely on it, so every failure is one sentence on standard
error, never a traceback. argparse exits with 2 on bad arguments by itself.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError

from inkasso.exceptions import InkassoError

DONE = 0
REFUSED = 1
FAILED = 2
RETRY = "Try again in a minute; if it persists, check DATABASES in the settings."


class Refused(CommandError):
    """The command did its work, but some orders were refused (exit status 1)."""

    def __init__(self, message: str):
        super().__init__(message, returncode=REFUSED)


class InkassoCommand(BaseCommand):
    """A command whose exit status follows the rule of this module.

    ``handle`` raises :class:`Refused` when orders were refused and a
    ``CommandError`` when it cannot do its work. Any other ``CommandError``
    (Django's own, for arguments or system checks), a rule of the services
    (:class:`~inkasso.exceptions.InkassoError`, such as ``DatabaseBusy``) and
    a database error all end with status 2 and one sentence.
    """

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except Refused:
            raise
        except CommandError as exc:
            exc.returncode = FAILED
            raise
        except InkassoError as exc:
            raise CommandError(str(exc), returncode=FAILED) from exc
        except (DatabaseError, InterfaceError) as exc:
            raise CommandError(
                f"The database cannot be used: {first_line(exc)}. {RETRY}",
                returncode=FAILED,
            ) from exc


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's text, without a final full stop."""
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__
