"""The ledger in Oscar's dashboard: handovers, claims, file numbers, payments.

The pages only read and call ``inkasso.services``; the forms are the admin's,
so every rule and every refusal is the same in both places.
"""

from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from inkasso import display, imports, selectors, services
from inkasso.exceptions import InkassoError
from inkasso.forms import ClaimFileNumberForm, DirectPaymentForm, WithdrawForm
from inkasso.models import Claim, DirectPayment, Handover
from inkasso.withdrawal import withdrawal_summary, withdrawn_message

from .views import InkassoDashboardMixin

TEMPLATES = "inkasso_oscar/dashboard/"


class PagedMixin:
    """Pages as long as Oscar's own dashboard lists."""

    def get_paginate_by(self, queryset):
        return settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE


class HandoversView(InkassoDashboardMixin, PagedMixin, ListView):
    """Every handover: when, by whom, how many claims, the total, the file."""

    template_name = TEMPLATES + "handovers.html"
    context_object_name = "handovers"

    def get_queryset(self):
        return (
            Handover.objects.select_related("created_by")
            .annotate(total=Sum("claims__amount"))
            .order_by("-created_at", "-id")
        )


class ClaimSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Order, invoice number or debtor"), required=False
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("All")), *Claim.State.choices],
        required=False,
    )
    without_file_number = forms.BooleanField(
        label=gettext_lazy("Without file number"), required=False
    )
    changed = forms.BooleanField(
        label=gettext_lazy("Changed since the handover: tell mediafinanz"),
        required=False,
    )

    def filter(self, claims):
        """Return the claims the clerk searched for."""
        if not self.is_valid():
            return claims
        text = self.cleaned_data["q"].strip()
        if text:
            # The debtor's name is in the line as handed over.
            claims = claims.filter(
                Q(order__number__icontains=text)
                | Q(invoice_number__icontains=text)
                | Q(file_number__icontains=text)
                | Q(line__icontains=text)
            )
        if self.cleaned_data["state"]:
            claims = claims.filter(state=self.cleaned_data["state"])
        if self.cleaned_data["without_file_number"]:
            claims = claims.filter(file_number="")
        if self.cleaned_data["changed"]:
            claims = claims.filter(pk__in=selectors.changed_claims().values("pk"))
        return claims


class ClaimsView(InkassoDashboardMixin, PagedMixin, ListView):
    """The claims with mediafinanz, newest handover first; search and filters."""

    template_name = TEMPLATES + "claims.html"
    context_object_name = "claims"

    @cached_property
    def form(self):
        return ClaimSearchForm(self.request.GET or None)

    def get_queryset(self):
        claims = Claim.objects.select_related("order", "handover").order_by(
            "-handover__created_at", "-handover_id", "row_number"
        )
        return self.form.filter(claims)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        claims = context["claims"]
        changed = set(
            selectors.changed_claims()
            .filter(pk__in=[claim.pk for claim in claims])
            .values_list("pk", flat=True)
        )
        for claim in claims:
            claim.debtor = imports.debtor_name(claim) or display.NO_VALUE
            claim.changed = claim.pk in changed
        return context


class ClaimMixin(InkassoDashboardMixin):
    """A page of one claim, ``<pk>`` in the URL."""

    @cached_property
    def claim(self):
        return get_object_or_404(
            Claim.objects.select_related("order", "handover"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim, **kwargs)

    def back(self):
        return redirect("inkasso_oscar:claim", pk=self.claim.pk)


class ClaimView(ClaimMixin, TemplateView):
    """A claim: what was handed over, its file number, payments and actions."""

    template_name = TEMPLATES + "claim.html"

    def get_context_data(self, **kwargs):
        claim = self.claim
        payments = claim.direct_payments.select_related("recorded_by", "reported_by")
        return super().get_context_data(
            debtor=imports.debtor_name(claim) or display.NO_VALUE,
            remaining=services.remaining_amount(claim),
            file_number_recorded=display.recorded(
                claim.file_number_recorded_at, claim.file_number_recorded_by
            )
            if claim.file_number_recorded_at
            else None,
            payments=[
                (
                    payment,
                    display.recorded(payment.recorded_at, payment.recorded_by),
                    display.recorded(payment.reported_at, payment.reported_by)
                    if payment.reported_at
                    else None,
                )
                for payment in payments
            ],
            is_open=claim.state == Claim.State.OPEN,
            **kwargs,
        )


class ClaimFormView(ClaimMixin, FormView):
    """A form on one claim; what it asks for is recorded by a service."""

    template_name = TEMPLATES + "claim_form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def refused(self, form, error: InkassoError):
        """Show the service's reason and the form again, as it was filled in."""
        messages.error(self.request, str(error))
        return self.form_invalid(form)


class ClaimFileNumberView(ClaimFormView):
    """Record the file number mediafinanz reported for this claim."""

    form_class = ClaimFileNumberForm
    title = gettext_lazy("Record the file number")

    def get_form_kwargs(self):
        # A copy: the form writes the typed number into its instance.
        claim = Claim.objects.get(pk=self.claim.pk)
        return {**super().get_form_kwargs(), "instance": claim}

    def form_valid(self, form):
        if "file_number" not in form.changed_data:
            messages.info(self.request, _("The file number was not changed."))
            return self.back()
        try:
            claim = services.record_file_number(
                claim=self.claim,
                file_number=form.cleaned_data["file_number"],
                user=self.request.user,
            )
        except InkassoError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("The file number %(file_number)s was recorded on claim %(claim)s.")
            % {"file_number": claim.file_number, "claim": claim},
        )
        return self.back()


class ClaimPaymentView(ClaimFormView):
    """Record a payment the debtor made to the shop directly."""

    title = gettext_lazy("Record a payment received directly")

    def get_form_class(self):
        # Its labels and its warning name the amount still open.
        return DirectPaymentForm.for_claim(self.claim)

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": DirectPayment(claim=self.claim),
        }

    def form_valid(self, form):
        try:
            payment = services.record_direct_payment(
                claim=self.claim,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                above_remaining=form.cleaned_data.get("above_remaining", False),
                user=self.request.user,
            )
        except InkassoError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _(
                "The payment of %(amount)s on claim %(claim)s was recorded. "
                "Report it to mediafinanz."
            )
            % {"amount": display.money(payment.amount), "claim": self.claim},
        )
        return self.back()


class ClaimWithdrawView(ClaimFormView):
    """Take a claim back from mediafinanz, with a reason: summary, reason, cancel."""

    form_class = WithdrawForm
    template_name = TEMPLATES + "withdraw.html"

    def get(self, request, *args, **kwargs):
        if self.claim.state != Claim.State.OPEN:
            messages.warning(
                request,
                _("The claim %(claim)s is already withdrawn.") % {"claim": self.claim},
            )
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=withdrawal_summary(self.claim), **kwargs
        )

    def form_valid(self, form):
        try:
            services.withdraw_claim(
                claim=self.claim,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except InkassoError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, withdrawn_message(self.claim))
        return self.back()
