"""``inkasso_export`` in real processes when something goes wrong.

A full disk, a size limit, a closed pipe, a bad encoding, a kill in the
middle, a second run at the same moment: every failure is one sentence with
exit status 2 and never a traceback, no file is ever half written, and a
handover is recorded whole or not at all.

The command runs as ``manage.py`` in a subprocess on the test database; the
tests commit (``transaction=True``) so that it sees their orders. PostgreSQL:
the subprocess connects to the test database. SQLite: the test database lives
in this process's memory, so it is copied to a file for the subprocesses and
back once they are done.
"""

import contextlib
import dataclasses
import fcntl
import os
import pty
import resource
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from inkasso.models import Claim, Handover, HandoverFilePart
from inkasso.selectors import handover_file
from inkasso.services import hand_over
from shop.collection import ShopOrderAdapter
from shop.demo import create_demo_data
from shop.models import Order
from tests.factories import DueOrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120
SIZE_LIMIT = 1500  # bytes; the handover file of 20 orders is about 3,700

# The demo shop, with small chunks so that a big handover has a middle, the
# adapter below, and English messages to compare.
SETTINGS = """\
from shop.settings import *  # noqa: F403

INKASSO_ADAPTER = "tests.test_command_faults.PausingAdapter"
INKASSO_CHUNK_SIZE = 100
INKASSO_LOCK_TIMEOUT = 60
LANGUAGE_CODE = "en"
"""


class PausingAdapter(ShopOrderAdapter):
    """The demo shop's adapter; pauses a handover in the middle when asked.

    With ``INKASSO_TEST_PAUSE`` naming a directory, the handover creates
    ``paused`` there once its first chunk is written, inside its transaction,
    and waits until the test creates ``go``.
    """

    def mark_handed_over(self, order_ids, *, handover):
        super().mark_handed_over(order_ids, handover=handover)
        if not (pause := os.environ.get("INKASSO_TEST_PAUSE")):
            return
        paused, go = Path(pause, "paused"), Path(pause, "go")
        if not paused.exists():
            paused.touch()
            _wait_until(go.exists, "the test to let the handover go on")


def _wait_until(condition, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Waited {timeout} s for {what}.")
        time.sleep(0.02)


@dataclasses.dataclass
class Result:
    returncode: int
    stdout: bytes
    stderr: str


class Shop:
    """The demo shop's ``manage.py inkasso_export``, run in subprocesses."""

    def __init__(self, directory: Path):
        self.directory = directory
        (directory / "fault_settings.py").write_text(SETTINGS)
        self.sqlite_file = directory / "db.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fault_settings",
            "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT)]),
            "DATABASE_URL": self._database_url(),
            "DJANGO_SECRET_KEY": "fault-tests-" + "x" * 50,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        # Standard output buffered, as Python has it by default.
        for name in ("INKASSO_TEST_PAUSE", "PYTHONUNBUFFERED"):
            self.env.pop(name, None)

    def _database_url(self) -> str:
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            login = ":".join(quote(db[key], safe="") for key in ("USER", "PASSWORD"))
            host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            return f"postgres://{login.rstrip(':')}@{host}/{db['NAME']}"
        return f"sqlite:///{self.sqlite_file}"

    @contextlib.contextmanager
    def shared(self):
        """Let the subprocesses started within see the test database, and back."""
        if connection.vendor != "sqlite":
            yield
            return
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(self.sqlite_file)) as file:
            connection.connection.backup(file)
        yield
        # Opening the file rolls back what a killed process left half done.
        with contextlib.closing(sqlite3.connect(self.sqlite_file)) as file:
            file.backup(connection.connection)

    def start(self, *args, env=None, file_size_limit=None, **popen):
        limit = None
        if file_size_limit is not None:

            def limit():
                resource.setrlimit(
                    resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit)
                )

        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "inkasso_export", *args],
            cwd=self.directory,
            env={**self.env, **(env or {})},
            preexec_fn=limit,
            **popen,
        )

    def run(self, *args, stdout=subprocess.PIPE, **options) -> Result:
        with self.shared():
            process = self.start(
                *args, stdout=stdout, stderr=subprocess.PIPE, **options
            )
            out, err = process.communicate(timeout=TIMEOUT)
        return Result(process.returncode, out or b"", err.decode())


class Terminal:
    """A pseudo-terminal for a subprocess's standard error, read as it comes."""

    def __init__(self):
        self.leader, self.follower = pty.openpty()
        size = struct.pack("HHHH", 24, 100, 0, 0)
        fcntl.ioctl(self.follower, termios.TIOCSWINSZ, size)
        self.output = b""
        self.reader = threading.Thread(target=self._read, daemon=True)

    def started(self):
        """Call once the subprocess holds the terminal."""
        os.close(self.follower)
        self.reader.start()

    def _read(self):
        with contextlib.suppress(OSError):  # Linux: EIO once the process is gone
            while data := os.read(self.leader, 65536):
                self.output += data

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")

    def close(self) -> str:
        self.reader.join(TIMEOUT)
        os.close(self.leader)
        return self.text


@pytest.fixture
def shop(tmp_path):
    return Shop(tmp_path)


def _due_orders(count):
    create_demo_data(
        orders=count, seed=11, today=timezone.localdate(), stage="collection"
    )
    return list(Order.objects.order_by("pk").values_list("pk", flat=True))


def _recorded_file(handover):
    return b"".join(handover_file(handover))


def _temporary_files(directory):
    return [path.name for path in directory.iterdir() if path.suffix == ".tmp"]


def _again(handover, path):
    return f"`python manage.py inkasso_export --handover {handover.pk} -o {path}`"


def assert_one_sentence_and_no_traceback(stderr):
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert "closed database" not in stderr
    [error] = [line for line in stderr.splitlines() if "Error" in line]
    assert error.startswith("CommandError: ")
    assert error.endswith(".")


def test_a_size_limit_in_the_middle_of_the_file_leaves_the_previous_file_whole(
    shop, tmp_path
):
    DueOrderFactory.create_batch(20)
    orders = Order.objects.values_list("pk", flat=True)
    handover = hand_over(order_ids=orders, source="command").handover
    assert handover.file_size > 2 * SIZE_LIMIT
    target = tmp_path / "handover.csv"
    target.write_bytes(b"the previous file\r\n")

    # The process may write at most SIZE_LIMIT bytes into any file: the kernel
    # refuses the rest (EFBIG), as a full disk would.
    result = shop.run(
        "--handover", str(handover.pk), "-o", "handover.csv", file_size_limit=SIZE_LIMIT
    )

    assert result.returncode == 2
    assert_one_sentence_and_no_traceback(result.stderr)
    assert (
        "CommandError: Cannot write handover.csv (File too large), but handover "
        f"{handover.pk} is recorded; {_again(handover, 'handover.csv')} writes it "
        "again.\n"
    ) in result.stderr
    assert target.read_bytes() == b"the previous file\r\n"
    assert _temporary_files(tmp_path) == []

    result = shop.run("--handover", str(handover.pk), "-o", "handover.csv")

    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == _recorded_file(handover)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the limit would stop the SQLite database file, which is larger than "
    "the handover file, before the handover file",
)
def test_a_handover_cut_off_by_a_size_limit_is_recorded_and_written_on_request(
    shop, tmp_path
):
    orders = DueOrderFactory.create_batch(20)

    result = shop.run("-o", "handover.csv", file_size_limit=SIZE_LIMIT)

    assert result.returncode == 2
    assert_one_sentence_and_no_traceback(result.stderr)
    handover = Handover.objects.get()
    assert (
        f"CommandError: Cannot write handover.csv (File too large), but handover "
        f"{handover.pk} is recorded; {_again(handover, 'handover.csv')} writes it "
        "again.\n"
    ) in result.stderr
    assert handover.claims.count() == len(orders)
    assert not (tmp_path / "handover.csv").exists()
    assert _temporary_files(tmp_path) == []

    result = shop.run("--handover", str(handover.pk), "-o", "handover.csv")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "handover.csv").read_bytes() == _recorded_file(handover)


def test_an_output_path_that_is_a_directory_is_an_error_and_the_handover_stays(
    shop, tmp_path
):
    DueOrderFactory.create_batch(3)
    (tmp_path / "out").mkdir()

    result = shop.run("-o", "out")

    assert result.returncode == 2
    assert_one_sentence_and_no_traceback(result.stderr)
    handover = Handover.objects.get()
    assert (
        f"CommandError: Cannot write out (Is a directory), but handover "
        f"{handover.pk} is recorded; {_again(handover, 'out')} writes it again.\n"
    ) in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
@pytest.mark.parametrize("reader", ["full disk", "closed pipe"])
def test_standard_output_that_fails_is_one_sentence_and_the_handover_stays(
    shop, tmp_path, reader, buffering
):
    DueOrderFactory.create_batch(3)
    if reader == "full disk":
        stdout, reason = open("/dev/full", "wb"), "No space left on device"  # noqa: SIM115
    else:
        # The reading end is closed before the command writes anything, as
        # when `inkasso_export | head -c 10` has read its ten bytes.
        read_end, write_end = os.pipe()
        os.close(read_end)
        stdout, reason = open(write_end, "wb"), "Broken pipe"  # noqa: SIM115

    # Unbuffered (python -u), standard output is the raw file.
    env = {"PYTHONUNBUFFERED": "1"} if buffering == "unbuffered" else {}
    with stdout:
        result = shop.run(stdout=stdout, env=env)

    assert result.returncode == 2
    assert_one_sentence_and_no_traceback(result.stderr)
    handover = Handover.objects.get()
    assert (
        f"CommandError: Cannot write standard output ({reason}), but handover "
        f"{handover.pk} is recorded; "
        f"{_again(handover, f'handover-{handover.pk}.csv')} writes it again.\n"
    ) in result.stderr

    result = shop.run("--handover", str(handover.pk), "-o", "again.csv")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "again.csv").read_bytes() == _recorded_file(handover)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--encoding", "rot13"], "'rot13' cannot be used: not a text encoding"),
        (["--dry-run", "--encoding", "bogus"], "'bogus' cannot be used: unknown"),
        (["--encoding", "utf-16"], "'utf-16' cannot be used: not ASCII-compatible"),
    ],
)
def test_an_unusable_encoding_is_one_sentence_and_exit_status_2(shop, args, message):
    DueOrderFactory()

    result = shop.run(*args)

    assert result.returncode == 2
    assert_one_sentence_and_no_traceback(result.stderr)
    assert f"CommandError: The file encoding {message}" in result.stderr
    assert result.stdout == b""
    assert Handover.objects.count() == 0


def test_bad_arguments_exit_with_status_2(shop):
    result = shop.run("--handover", "twelve")

    assert result.returncode == 2
    assert "argument --handover: invalid int value: 'twelve'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_handover_killed_in_the_middle_records_nothing_and_the_next_hands_over_all(
    shop, tmp_path
):
    orders = _due_orders(3000)
    statuses = dict(Order.objects.values_list("pk", "status"))

    with shop.shared():
        killed = shop.start(
            "-o",
            "handover.csv",
            env={"INKASSO_TEST_PAUSE": str(tmp_path)},
            stderr=subprocess.PIPE,
        )
        # Killed once its first chunk of claims is written, uncommitted.
        _wait_until((tmp_path / "paused").exists, "the first chunk")
        killed.send_signal(signal.SIGKILL)
        killed.communicate(timeout=TIMEOUT)

    assert killed.returncode == -signal.SIGKILL
    assert Handover.objects.count() == 0
    assert Claim.objects.count() == 0
    assert HandoverFilePart.objects.count() == 0
    assert dict(Order.objects.values_list("pk", "status")) == statuses
    assert not (tmp_path / "handover.csv").exists()

    result = shop.run("-o", "handover.csv")

    assert result.returncode == 0, result.stderr
    handover = Handover.objects.get()
    assert sorted(Claim.objects.values_list("order_id", flat=True)) == orders
    assert (tmp_path / "handover.csv").read_bytes() == _recorded_file(handover)


@pytest.mark.slow
def test_two_runs_at_once_hand_each_order_over_once_and_the_later_says_so_in_a_line(
    shop, tmp_path
):
    orders = _due_orders(3000)
    terminal = Terminal()

    with shop.shared():
        first = shop.start(
            "-o",
            "first.csv",
            env={"INKASSO_TEST_PAUSE": str(tmp_path)},
            stderr=subprocess.PIPE,
        )
        _wait_until((tmp_path / "paused").exists, "the first run's first chunk")
        # The second run lists the due orders while the first one is still
        # uncommitted; its progress bar shows once it has them.
        second = shop.start(
            "-o", "second.csv", stdout=subprocess.DEVNULL, stderr=terminal.follower
        )
        terminal.started()
        _wait_until(lambda: "Handing over" in terminal.text, "the second run's list")
        (tmp_path / "go").touch()
        first_errors = first.communicate(timeout=TIMEOUT)[1].decode()
        second.wait(timeout=TIMEOUT)
    messages = terminal.close()

    assert first.returncode == 0, first_errors
    assert second.returncode == 0, messages
    handover = Handover.objects.get()
    assert sorted(Claim.objects.values_list("order_id", flat=True)) == orders
    assert (
        f"3,000 orders were handed over meanwhile by handover {handover.pk}."
        in messages
    )
    assert "Refused order" not in messages
    assert "CommandError" not in messages
    assert (tmp_path / "first.csv").read_bytes() == _recorded_file(handover)
    assert not (tmp_path / "second.csv").exists()
