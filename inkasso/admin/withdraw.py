"""Withdrawing a claim: a confirmation page like Django's delete confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from .. import services
from ..exceptions import InkassoError
from ..forms import WithdrawForm
from ..models import Claim
from ..withdrawal import withdrawal_summary, withdrawn_message
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
