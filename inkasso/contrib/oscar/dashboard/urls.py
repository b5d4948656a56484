from django.urls import path

from . import file_numbers, ledger, order, reminders, views

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
    path("handovers/", ledger.HandoversView.as_view(), name="handovers"),
    path("claims/", ledger.ClaimsView.as_view(), name="claims"),
    path("claims/<int:pk>/", ledger.ClaimView.as_view(), name="claim"),
    path(
        "claims/<int:pk>/file-number/",
        ledger.ClaimFileNumberView.as_view(),
        name="claim-file-number",
    ),
    path(
        "claims/<int:pk>/payment/",
        ledger.ClaimPaymentView.as_view(),
        name="claim-payment",
    ),
    path(
        "claims/<int:pk>/withdraw/",
        ledger.ClaimWithdrawView.as_view(),
        name="claim-withdraw",
    ),
    path(
        "file-numbers/import/",
        file_numbers.FileNumberImportView.as_view(),
        name="file-number-import",
    ),
    path(
        "file-numbers/import/confirm/",
        file_numbers.FileNumberConfirmView.as_view(),
        name="file-number-import-confirm",
    ),
    path(
        "orders/<str:number>/hand-over/",
        order.OrderHandOverView.as_view(),
        name="order-hand-over",
    ),
    path("letters/<int:pk>/file/", order.LetterFileView.as_view(), name="letter-file"),
    path("reminders/", reminders.RemindersView.as_view(), name="reminders"),
]
