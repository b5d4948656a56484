"""The order side inside other admins: a second AdminSite, a host's own
templates, django-import-export's mixins, an admin without InkassoFilter."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory

from inkasso.admin import InkassoFilter, InkassoOrderAdminMixin
from inkasso.models import Handover
from shop.admin import OrderAdmin
from shop.models import Order
from tests import host_admin_urls
from tests.conftest import HANDOVER_PERMISSIONS
from tests.factories import DueOrderFactory, OrderFactory
from tests.users import UserFactory

pytestmark = pytest.mark.django_db

ACTION = "hand_over_to_mediafinanz"


@pytest.fixture(autouse=True)
def host_admins(settings):
    settings.ROOT_URLCONF = "tests.host_admin_urls"
    templates = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**templates, "DIRS": [*templates["DIRS"], "tests/host_templates"]}
    ]


def select(client, site, orders):
    return client.post(
        f"/{site}/shop/order/",
        {"action": ACTION, ACTION_CHECKBOX_NAME: [o.pk for o in orders], "index": 0},
    )


def test_a_second_admin_site_keeps_its_links(clerk_client):
    order = DueOrderFactory()

    change = clerk_client.get(f"/second/shop/order/{order.pk}/change/")
    assert f"/second/shop/order/{order.pk}/inkasso/" in change.content.decode()
    assert "/admin/shop/order/" not in change.content.decode()

    page = clerk_client.get(f"/second/shop/order/{order.pk}/inkasso/")
    assert page.status_code == 200
    assert f'href="/second/shop/order/{order.pk}/change/"' in page.content.decode()

    confirmation = select(clerk_client, "second", [order])
    assert (
        confirmation.context["confirm_url"] == "/second/shop/order/inkasso/hand-over/"
    )
    content = confirmation.content.decode()
    assert f'href="/second/shop/order/{order.pk}/change/"' in content
    assert 'href="/second/shop/order/"' in content  # breadcrumbs, cancel
    assert "/admin/shop/order/" not in content

    response = clerk_client.post(
        confirmation.context["confirm_url"],
        {
            "selection": confirmation.context["selection"],
            "confirm": "yes",
            "encoding": "cp1252",
        },
    )
    assert response.status_code == 302
    assert Handover.objects.get().claims.get().order == order


def test_the_start_page_of_a_second_site_links_its_own_order_list(clerk_client):
    DueOrderFactory()
    page = clerk_client.get("/second/").content.decode()
    assert "/second/shop/order/?collection=ready" in page


def test_a_host_with_its_own_templates_and_export_keeps_every_button(client):
    # import-export shows the host's list buttons to those who may add orders.
    client.force_login(
        UserFactory(
            username="clerk", permissions=[*HANDOVER_PERMISSIONS, "shop.add_order"]
        )
    )
    order = DueOrderFactory()
    clerk_client = client

    changelist = clerk_client.get("/host/shop/order/")
    content = changelist.content.decode()
    assert changelist.status_code == 200
    assert 'id="host-list-button"' in content  # the host's
    assert "/host/shop/order/export/" in content  # import-export's
    assert "inkasso/inkasso.css" in content  # ours
    assert "admin/inkasso/order_change_list.html" in [
        t.name for t in changelist.templates
    ]
    assert ACTION in content

    change = clerk_client.get(f"/host/shop/order/{order.pk}/change/")
    content = change.content.decode()
    assert 'id="host-form-button"' in content
    assert f"/host/shop/order/{order.pk}/inkasso/" in content
    assert 'id="inkasso-story"' in content


def test_the_templates_chain_whichever_mixin_comes_first():
    inkasso_first = host_admin_urls.HostOrderAdmin(Order, admin.AdminSite())
    assert inkasso_first.change_list_template == "admin/inkasso/order_change_list.html"
    assert inkasso_first.inkasso_base_change_list_template == (
        "admin/import_export/change_list_export.html"
    )
    assert inkasso_first.ie_base_change_list_template == "host/order_change_list.html"
    assert inkasso_first.inkasso_base_change_form_template == (
        "host/order_change_form.html"
    )

    export_first = host_admin_urls.ExportFirstOrderAdmin(Order, admin.AdminSite())
    assert export_first.change_list_template == (
        "admin/import_export/change_list_export.html"
    )
    assert export_first.ie_base_change_list_template == (
        "admin/inkasso/order_change_list.html"
    )
    assert export_first.inkasso_base_change_list_template == (
        "host/order_change_list.html"
    )


def test_the_demo_admin_keeps_the_reminders_on_top_of_our_change_form():
    demo = OrderAdmin(Order, admin.AdminSite())
    assert demo.change_form_template == "admin/inkasso/order_dunning_change_form.html"
    assert demo.inkasso_base_change_form_template == "admin/change_form.html"


def test_the_filter_links_work_without_inkasso_filter_in_list_filter(clerk_client):
    ready = DueOrderFactory()
    blocked = DueOrderFactory(billing_city="")
    OrderFactory()

    response = clerk_client.get("/host/shop/order/?collection=ready")

    assert response.status_code == 200  # not a redirect to ?e=1
    assert list(response.context["cl"].result_list) == [ready]
    response = clerk_client.get("/host/shop/order/?collection=blocked")
    assert list(response.context["cl"].result_list) == [blocked]


def test_the_filter_is_added_once():
    request = RequestFactory().get("/")
    host = host_admin_urls.HostOrderAdmin(Order, admin.AdminSite())
    assert host.get_list_filter(request) == [InkassoFilter, "status"]
    demo = OrderAdmin(Order, admin.AdminSite())
    assert demo.get_list_filter(request).count(InkassoFilter) == 1


class NoHandoverHere(InkassoOrderAdminMixin, admin.ModelAdmin):
    def has_inkasso_hand_over_permission(self, request):
        return False


def test_the_action_obeys_its_permission_check(clerk):
    request = RequestFactory().get("/")
    request.user = clerk
    assert ACTION in OrderAdmin(Order, admin.AdminSite()).get_actions(request)
    assert ACTION not in NoHandoverHere(Order, admin.AdminSite()).get_actions(request)


def test_the_confirmation_url_takes_only_posts_from_clerks(
    clerk_client, client, staff_without_permission
):
    url = "/admin/shop/order/inkasso/hand-over/"
    assert clerk_client.get(url).status_code == 405
    client.force_login(staff_without_permission)
    assert client.post(url, {"selection": "x", "confirm": "yes"}).status_code == 403
