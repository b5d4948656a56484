"""Withdrawing a claim: a confirmation page like Django's delete confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from .. import display, services
from ..exceptions import InkassoError
from ..forms import WithdrawForm
from ..imports import debtor_name
from ..models import Claim
from .common import can_hand_over


class WithdrawMixin:
    """The claim admin's page ``<id>/withdraw/``: summary, reason, cancel."""

    withdraw_template = None

    def get_withdraw_urls(self):
        return [
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="inkasso_claim_withdraw",
            ),
        ]

    def get_withdraw_template(self):
        opts = self.model._meta
        return self.withdraw_template or [
            f"admin/{opts.app_label}/{opts.model_name}/withdraw.html",
            f"admin/{opts.app_label}/withdraw.html",
            "admin/inkasso/claim/withdraw.html",
        ]

    def withdraw_view(self, request, object_id):
        if not can_hand_over(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        claim = self.get_object_or_404(request, object_id)
        change_url = reverse(
            "admin:inkasso_claim_change",
            args=[claim.pk],
            current_app=self.admin_site.name,
        )
        if claim.state != Claim.State.OPEN:
            self.message_user(
                request,
                gettext("The claim %(claim)s is already withdrawn.") % {"claim": claim},
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.withdraw_claim(
                    claim=claim, user=request.user, reason=form.cleaned_data["reason"]
                )
            except InkassoError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, withdrawn_message(claim), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Withdraw claim %(claim)s?") % {"claim": claim},
            "subtitle": None,
            "opts": self.model._meta,
            "original": claim,
            "form": form,
            "change_url": change_url,
            "summary": withdrawal_summary(claim),
        }
        return TemplateResponse(request, self.get_withdraw_template(), context)


def withdrawal_summary(claim: Claim) -> list[tuple[str, str]]:
    """The claim as the withdrawal page shows it: label and value."""
    return [
        (gettext("Invoice number"), claim.invoice_number),
        (gettext("Debtor"), debtor_name(claim) or display.NO_VALUE),
        (gettext("Amount"), display.money(claim.amount)),
        (gettext("Still open"), display.money(services.remaining_amount(claim))),
        (gettext("Handed over on"), display.day(claim.handover.created_at)),
        (
            gettext("mediafinanz file number"),
            claim.file_number or gettext("not recorded yet"),
        ),
    ]


def withdrawn_message(claim: Claim) -> str:
    """What a clerk is told once the claim is withdrawn."""
    return gettext(
        "The claim %(claim)s was withdrawn. Tell mediafinanz as well. The order "
        "is not handed over again unless you select it yourself."
    ) % {"claim": claim}
