"""System checks of ``INKASSO_OSCAR``: ``manage.py check`` names every mistake."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import TemplateDoesNotExist, engines
from django.template.backends.django import DjangoTemplates
from django.urls import NoReverseMatch, reverse

from . import conf

ID = "inkasso_oscar"


def _error(number: int, msg: str, hint: str = "") -> Error:
    return Error(msg, hint=hint or None, id=f"{ID}.E{number:03d}")


def _strings(value) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(item, str) and item for item in value
    )


@register()
def check_oscar_settings(app_configs=None, **kwargs):
    value = getattr(settings, "INKASSO_OSCAR", {})
    if not isinstance(value, dict):
        return [_error(1, "INKASSO_OSCAR must be a dict.")]
    errors = []
    if unknown := sorted(set(value) - set(conf.DEFAULTS)):
        errors.append(
            _error(
                2,
                f"INKASSO_OSCAR has unknown keys: {', '.join(map(str, unknown))}.",
                f"Known keys: {', '.join(conf.DEFAULTS)}.",
            )
        )
    status = conf.get("COLLECTION_STATUS")
    if not isinstance(status, str) or not status:
        errors.append(
            _error(
                3,
                'INKASSO_OSCAR["COLLECTION_STATUS"] is not set.',
                "Name the Oscar order status that means “Inkasso ist in Arbeit”, "
                'e.g. "Inkasso", and add it to OSCAR_ORDER_STATUS_PIPELINE.',
            )
        )
    for key in ("COMPLETE_STATUSES", "CANCELLED_STATUSES", "DELIVERED_EVENT_CODES"):
        if not _strings(conf.get(key)):
            errors.append(_error(4, f'INKASSO_OSCAR["{key}"] must be a list of names.'))
    terms = conf.get("PAYMENT_TERMS")
    if not isinstance(terms, dict):
        errors.append(
            _error(5, 'INKASSO_OSCAR["PAYMENT_TERMS"] must be a dict by source type.')
        )
    else:
        for code, term in terms.items():
            if term is None or (problem := conf.payment_term_problem(term)):
                errors.append(
                    _error(
                        5,
                        f'INKASSO_OSCAR["PAYMENT_TERMS"][{code!r}]: '
                        f"{problem or 'expected a payment term'}.",
                    )
                )
    if problem := conf.payment_term_problem(conf.get("DEFAULT_PAYMENT_TERM")):
        errors.append(_error(5, f'INKASSO_OSCAR["DEFAULT_PAYMENT_TERM"]: {problem}.'))
    types = conf.get("CLAIM_TYPES")
    if not isinstance(types, dict) or not set(types.values()) <= set(
        conf.CLAIM_TYPE_NAMES
    ):
        errors.append(
            _error(
                6,
                'INKASSO_OSCAR["CLAIM_TYPES"] must map source type codes to '
                f"one of {', '.join(map(repr, conf.CLAIM_TYPE_NAMES))}.",
            )
        )
    mahnungen = conf.get("MAHNUNG_EVENT_TYPES")
    if not isinstance(mahnungen, dict) or not all(
        isinstance(code, str)
        and isinstance(days, int)
        and not isinstance(days, bool)
        and days >= 0
        for code, days in mahnungen.items()
    ):
        errors.append(
            _error(
                7,
                'INKASSO_OSCAR["MAHNUNG_EVENT_TYPES"] must map communication '
                "event type codes to their deadline in days, e.g. "
                '{"MAHNUNG": 14}.',
            )
        )
    if errors:
        return errors
    return _check_models(status)


def _check_models(status: str) -> list:
    if not apps.is_installed("oscar.apps.order") and "order" not in {
        config.label for config in apps.get_app_configs()
    }:
        return [_error(8, "Oscar's order app is not installed.")]
    errors = []
    if getattr(settings, "INKASSO_ORDER_MODEL", "") != conf.ORDER_MODEL:
        errors.append(
            _error(
                9,
                f'INKASSO_ORDER_MODEL must be "{conf.ORDER_MODEL}" with '
                "inkasso.contrib.oscar.",
                "Remove INKASSO_ORDER_MODEL and INKASSO_ADAPTER from the settings; "
                "the app sets both.",
            )
        )
    from .adapter import OscarOrderAdapter

    adapter = getattr(settings, "INKASSO_ADAPTER", "")
    if adapter != conf.ADAPTER:
        from django.utils.module_loading import import_string

        try:
            subclass = issubclass(import_string(adapter), OscarOrderAdapter)
        except (ImportError, TypeError):
            subclass = False  # inkasso's own checks say why
        if not subclass:
            errors.append(
                _error(
                    9,
                    f'INKASSO_ADAPTER must be "{conf.ADAPTER}" (or a subclass) '
                    "with inkasso.contrib.oscar.",
                )
            )
    order = apps.get_model("order", "Order")
    field = conf.get("COMPANY_FIELD")
    if field and field not in {
        f.name for f in apps.get_model("order", "BillingAddress")._meta.get_fields()
    }:
        errors.append(
            _error(
                10,
                f'INKASSO_OSCAR["COMPANY_FIELD"] {field!r} is not a field of '
                "the billing address.",
            )
        )
    pipeline = order.pipeline
    if status not in pipeline:
        errors.append(
            Warning(
                f"The collection status {status!r} is not in "
                "OSCAR_ORDER_STATUS_PIPELINE.",
                hint="Add it with the statuses an order may go to from there "
                "(complete, cancelled), and add it to the statuses that may "
                "precede it. Until then every order is refused.",
                id=f"{ID}.W001",
            )
        )
    elif not any(status in following for following in pipeline.values()):
        errors.append(
            Warning(
                f"No status of OSCAR_ORDER_STATUS_PIPELINE may be followed by "
                f"the collection status {status!r}: every order is refused.",
                id=f"{ID}.W002",
            )
        )
    withdrawn = conf.get("WITHDRAWN_STATUS")
    if withdrawn and withdrawn not in pipeline.get(status, ()):
        errors.append(
            _error(
                11,
                f'INKASSO_OSCAR["WITHDRAWN_STATUS"] {withdrawn!r} may not follow '
                f"the collection status {status!r} in OSCAR_ORDER_STATUS_PIPELINE.",
                "Allow it in the pipeline, or leave WITHDRAWN_STATUS unset.",
            )
        )
    return errors


ORDER_PAGE = "oscar/dashboard/orders/order_detail.html"


def _order_page_origins(engine) -> list[str]:
    """Return the files Django tries for Oscar's order page, first one first."""
    origins = []
    while True:
        try:
            _, origin = engine.find_template(ORDER_PAGE, skip=origins)
        except TemplateDoesNotExist:
            return [str(origin.name) for origin in origins]
        origins.append(origin)


@register(Tags.templates)
def check_order_panel(app_configs=None, **kwargs):
    """Warn when the dashboard's order page would lack the Inkasso panel."""
    if not conf.get("DASHBOARD") or not apps.is_installed("oscar"):
        return []
    ours = str(Path(apps.get_app_config(ID).path, "templates", ORDER_PAGE))
    oscar = str(Path(apps.get_app_config("oscar").path, "templates", ORDER_PAGE))
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        origins = _order_page_origins(engine.engine)
        if oscar in origins and (
            ours not in origins or origins.index(ours) > origins.index(oscar)
        ):
            return [
                Warning(
                    "The dashboard's order page does not show the Inkasso panel: "
                    "Django finds Oscar's order page template before "
                    "inkasso.contrib.oscar's.",
                    hint='Put "inkasso.contrib.oscar" above Oscar\'s apps in '
                    "INSTALLED_APPS (a template of your own with that name "
                    "should extend it).",
                    id=f"{ID}.W003",
                )
            ]
    return []


@register(Tags.urls)
def check_dashboard_urls(app_configs=None, **kwargs):
    """Refuse a dashboard navigation whose Inkasso pages have no URL.

    Oscar reverses every navigation entry: without the pages, the whole
    dashboard would fail.
    """
    if not conf.get("DASHBOARD") or not apps.is_installed("oscar"):
        return []
    try:
        reverse("inkasso_oscar:orders")
    except NoReverseMatch:
        return [
            _error(
                12,
                "The Inkasso pages of Oscar's dashboard have no URL, so Oscar's "
                "dashboard navigation fails.",
                'Put "inkasso.contrib.oscar.config.Shop" in the place of '
                '"oscar.config.Shop" in INSTALLED_APPS, or include '
                '"inkasso.contrib.oscar.dashboard.urls" at "dashboard/inkasso/" '
                'in your urls.py; or set INKASSO_OSCAR["DASHBOARD"] = False.',
            )
        ]
    return []
