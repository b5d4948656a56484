from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Salutation(models.TextChoices):
    HERR = "herr", _("Mr")
    FRAU = "frau", _("Ms")
    NONE = "", _("diverse / none")


class Customer(models.Model):
    salutation = models.CharField(
        _("salutation"), max_length=10, choices=Salutation.choices, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}".strip()
        if self.company:
            return f"{self.company} ({name})" if name else self.company
        return name or f"#{self.pk}"


class PaymentMethod(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PREPAYMENT = "prepayment", _("Prepayment")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")
    PAYPAL = "paypal", _("PayPal")
    CREDIT_CARD = "credit_card", _("Credit card")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")
    COLLECTION = "collection", _("Debt collection in progress")


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    order_date = models.DateField(_("order date"))
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    delivered_date = models.DateField(
        _("delivered on"),
        null=True,
        blank=True,
        help_text=_("Date the goods were delivered or the service was rendered."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$")],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.OPEN,
        db_index=True,
    )
    # The billing address as it was printed on the invoice: customers move,
    # but a claim needs the address the invoice went to.
    billing_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    billing_last_name = models.CharField(_("last name"), max_length=100, blank=True)
    billing_company = models.CharField(_("company"), max_length=200, blank=True)
    billing_street = models.CharField(
        _("street and house number"), max_length=200, blank=True
    )
    billing_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    billing_city = models.CharField(_("city"), max_length=100, blank=True)
    billing_country = models.CharField(
        _("country"),
        max_length=2,
        default="DE",
        help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-order_date", "-id"]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product_name = models.CharField(_("product"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(
        _("unit price (gross)"), max_digits=12, decimal_places=2
    )
    is_service = models.BooleanField(_("service"), default=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"

    @property
    def total(self):
        return self.quantity * self.unit_price


class Payment(models.Model):
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("order"),
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Negative for a refund."),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]

    def __str__(self):
        return f"{self.amount} ({self.received_on:%d.%m.%Y})"
