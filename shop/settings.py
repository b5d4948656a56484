"""Settings for the demo shop that shows django-inkasso at work.

Safe by default: DEBUG is off and there is no key in the code. What differs
between installations comes from the environment (README, "Production settings").
"""

import contextlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str) -> bool:
    """`1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`; unset or empty is off.

    Anything else is refused: `DJANGO_HTTPS=ture` must not quietly mean off.
    """
    value = os.environ.get(name, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; unset means `default`."""
    if name not in os.environ:
        return default
    return [item.strip() for item in os.environ[name].split(",") if item.strip()]


def local_secret_key(path: Path) -> str:
    """The key kept in `path`, made there on first use.

    The key is random (`get_random_secret_key`) and the file is readable by
    its owner only (`mkstemp` creates it with mode 0600). It is written under
    a temporary name and hard-linked into place, so a process that starts at
    the same moment never reads half a key, and a key once made is never
    replaced: every process uses the first one.
    """
    if not path.exists():
        try:
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.")
            try:
                with os.fdopen(fd, "w", encoding="ascii") as file:
                    file.write(get_random_secret_key() + "\n")
                    file.flush()
                    os.fsync(file.fileno())
                # Another process may have made the key first; then use that one.
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)
            finally:
                os.unlink(temporary)
        except OSError as error:
            raise ImproperlyConfigured(
                f"Cannot make the secret key file {path} ({error}). "
                "Set DJANGO_SECRET_KEY, or DJANGO_SECRET_KEY_FILE to a writable path."
            ) from error
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"The secret key in {path} is shorter than 50 characters. "
            "Delete the file to have a new key made, or set DJANGO_SECRET_KEY."
        )
    return key


# The key signs sessions, password reset links and the admin's "select all"
# tokens; whoever knows it can forge them. There is no default in the code.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key(
    Path(os.environ.get("DJANGO_SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
)
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]
)

# Served over HTTPS only (behind a proxy that ends TLS too): redirect plain
# HTTP, send cookies over HTTPS only, and tell browsers to stay on HTTPS.
https_only = env_flag("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = https_only
SESSION_COOKIE_SECURE = https_only
CSRF_COOKIE_SECURE = https_only
SECURE_HSTS_SECONDS = (
    int(os.environ.get("DJANGO_HSTS_SECONDS") or 3600) if https_only else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = https_only and env_flag(
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS"
)
SECURE_HSTS_PRELOAD = https_only and env_flag("DJANGO_HSTS_PRELOAD")
if env_flag("DJANGO_TRUST_X_FORWARDED_PROTO"):
    # Only behind a proxy that sets this header itself on every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "django_tasks",
    "inkasso",
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "shop.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue up instead of failing with
    # "database is locked" half-way through a handover.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "SQLITE_TEST_NAME"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "shop" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INKASSO_ORDER_MODEL = "shop.Order"
INKASSO_ADAPTER = "shop.collection.ShopOrderAdapter"
# What the demo's collection clerks need of the shop besides view/change on
# orders (manage.py inkasso_setup): the customer's address and e-mail for the
# letters, the order's lines, and a payment that came in after all.
INKASSO_CLERK_PERMISSIONS = [
    "shop.view_customer",
    "shop.change_customer",
    "shop.view_orderline",
    "shop.view_payment",
    "shop.add_payment",
]
# Who the reminders and Mahnungen come from (inkasso_remind, the admin).
INKASSO_CREDITOR = {
    "name": "Kaffeerösterei Beispiel GmbH",
    "address": ["Königstraße 1", "01097 Dresden"],
    "details": ["buchhaltung@example.de", "IBAN DE02 1203 0000 0000 2020 51"],
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_FROM_EMAIL", "buchhaltung@example.de")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# E-mailed letters go out at once; a shop with a worker names its backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"inkasso": {"handlers": ["console"], "level": "INFO"}},
}
