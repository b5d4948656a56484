"""Create the collection clerks' group with exactly the permissions they need.

A command rather than a data migration: the host's order model and the
permissions of ``INKASSO_CLERK_PERMISSIONS`` are unknown to the app's
migrations, Django creates permissions only after all migrations ran
(``post_migrate``), and the setting may change after the app was migrated.
Run it after ``migrate``, and again whenever the setting changes.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import transaction

from inkasso import clerk
from inkasso.management.base import InkassoCommand


class Command(InkassoCommand):
    help = (
        "Create or complete the group of collection clerks (Inkasso-Sachbearbeitung) "
        "with exactly the permissions the job needs: inkasso.hand_over, "
        "inkasso.send_reminders, view and change on the shop's orders, and "
        "INKASSO_CLERK_PERMISSIONS. Safe to run again. "
        "Exit status: 0 done, 2 could not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--group",
            help="The group's name (default: 'Collection clerk' in the language "
            "of LANGUAGE_CODE, e.g. 'Inkasso-Sachbearbeitung').",
        )
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="NAME",
            help="Also put this user into the group (repeatable). The user "
            "becomes staff, so that they can log in to the admin.",
        )
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Also take away permissions the group has beyond the clerk's.",
        )

    def handle(self, *args, group, user, exact, **options):
        name = group or clerk.group_name()
        try:
            wanted = clerk.permission_objects(clerk.clerk_permissions())
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        users = [self._user(username) for username in user]
        with transaction.atomic():
            group_obj, created = Group.objects.get_or_create(name=name)
            self._say(
                f"Created the group {name!r}."
                if created
                else f"The group {name!r} exists."
            )
            have = set(group_obj.permissions.all())
            added = [p for p in wanted if p not in have]
            extra = sorted(have - set(wanted), key=_label)
            group_obj.permissions.add(*added)
            for permission in added:
                self._say(f"  added    {_label(permission)}")
            if exact and extra:
                group_obj.permissions.remove(*extra)
            for permission in extra:
                verb = "removed" if exact else "kept   "
                self._say(f"  {verb}  {_label(permission)} (not one a clerk needs)")
            if not added and not (exact and extra):
                self._say(f"  It has all {len(wanted)} permissions a clerk needs.")
            for user_obj in users:
                self._add_user(group_obj, user_obj)

    def _user(self, username):
        User = get_user_model()
        try:
            return User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(
                f"There is no user {username!r}; create it first "
                "(manage.py createsuperuser or the admin). Nothing was changed."
            ) from None

    def _add_user(self, group, user):
        name = user.get_username()
        if user.groups.filter(pk=group.pk).exists():
            self._say(f"{name!r} is in the group already.")
        else:
            user.groups.add(group)
            self._say(f"Put {name!r} into the group.")
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            self._say(f"{name!r} may now log in to the admin (staff).")
        if not user.is_active:
            self._say(f"Note: {name!r} is not active and cannot log in.")

    def _say(self, line):
        self.stdout.write(line)


def _label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"
