"""An Oscar shop without ``django.contrib.admin`` still gets the dashboard pages.

Django imports every template tag library when it renders its first
template, and ``inkasso_admin`` imported the admin: every page of such a
shop failed with "No installed app with label 'admin'".
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAGES = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

call_command("migrate", verbosity=0)
clerk = get_user_model().objects.create_user("clerk", is_staff=True)
clerk.user_permissions.add(
    *Permission.objects.filter(codename__in=["hand_over", "send_reminders"])
)
client = Client()
client.force_login(clerk)
for name in ["orders", "claims", "handovers", "reminders"]:
    print(name, client.get(reverse("inkasso_oscar:" + name)).status_code)
"""


@pytest.mark.slow
def test_the_dashboard_pages_work_in_a_shop_without_the_admin(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PAGES],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.oscarshop.settings_without_admin",
            "INKASSO_TEST_DATABASE": str(tmp_path / "shop.sqlite3"),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [
        "orders",
        "200",
        "claims",
        "200",
        "handovers",
        "200",
        "reminders",
        "200",
    ]
