"""django-inkasso for django-oscar shops: adapter, admin and dashboard, by settings.

``INSTALLED_APPS += ["inkasso", "inkasso.contrib.oscar"]`` and an
``INKASSO_OSCAR`` dict (see :mod:`inkasso.contrib.oscar.conf`) are all a shop
needs: the app fills in ``INKASSO_ORDER_MODEL`` and ``INKASSO_ADAPTER``.
"""
