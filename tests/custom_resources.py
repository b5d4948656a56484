"""Resources a host shop might name in ``INKASSO_RESOURCE``, for the tests."""

from import_export.fields import Field

from inkasso.resources import MediafinanzResource, TextWidget


class DehydrateFirmaResource(MediafinanzResource):
    """Customises the Firma column with a ``dehydrate_<field>`` method."""

    def dehydrate_firma(self, row):
        return "=ACME GmbH"


class DehydrateMethodResource(MediafinanzResource):
    """Customises the Firma column with ``Field(dehydrate_method=...)``."""

    firma = Field(
        attribute="company",
        column_name="Firma",
        widget=TextWidget(),
        dehydrate_method="company_from_claim_data",
    )

    def company_from_claim_data(self, row):
        # A hook may read the host's claim data, not only the typed columns.
        return f"@{row.data.company or 'ACME'}\u200b GmbH"


class CallableDehydrateResource(MediafinanzResource):
    """``dehydrate_method`` may also be a callable that takes the row."""

    firma = Field(
        attribute="company",
        column_name="Firma",
        widget=TextWidget(),
        dehydrate_method=lambda row: "\u202e-ACME GmbH",
    )


class PrefixedInvoiceNumberResource(MediafinanzResource):
    """A shop whose invoices carry a prefix in the file only."""

    def dehydrate_rechnungsnr(self, row):
        return f"SHOP-{row.invoice_number}"
