import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.utils import timezone

from shop.demo import STAGES, create_demo_data
from shop.models import Order

DEMO_USERS = [
    # username, password, superuser, permissions
    ("admin", "admin", True, []),
    (
        "clerk",
        "clerk",
        False,
        [
            "shop.view_order",
            "shop.change_order",
            "shop.view_customer",
            "inkasso.hand_over",
            "inkasso.send_reminders",
        ],
    ),
    ("viewer", "viewer", False, ["shop.view_order", "shop.view_customer"]),
]


class Command(BaseCommand):
    help = "Fill the demo shop with realistic, deterministic German orders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--orders", type=int, default=500, help="How many orders (default 500)."
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (default 42)."
        )
        parser.add_argument(
            "--stage",
            choices=[name for name, _weight in STAGES],
            help="Put every order into this stage (benchmarks use 'collection').",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Reference date (YYYY-MM-DD).",
        )
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create the demo logins."
        )
        parser.add_argument(
            "--no-letter-copies",
            dest="letter_copies",
            action="store_false",
            help="Record the letters without their text and PDF (for benchmarks).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Create orders only if the shop has none yet (for `make demo`).",
        )

    def handle(
        self,
        *args,
        orders,
        seed,
        stage,
        today,
        no_users,
        if_empty,
        letter_copies,
        **options,
    ):
        if if_empty and Order.objects.exists():
            self.stderr.write("The shop has orders already; none were added.")
        else:
            count = create_demo_data(
                orders=orders,
                seed=seed,
                today=today or timezone.localdate(),
                stage=stage,
                letter_copies=letter_copies,
            )
            self.stderr.write(f"Created {count} demo orders (seed {seed}).")
        if not no_users:
            self._users()

    def _users(self):
        User = get_user_model()
        for username, password, superuser, permissions in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": superuser},
            )
            if created:
                user.set_password(password)
                user.save()
                for perm in permissions:
                    app_label, codename = perm.split(".")
                    user.user_permissions.add(
                        Permission.objects.get(
                            content_type__app_label=app_label, codename=codename
                        )
                    )
            self.stdout.write(f"Login: {username} / {password}")
