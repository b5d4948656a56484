"""What the exit status of every ``inkasso_*`` command means.

- 0: done (also when nothing was due).
- 1: done, but some orders were refused; they are listed with their reasons.
- 2: could not run: bad arguments, an unusable encoding, the database busy or
  unreachable, the output not writable. The message says what was recorded.

Cron and scripts can rely on it, so every failure is one sentence on standard
error, never a traceback. argparse exits with 2 on bad arguments by itself.

The commands also share how they show progress on a terminal and how they
write their output: a file whole or not at all (:func:`write_atomically`).
"""

import contextlib
import io
import os
import secrets
import shutil
import sys
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inkasso.exceptions import InkassoError

DONE = 0
REFUSED = 1
FAILED = 2
RETRY = gettext_lazy(
    "Try again in a minute; if it persists, check DATABASES in the settings."
)


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
                _("The database cannot be used: %(error)s. %(retry)s")
                % {"error": first_line(exc), "retry": RETRY},
                returncode=FAILED,
            ) from exc

    @contextlib.contextmanager
    def progress(self, total, description, unit=None):
        """Yield a function that advances a progress bar on a terminal, or None.

        The bar goes to standard error and only when that is a terminal: in
        cron, in pipes and in logs the command stays quiet. It needs the
        optional ``tqdm`` package (``pip install django-inkasso[progress]``).
        """
        if not self.stderr.isatty():
            yield None
            return
        try:
            from tqdm import tqdm
        except ImportError:
            yield None
            return
        with tqdm(
            total=total,
            desc=description,
            unit=" " + (unit or _("orders")),
            file=self.stderr._out,
            leave=False,
            dynamic_ncols=True,
            # Updates come once per chunk of orders, rarely enough to draw each.
            mininterval=0,
            miniters=1,
        ) as bar:
            yield bar.update

    def write_output(self, chunks: Iterable[bytes], output: str | None) -> None:
        """Write bytes to the file ``output``, whole or not at all, or to stdout.

        ``None`` or ``-`` is standard output; a file is written with
        :func:`write_atomically`. An ``OSError`` is the caller's to turn into
        its one sentence: what could not be written and what is recorded.
        """
        if output in (None, "-"):
            self._write_stdout(chunks)
        else:
            write_atomically(output, chunks)

    def _write_stdout(self, chunks):
        stream = getattr(self.stdout, "_out", sys.stdout)
        # The file is bytes in its own encoding: write them untouched.
        target = stream if isinstance(stream, io.BufferedIOBase) else stream.buffer
        try:
            for data in chunks:
                view = memoryview(data)
                # Unbuffered (python -u, PYTHONUNBUFFERED) this is the raw
                # file, which may write part of the data and say how much.
                while view:
                    view = view[target.write(view) :]
            target.flush()
        except OSError:
            if stream is sys.stdout:
                # Python flushes standard output again at exit and would print
                # the same error as "Exception ignored"; let what is left go to
                # /dev/null (the Python docs' note on SIGPIPE does the same).
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
            raise


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's text, without a final full stop."""
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


def write_atomically(path: str, chunks: Iterable[bytes]) -> None:
    """Write the chunks to ``path`` so that it holds all of them or stays as it was.

    They go to a temporary file beside it, which replaces it only once every
    byte is on disk: a full disk, a size limit or a crash never leaves half a
    file for someone to upload. A path that is not a regular file (a pipe,
    ``/dev/stdout``) cannot be replaced and is written directly.
    """
    path = os.path.realpath(path)
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "wb") as file:
            file.writelines(chunks)
        return
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
    # "x": a new file, with the permissions open() gives one under the umask.
    file = open(temporary, "xb")  # noqa: SIM115 (closed below, removed on error)
    try:
        with file:
            file.writelines(chunks)
            file.flush()
            os.fsync(file.fileno())
        if os.path.exists(path):
            shutil.copymode(path, temporary)  # as writing in place would keep it
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
