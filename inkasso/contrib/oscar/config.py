"""Oscar's root app with the Inkasso dashboard pages, so that settings route them.

Oscar's own way to change its URLs is a subclass of ``oscar.config.Shop`` in
its place in ``INSTALLED_APPS``. This one adds ``dashboard/inkasso/`` (the
pages of :mod:`inkasso.contrib.oscar.dashboard`) before Oscar's URLs; the
shop's ``urls.py`` stays Oscar's usual ``include(apps.get_app_config("oscar")
.urls[0])``. A shop with a ``Shop`` of its own subclasses this one instead, or
includes ``inkasso.contrib.oscar.dashboard.urls`` itself.
"""

from django.urls import include, path
from oscar.config import Shop as OscarShop


class Shop(OscarShop):
    def get_urls(self):
        return [
            path("dashboard/inkasso/", include("inkasso.contrib.oscar.dashboard.urls")),
            *super().get_urls(),
        ]
