"""System checks for the reminders' settings (``inkasso.E030`` and on)."""

from django.core.checks import Error, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .conf import app_settings
from .schedule import schedule_problems

CHANNELS = ("email", "post")
#: A letter is never taken as failed while it may still be going out.
MINIMUM_PENDING_TIMEOUT = 60


@register()
def check_dunning_settings(app_configs, **kwargs):
    errors = []
    if problems := schedule_problems(app_settings.DUNNING_LEVELS):
        errors.append(
            Error(
                "INKASSO_DUNNING_LEVELS is not a valid schedule: "
                f"{'; '.join(problems)}.",
                hint="Each level is a dict with name, mahnung (True/False), days "
                '(0 or more), deadline_days (1 or more) and fee (e.g. "0.00").',
                id="inkasso.E030",
            )
        )
    errors.extend(_check_creditor(app_settings.CREDITOR))
    if app_settings.DUNNING_CHANNEL not in CHANNELS:
        errors.append(
            Error(
                'INKASSO_DUNNING_CHANNEL must be "email" or "post".',
                id="inkasso.E032",
            )
        )
    if not isinstance(app_settings.DUNNING_FLAT_FEE, bool):
        errors.append(
            Error("INKASSO_DUNNING_FLAT_FEE must be True or False.", id="inkasso.E033")
        )
    if not isinstance(app_settings.HAND_OVER_AFTER_LAST_LETTER, bool):
        errors.append(
            Error(
                "INKASSO_HAND_OVER_AFTER_LAST_LETTER must be True or False.",
                id="inkasso.E035",
            )
        )
    timeout = app_settings.DUNNING_PENDING_TIMEOUT
    if (
        not isinstance(timeout, int)
        or isinstance(timeout, bool)
        or timeout < MINIMUM_PENDING_TIMEOUT
    ):
        errors.append(
            Error(
                "INKASSO_DUNNING_PENDING_TIMEOUT must be a whole number of seconds, "
                f"{MINIMUM_PENDING_TIMEOUT} or more.",
                hint="How long a letter may be being sent before the next run "
                "takes it as failed and sends it again; longer than sending a "
                "chunk of letters takes (default 3600).",
                id="inkasso.E036",
            )
        )
    language = app_settings.DUNNING_LANGUAGE
    try:
        get_template(f"inkasso/letters/{language}/letter.txt")
    except (TemplateDoesNotExist, TypeError):
        errors.append(
            Error(
                f"INKASSO_DUNNING_LANGUAGE {language!r} has no letter templates.",
                hint='Use "de" or "en", or add '
                f"templates/inkasso/letters/{language}/letter.txt and letter.html.",
                id="inkasso.E034",
            )
        )
    return errors


def _check_creditor(creditor):
    # Not set: the shop sends no letters (inkasso_remind says so). Set: the
    # letters name the creditor, so an empty name or address is refused.
    if creditor is None:
        return []
    if not (
        isinstance(creditor, dict)
        and str(creditor.get("name", "")).strip()
        and isinstance(creditor.get("address"), list | tuple)
        and any(str(line).strip() for line in creditor["address"])
    ):
        return [
            Error(
                "INKASSO_CREDITOR must give the creditor's name and address.",
                hint='{"name": "Muster GmbH", "address": ["Hauptstr. 1", '
                '"01067 Dresden"], "details": ["Tel. …", "IBAN …"]}',
                id="inkasso.E031",
            )
        ]
    return []
