"""The Oscar host shop without ``django.contrib.admin``, in a database of its own.

``test_without_admin.py`` runs it in a subprocess: the app registry cannot
drop an installed app within one process.
"""

import os

from .settings import *  # noqa: F403

INSTALLED_APPS = [
    app
    for app in INSTALLED_APPS  # noqa: F405
    if app != "django.contrib.admin"
]
ROOT_URLCONF = "tests.oscarshop.urls_without_admin"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["INKASSO_TEST_DATABASE"],
    }
}
