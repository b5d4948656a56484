from django.urls import path

from . import views

app_name = "inkasso_oscar"

urlpatterns = [
    path("", views.OrdersView.as_view(), name="orders"),
    path("hand-over/", views.HandOverView.as_view(), name="hand-over"),
    path("handovers/<int:pk>/", views.HandoverView.as_view(), name="handover"),
    path(
        "handovers/<int:pk>/file/",
        views.HandoverFileView.as_view(),
        name="handover-file",
    ),
]
