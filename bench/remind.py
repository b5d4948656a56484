"""Benchmark ``inkasso_remind`` over many due orders (SQLite, locmem e-mail).

Run it with ``make bench`` or ``python bench/remind.py --orders 10000``. It
seeds a throwaway SQLite database with overdue demo orders that have no
dunning letter yet, then runs ``inkasso_remind`` once (every order gets its
payment reminder by e-mail, through the immediate task backend and Django's
locmem e-mail backend) in a fresh process, and prints one line:
``inkasso_remind <n> orders: <s> s, <letters/s> letters/s, <ms> ms/letter
(PDF <ms>), peak +<MiB> MiB``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDED = "2026-11-01"
TODAY = "2026-11-20"

CHILD = """
import json, resource, time, io, datetime
import django
django.setup()
from django.core.management import call_command
from django.core import mail
from inkasso.models import Letter
from inkasso import letters, reminders, sending

def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
before = rss()
start = time.perf_counter()
try:
    call_command("inkasso_remind", "--today", %(today)r, stderr=io.StringIO())
except SystemExit:
    pass
except Exception as exc:
    print("error", exc)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
sent = Letter.objects.filter(status="sent").count()
print(json.dumps({"seconds": seconds, "sent": sent, "outbox": len(mail.outbox),
                  "peak_kib": peak}))
"""

PDF = """
import json, time, datetime
import django
django.setup()
from inkasso import reminders
from inkasso.letters import render_letter
today = datetime.date.fromisoformat(%(today)r)
ids = reminders.reminder_order_ids(today=today)[:200]
chunks = reminders.next_letters(ids, today=today)
items = [item for chunk in chunks for item in chunk if item.ok]

def render(item):
    render_letter(item.data, level=item.level, sent_on=today, deadline=item.deadline)

render(items[0])  # Warm the templates and fonts.
start = time.perf_counter()
for item in items:
    render(item)
print(json.dumps({"per_letter": (time.perf_counter() - start) / len(items)}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
        subprocess.run(
            [
                *manage,
                "seed_demo",
                "--orders",
                str(args.orders),
                "--stage",
                "overdue",
                "--today",
                SEEDED,
                "--no-users",
            ],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        pdf = json.loads(
            subprocess.run(
                [sys.executable, "-c", PDF % {"today": TODAY}],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        out = subprocess.run(
            [sys.executable, "-c", CHILD % {"today": TODAY}],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    sent = result["sent"]
    print(
        f"inkasso_remind {args.orders} orders: {result['seconds']:.1f} s, "
        f"{sent} letters sent ({sent / result['seconds']:.0f} letters/s, "
        f"{1000 * result['seconds'] / max(sent, 1):.1f} ms/letter, PDF "
        f"{1000 * pdf['per_letter']:.1f} ms), peak +{result['peak_kib'] / 1024:.0f} MiB"
    )
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
