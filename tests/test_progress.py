"""The command shows progress on a terminal and stays quiet in cron."""

import fcntl
import io
import os
import pty
import re
import struct
import termios

import pytest
from django.core.management import call_command
from django.test import override_settings

from shop.models import OrderStatus
from tests.factories import DueOrderFactory

pytestmark = pytest.mark.django_db


def _run_on_a_terminal(*args, command="inkasso_export"):
    """Run the command with standard error on a real pseudo-terminal.

    The output here is a few hundred bytes, well within the terminal's buffer.
    """
    leader, follower = pty.openpty()
    rows, columns = 24, 100
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    try:
        with open(follower, "w", encoding="utf-8") as stderr:
            assert stderr.isatty()
            call_command(command, *args, stdout=io.StringIO(), stderr=stderr)
        output = b""
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # Linux: EIO once the terminal is closed and read
                break
            if not data:
                break
            output += data
    finally:
        os.close(leader)
    return output.decode()


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_the_command_shows_progress_on_a_terminal(tmp_path):
    DueOrderFactory.create_batch(5)

    terminal = _run_on_a_terminal("-o", str(tmp_path / "file.csv"))

    assert "\rHanding over:   0%" in terminal
    assert "2/5 [" in terminal
    assert "5/5 [" in terminal
    assert re.search(r"Handover \d+: 5 claims", terminal)


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_a_dry_run_shows_progress_on_a_terminal():
    DueOrderFactory.create_batch(3)

    terminal = _run_on_a_terminal("--dry-run")

    assert "\rChecking:   0%" in terminal
    assert "3/3 [" in terminal
    assert "Dry run: 3 orders would be handed over" in terminal


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_the_command_is_quiet_in_cron(tmp_path):
    DueOrderFactory.create_batch(5)
    stderr = io.StringIO()

    call_command("inkasso_export", "-o", str(tmp_path / "file.csv"), stderr=stderr)

    lines = stderr.getvalue().splitlines()
    assert len(lines) == 1
    assert re.match(r"Handover \d+: 5 claims, ", lines[0])
    assert "\r" not in stderr.getvalue()


def _overdue_orders(count):
    return DueOrderFactory.create_batch(count, letter=None, status=OrderStatus.SHIPPED)


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_inkasso_remind_shows_progress_on_a_terminal(tmp_path):
    _overdue_orders(5)

    terminal = _run_on_a_terminal(
        "--channel",
        "post",
        "-o",
        str(tmp_path / "letters.pdf"),
        command="inkasso_remind",
    )

    assert "\rSending:   0%" in terminal
    assert "2/5 [" in terminal
    assert "5/5 [" in terminal
    assert "5 letters sent" in terminal


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_an_inkasso_remind_dry_run_shows_progress_on_a_terminal():
    _overdue_orders(3)

    terminal = _run_on_a_terminal("--dry-run", command="inkasso_remind")

    assert "\rChecking:   0%" in terminal
    assert "3/3 [" in terminal
    assert "Dry run: 3 letters would be sent" in terminal


@override_settings(INKASSO_CHUNK_SIZE=2)
def test_inkasso_remind_is_quiet_in_cron(tmp_path):
    _overdue_orders(5)
    stderr = io.StringIO()

    call_command(
        "inkasso_remind",
        "--channel",
        "post",
        "-o",
        str(tmp_path / "letters.pdf"),
        stderr=stderr,
    )

    assert "\r" not in stderr.getvalue()
    assert stderr.getvalue().splitlines()[-1].startswith("5 letters sent")
