"""The collection clerk: the permissions the job needs, and what a 403 page says.

A clerk hands over claims, sends reminders and Mahnungen, looks at the shop's
orders and fixes blocked ones. :func:`clerk_permissions` lists exactly the
permissions for that; ``manage.py inkasso_setup`` puts them into one group.
The ledger pages (handovers, claims, direct payments; letters, Mahnsperren)
go by ``inkasso.hand_over`` and ``inkasso.send_reminders`` alone, so Django's
generated add/change/delete/view permissions of the ledger models are not
part of it: the ledger is written by the services only.

:func:`permission_denied` is a ``handler403`` for the host's root URLconf: in
the admin it answers inside the admin's layout, names the permission the page
needs in the clerk's words, the groups that have it and whom to ask.
"""

from django.conf import settings
from django.contrib.admin.sites import all_sites
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext, gettext_noop, pgettext
from django.views import defaults

from .adapters import get_order_model

HAND_OVER = "inkasso.hand_over"
SEND_REMINDERS = "inkasso.send_reminders"
INKASSO_PERMISSIONS = (HAND_OVER, SEND_REMINDERS)
#: The ledger models whose pages need ``inkasso.send_reminders``; every other
#: page of the inkasso app needs ``inkasso.hand_over``.
DUNNING_MODELS = ("letter", "dunningstop")
GROUP_NAME = gettext_noop("Collection clerk")
#: How many of the people who manage users the 403 page names.
ASK_AT_MOST = 3


def group_name() -> str:
    """The clerk group's name in the shop's language (``LANGUAGE_CODE``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(GROUP_NAME)


def host_permissions() -> list[str]:
    """View and change on the host's orders, then ``INKASSO_CLERK_PERMISSIONS``."""
    opts = get_order_model()._meta
    own = [
        f"{opts.app_label}.{get_permission_codename(action, opts)}"
        for action in ("view", "change")
    ]
    return [*own, *getattr(settings, "INKASSO_CLERK_PERMISSIONS", ())]


def clerk_permissions() -> list[str]:
    """Every permission a collection clerk needs, as ``app_label.codename``."""
    return list(dict.fromkeys([*INKASSO_PERMISSIONS, *host_permissions()]))


def permission_objects(names) -> list[Permission]:
    """The ``Permission`` rows of ``app_label.codename`` names, in that order.

    Raises ``ImproperlyConfigured`` naming every one that does not exist.
    """
    found, unknown = [], []
    for name in names:
        app_label, _dot, codename = name.partition(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            unknown.append(name)
        else:
            found.append(permission)
    if unknown:
        raise ImproperlyConfigured(
            "These permissions do not exist: "
            + ", ".join(unknown)
            + ". Check INKASSO_CLERK_PERMISSIONS (app_label.codename) and run "
            "migrate first."
        )
    return found


def permission_words(permission: Permission) -> str:
    """A permission as a clerk reads it, in the active language."""
    model = permission.content_type.model_class()
    if model is not None:
        opts = model._meta
        words = {
            get_permission_codename("view", opts): gettext("View %(models)s"),
            get_permission_codename("change", opts): gettext("Change %(models)s"),
            get_permission_codename("add", opts): gettext("Add %(models)s"),
            get_permission_codename("delete", opts): gettext("Delete %(models)s"),
        }.get(permission.codename)
        if words:
            return words % {"models": opts.verbose_name_plural}
        # A custom permission: its name in the model's Meta is marked for
        # translation; the row holds it in the language it was created in.
        for codename, name in opts.permissions:
            if codename == permission.codename:
                return capfirst(str(name))
    return capfirst(gettext(permission.name))


def _site_of(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name != "admin":
        return None
    return next((site for site in all_sites if site.name == match.namespace), None)


def _needed(request, site) -> list[str]:
    """The permissions the page of this admin URL needs, as ``app.codename``."""
    url_name = request.resolver_match.url_name or ""
    for model in site._registry:
        opts = model._meta
        prefix = f"{opts.app_label}_{opts.model_name}_"
        if not url_name.startswith(prefix):
            continue
        if opts.app_label == "inkasso":
            dunning = opts.model_name in DUNNING_MODELS
            return [SEND_REMINDERS if dunning else HAND_OVER]
        view = url_name.removeprefix(prefix)
        if view == "inkasso" or view.startswith("inkasso_"):
            # The order page's handover and the action's confirmation.
            return [HAND_OVER]
        action = {"add": "add", "delete": "delete"}.get(view, "view")
        if view == "change" and request.method == "POST":
            action = "change"
        return [f"{opts.app_label}.{get_permission_codename(action, opts)}"]
    return []


def missing_permissions(request, site) -> list[Permission]:
    """The permissions this admin page needs that the user lacks."""
    lacking = [
        name for name in _needed(request, site) if not request.user.has_perm(name)
    ]
    try:
        return permission_objects(lacking)
    except ImproperlyConfigured:
        return []


def user_managers() -> list[str]:
    """Up to three people who may give permissions: active superusers and
    users who may change users."""
    User = get_user_model()
    field_names = {field.name for field in User._meta.get_fields()}
    if not {"is_superuser", "user_permissions", "groups"} <= field_names:
        return []
    opts = User._meta
    codename = get_permission_codename("change", opts)
    may_change_users = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=opts.app_label,
    ) | Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=opts.app_label,
    )
    people = (
        User._default_manager.filter(Q(is_superuser=True) | may_change_users)
        .filter(is_active=True)
        .distinct()
        .order_by("pk")[:ASK_AT_MOST]
    )
    names = []
    for person in people:
        full_name = getattr(person, "get_full_name", lambda: "")()
        names.append(full_name or person.get_username())
    return names


def _listed(names, *, quoted=False) -> str:
    """Names as "a, b or c", each in bold (or quoted), HTML-escaped."""
    if quoted:
        # Translators: a name in quotation marks, e.g. a group's.
        items = [escape(pgettext("quoted", "“%(name)s”") % {"name": n}) for n in names]
    else:
        items = [format_html("<strong>{}</strong>", name) for name in names]
    # Every item is escaped above.
    return mark_safe(get_text_list(items, gettext("or")))


def _described(permission: Permission) -> dict:
    groups = list(
        Group.objects.filter(permissions=permission)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return {
        "words": permission_words(permission),
        "codename": f"{permission.content_type.app_label}.{permission.codename}",
        "groups": _listed(groups, quoted=True),
        "group_count": len(groups),
    }


def permission_denied(request, exception=None, template_name="403.html"):
    """``handler403``: in the admin, a page inside its layout that says why.

    Outside the admin it is Django's own ``permission_denied`` view.
    """
    site = _site_of(request)
    if site is None or not getattr(request, "user", None):
        return defaults.permission_denied(request, exception, template_name)
    missing = missing_permissions(request, site)
    managers = user_managers()
    context = {
        **site.each_context(request),
        "title": gettext("No access to this page"),
        "base_template": "admin/base_site.html",
        "index_url": reverse(f"{site.name}:index"),
        "missing": [_described(permission) for permission in missing],
        "managers": _listed(managers),
        "manager_count": len(managers),
    }
    return TemplateResponse(request, template_name, context, status=403).render()
