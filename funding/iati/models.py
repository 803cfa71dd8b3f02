"""What IATI activity files state beside a project: money as stated (transactions, budgets), the
rates an operator loads to convert it, the DAC sector -> topic mapping and the imported files.

Re-exported by funding/models.py; models refer to one another by name to keep the import one way.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower, Substr, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.languages import TranslatedTextsModel
from dialogues_portal.models import KEPT_FOR, ImportStage

AMOUNT = {"max_digits": 16, "decimal_places": 2}


def _characters_between(field, length, low, high):
    return Q(Exact(Length(field), length)) & Q(
        *(GreaterThanOrEqual(Substr(field, i, 1), low) for i in range(1, length + 1)),
        *(LessThanOrEqual(Substr(field, i, 1), high) for i in range(1, length + 1)),
    )


def currency_constraint(model_label, field="currency"):
    """An ISO 4217 code: three capital letters."""
    return models.CheckConstraint(
        condition=Q(**{field: Upper(field)}) & _characters_between(field, 3, "A", "Z"),
        name=f"{model_label}_{field}_three_capitals",
    )


def dac_code_constraint(model_label, field="code"):
    """A DAC 5-digit purpose code."""
    return models.CheckConstraint(condition=_characters_between(field, 5, "0", "9"), name=f"{model_label}_{field}_dac5")


def percentage_constraint(model_label):
    return models.CheckConstraint(
        condition=Q(percentage__gte=0, percentage__lte=100), name=f"{model_label}_percentage_0_to_100"
    )


def currency_field():
    return models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217, e.g. EUR."))


class IatiFile(models.Model):
    """An imported IATI activity file, named in the history of the projects it wrote."""

    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    activity_count = models.PositiveIntegerField(_("activities in the file"))
    source = models.ForeignKey(
        "dialogues.Source", verbose_name=_("source"), related_name="iati_files", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("imported IATI file")
        verbose_name_plural = _("imported IATI files")
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(Exact(Length("sha256"), 64)) & Q(sha256=Lower("sha256")),
                name="iatifile_sha256_hex_length",
            ),
        ]

    def __str__(self):
        return self.name


class SectorTopic(TranslatedTextsModel):
    """Which portal topic a DAC 5-digit sector code stands for; editors change it in the admin.
    The DAC name is kept in English and Russian (funding/translation.py)."""

    code = models.CharField(_("DAC 5-digit code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=200)
    topic = models.ForeignKey(
        "dialogues.Topic",
        verbose_name=_("topic"),
        related_name="sector_codes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Blank when no topic plainly is this sector."),
    )
    withdrawn = models.BooleanField(
        _("withdrawn from the DAC list"),
        default=False,
        help_text=_("A withdrawn code is kept as stated, mapped to no topic."),
    )

    class Meta:
        verbose_name = _("sector to topic mapping")
        verbose_name_plural = _("sector to topic mappings")
        ordering = ["code"]
        constraints = [dac_code_constraint("sectortopic")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def maps(self):
        """Whether the code maps to a topic (a withdrawn code maps to none)."""
        return self.topic_id is not None and not self.withdrawn


class ProjectSector(models.Model):
    """A DAC 5-digit sector an IATI activity states, with its share."""

    project = models.ForeignKey("funding.Project", related_name="sectors", on_delete=models.CASCADE)
    code = models.CharField(_("DAC 5-digit code"), max_length=5)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["project", "code"]
        constraints = [
            dac_code_constraint("projectsector"),
            percentage_constraint("projectsector"),
            models.UniqueConstraint(fields=["project", "code"], name="projectsector_once_per_project"),
        ]
        indexes = [models.Index(fields=["code"], name="projectsector_code")]

    def __str__(self):
        return self.code


class ProjectCountryShare(models.Model):
    """A recipient country with its percentage, as stated; `Project.countries` holds the portal's
    countries among them, for everything that reads countries."""

    project = models.ForeignKey("funding.Project", related_name="country_shares", on_delete=models.CASCADE)
    country_code = models.CharField(_("ISO 3166-1 code"), max_length=2)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        ordering = ["project", "country_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country_code=Upper("country_code")) & _characters_between("country_code", 2, "A", "Z"),
                name="projectcountryshare_code_two_capitals",
            ),
            percentage_constraint("projectcountryshare"),
            models.UniqueConstraint(fields=["project", "country_code"], name="projectcountryshare_once_per_project"),
        ]

    def __str__(self):
        return self.country_code if self.percentage is None else f"{self.country_code} {self.percentage}%"


class TransactionType(models.IntegerChoices):
    COMMITMENT = 2, _("commitment")
    DISBURSEMENT = 3, _("disbursement")
    EXPENDITURE = 4, _("expenditure")


class IatiTransaction(models.Model):
    """A commitment, disbursement or expenditure, in the currency the file states."""

    project = models.ForeignKey("funding.Project", related_name="transactions", on_delete=models.CASCADE)
    transaction_type = models.PositiveSmallIntegerField(_("type"), choices=TransactionType.choices)
    value = models.DecimalField(_("value"), **AMOUNT, help_text=_("Negative for a reduction, as stated."))
    currency = currency_field()
    value_date = models.DateField(_("value date"), help_text=_("The date for converting the value."))
    transaction_date = models.DateField(_("transaction date"))

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["project", "transaction_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transaction_type__in=TransactionType.values), name="iatitransaction_type_valid"
            ),
            currency_constraint("iatitransaction"),
        ]

    def __str__(self):
        return f"{self.get_transaction_type_display()} {self.value} {self.currency}"


class BudgetType(models.IntegerChoices):
    ORIGINAL = 1, _("original")
    REVISED = 2, _("revised")


class BudgetStatus(models.IntegerChoices):
    INDICATIVE = 1, _("indicative")
    COMMITTED = 2, _("committed")


class IatiBudget(models.Model):
    """A budget for one period, original or revised, in the currency the file states."""

    project = models.ForeignKey("funding.Project", related_name="budgets", on_delete=models.CASCADE)
    budget_type = models.PositiveSmallIntegerField(_("type"), choices=BudgetType.choices, default=BudgetType.ORIGINAL)
    status = models.PositiveSmallIntegerField(_("status"), choices=BudgetStatus.choices, null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), **AMOUNT)
    currency = currency_field()
    value_date = models.DateField(_("value date"))

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["project", "period_start", "budget_type", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_type__in=BudgetType.values), name="iatibudget_type_valid"),
            models.CheckConstraint(condition=Q(status__in=BudgetStatus.values), name="iatibudget_status_valid"),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="iatibudget_end_after_start"),
            currency_constraint("iatibudget"),
        ]

    def __str__(self):
        return f"{self.period_start}-{self.period_end}: {self.value} {self.currency}"


class ExchangeRate(models.Model):
    """EUR for one unit of a currency on a day or over a period, as its source gives it. Without a
    rate an amount stays in its currency, out of the EUR totals."""

    currency = currency_field()
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), help_text=_("The same day for a daily rate."))
    eur_per_unit = models.DecimalField(_("EUR per unit"), max_digits=18, decimal_places=10)
    source = models.CharField(_("source"), max_length=300, help_text=_("Who publishes the rate, and where."))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            currency_constraint("exchangerate"),
            models.CheckConstraint(condition=~Q(currency="EUR"), name="exchangerate_not_eur"),
            models.CheckConstraint(condition=Q(eur_per_unit__gt=0), name="exchangerate_rate_positive"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="exchangerate_until_after_from"),
            models.UniqueConstraint(fields=["currency", "valid_from"], name="exchangerate_one_per_start"),
        ]

    def __str__(self):
        return f"{self.currency} {self.valid_from}-{self.valid_until}: {self.eur_per_unit} EUR"


class IatiUpload(models.Model):
    """An IATI file uploaded in the admin, from its check (a dry run) to its import, both run by the
    task worker (funding/iati/background.py): an EU file of thousands of activities outlasts a
    request. Only its uploader sees it; the file is deleted once imported, the row after a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.BinaryField()
    file_name = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    publish = models.BooleanField(default=False, help_text="publish the projects (a Publisher's choice)")
    countries = models.JSONField(default=list, blank=True, help_text="ISO codes; empty: the portal's countries")
    sectors = models.JSONField(default=list, blank=True, help_text="DAC codes; empty: any")
    language = models.CharField(max_length=10, blank=True, default="", help_text="the editor's, for the messages")
    stage = models.CharField(max_length=20, choices=ImportStage.choices, default=ImportStage.CHECK_WAITING)
    activities_done = models.PositiveIntegerField(default=0, help_text="written on PostgreSQL while a stage runs")
    summary = models.JSONField(default=dict, blank=True, help_text="the check's or the import's ImportSummary")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()  # no one edits these: the admin's upload page writes them
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=ImportStage.values), name="iatiupload_stage_valid"),
        ]

    def __str__(self):
        return self.file_name

    @classmethod
    def forget_old(cls):
        """Delete the uploads older than KEPT_FOR, whatever became of them."""
        cls.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
