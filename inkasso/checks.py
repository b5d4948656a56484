"""System checks for a host's django-inkasso configuration (``inkasso.E0xx``)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.module_loading import import_string

from .adapters import OrderAdapter, get_order_model, missing_adapter_methods
from .conf import app_settings
from .contract import encoding_problem
from .resources import ExportWidget, MediafinanzResource, contract_headers


@register()
def check_order_model(app_configs, **kwargs):
    if not hasattr(settings, "INKASSO_ORDER_MODEL"):
        return [
            Error(
                "INKASSO_ORDER_MODEL is not set.",
                hint='Set it to your order model, e.g. "shop.Order".',
                id="inkasso.E001",
            )
        ]
    try:
        get_order_model()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="inkasso.E002")]
    return []


@register()
def check_adapter(app_configs, **kwargs):
    path = app_settings.ADAPTER
    if not path:
        return [
            Error(
                "INKASSO_ADAPTER is not set.",
                hint="Set it to the dotted path of your OrderAdapter subclass.",
                id="inkasso.E003",
            )
        ]
    try:
        adapter = import_string(path)
    except ImportError as exc:
        return [
            Error(
                f"INKASSO_ADAPTER {path!r} cannot be imported: {exc}",
                id="inkasso.E004",
            )
        ]
    if not (isinstance(adapter, type) and issubclass(adapter, OrderAdapter)):
        return [
            Error(
                f"INKASSO_ADAPTER {path!r} is not a subclass of "
                "inkasso.adapters.OrderAdapter.",
                id="inkasso.E005",
            )
        ]
    if missing := missing_adapter_methods(adapter):
        return [
            Error(
                f"INKASSO_ADAPTER {path!r} does not implement {', '.join(missing)}.",
                hint="Implement them, or set status_field and collection_status "
                "to use the defaults of due_orders() and mark_handed_over().",
                id="inkasso.E006",
            )
        ]
    try:
        adapter()
    except Exception as exc:
        return [
            Error(
                f"INKASSO_ADAPTER {path!r} cannot be instantiated without "
                f"arguments: {exc}",
                id="inkasso.E013",
            )
        ]
    return _check_status_field(adapter, path)


def _check_status_field(adapter, path):
    if not adapter.status_field:
        return []
    try:
        model = get_order_model()
    except ImproperlyConfigured:
        return []  # inkasso.E001 or E002 says so already.
    try:
        field = model._meta.get_field(adapter.status_field)
    except FieldDoesNotExist:
        field = None
    if field is None or not field.concrete:
        return [
            Error(
                f"The status_field {adapter.status_field!r} of INKASSO_ADAPTER "
                f"{path!r} is not a field of {model._meta.label}.",
                id="inkasso.E014",
            )
        ]
    return []


@register()
def check_resource(app_configs, **kwargs):
    path = app_settings.RESOURCE
    try:
        resource_class = import_string(path)
    except ImportError as exc:
        return [
            Error(
                f"INKASSO_RESOURCE {path!r} cannot be imported: {exc}",
                id="inkasso.E007",
            )
        ]
    if not (
        isinstance(resource_class, type)
        and issubclass(resource_class, MediafinanzResource)
    ):
        return [
            Error(
                f"INKASSO_RESOURCE {path!r} is not a subclass of "
                "inkasso.resources.MediafinanzResource.",
                id="inkasso.E008",
            )
        ]
    headers = contract_headers()
    if resource_class().get_export_headers() != headers:
        return [
            Error(
                f"INKASSO_RESOURCE {path!r} changes the 18 columns of the "
                "mediafinanz file.",
                hint=f"The columns must be exactly: {'; '.join(headers)}",
                id="inkasso.E009",
            )
        ]
    if plain := [
        field.column_name
        for field in resource_class().get_export_fields()
        if not isinstance(field.widget, ExportWidget)
    ]:
        return [
            Error(
                f"INKASSO_RESOURCE {path!r} renders {', '.join(plain)} with a "
                "widget that is not an inkasso.resources.ExportWidget.",
                hint="Subclass TextWidget, PhoneWidget, EmailWidget, AmountWidget, "
                "DateWidget or ExportWidget: they make every value safe for the "
                "file.",
                id="inkasso.E018",
            )
        ]
    return []


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    if problem := encoding_problem(app_settings.ENCODING):
        errors.append(
            Error(
                f"INKASSO_ENCODING {app_settings.ENCODING!r} cannot be used: "
                f"{problem}.",
                hint='Use "cp1252" (the default) or "utf-8-sig".',
                id="inkasso.E010",
            )
        )
    codes = app_settings.SALUTATION_CODES
    if set(codes) != {"male", "female", "company"} or not all(
        isinstance(code, str) and code.strip() and len(code) <= 5
        for code in codes.values()
    ):
        errors.append(
            Error(
                "INKASSO_SALUTATION_CODES must give a short code for exactly "
                "'male', 'female' and 'company'.",
                id="inkasso.E011",
            )
        )
    grace = app_settings.DUNNING_GRACE_DAYS
    if not isinstance(grace, int) or isinstance(grace, bool) or grace < 0:
        errors.append(
            Error(
                "INKASSO_DUNNING_GRACE_DAYS must be a whole number of days, 0 or more.",
                id="inkasso.E012",
            )
        )
    if not isinstance(app_settings.HEADER_ROW, bool):
        errors.append(
            Error("INKASSO_HEADER_ROW must be True or False.", id="inkasso.E015")
        )
    try:
        minimum = app_settings.MINIMUM_AMOUNT
    except (InvalidOperation, ValueError):
        minimum = None
    if minimum is None or not minimum.is_finite() or minimum < Decimal(0):
        errors.append(
            Error(
                "INKASSO_MINIMUM_AMOUNT must be an amount in EUR, 0 or more, "
                'such as "10.00".',
                id="inkasso.E016",
            )
        )
    chunk_size = app_settings.CHUNK_SIZE
    if (
        not isinstance(chunk_size, int)
        or isinstance(chunk_size, bool)
        or chunk_size < 1
    ):
        errors.append(
            Error(
                "INKASSO_CHUNK_SIZE must be a whole number of orders, 1 or more.",
                id="inkasso.E017",
            )
        )
    lock_timeout = app_settings.LOCK_TIMEOUT
    if (
        not isinstance(lock_timeout, int | float)
        or isinstance(lock_timeout, bool)
        or not 0 < lock_timeout <= 3600
    ):
        errors.append(
            Error(
                "INKASSO_LOCK_TIMEOUT must be a number of seconds above 0 and "
                "at most 3600.",
                hint="It is in seconds, not milliseconds; the default is 15.",
                id="inkasso.E019",
            )
        )
    years = app_settings.RETENTION_YEARS
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        errors.append(
            Error(
                "INKASSO_RETENTION_YEARS must be a whole number of years, 1 or more.",
                hint="Commercial records are kept 10 years in Germany (the default).",
                id="inkasso.E020",
            )
        )
    return errors
