"""The shift handover (交班记录): the outgoing member of staff lists what they hand over (the
cash float, the archive cabinet keys, the permit card stock, other things) and the matters
pending; on submitting, the system adds what is open in the other apps, as it stood then;
the incoming member of staff acknowledges each line or disputes it with a note."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from attendance.models.staff import Shift, Staff
from config.people import person_column
from config.states import StateChoices


class HandoverState(StateChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Handed over, awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPUTED = "disputed", _("Acknowledged with disputes")


# The outgoing person drafts and submits; the incoming person answers every line, and the
# handover ends acknowledged, or disputed when any line was disputed.
HandoverState.describe(
    {
        "draft": ("secondary", "草稿", {"submitted"}),
        "submitted": ("warning", "待接班确认", {"acknowledged", "disputed"}),
        "acknowledged": ("success", "已确认", set()),
        "disputed": ("danger", "有异议", set()),
    }
)


class ItemKind(models.TextChoices):
    CASH_FLOAT = "cash_float", _("cash float")
    CABINET_KEYS = "cabinet_keys", _("archive cabinet keys")
    PERMIT_CARDS = "permit_cards", _("permit card stock")
    OTHER = "other", _("other item")
    MATTER = "matter", _("pending matter")
    OPEN_WORK = "open_work", _("open work (from the system)")


# The kinds counted in pieces or money the outgoing person enters.
COUNTED_KINDS = (ItemKind.CASH_FLOAT, ItemKind.CABINET_KEYS, ItemKind.PERMIT_CARDS, ItemKind.OTHER)


class ItemAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPUTED = "disputed", _("Disputed")


class ShiftHandover(models.Model):
    date = models.DateField(_("date"))
    shift = models.ForeignKey(
        Shift, models.PROTECT, related_name="handovers", verbose_name=_("shift")
    )
    outgoing = models.ForeignKey(
        Staff, models.PROTECT, related_name="handovers_given", verbose_name=_("outgoing")
    )
    incoming = models.ForeignKey(
        Staff, models.PROTECT, related_name="handovers_received", verbose_name=_("incoming")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=HandoverState.choices, default=HandoverState.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = person_column(_("created by"))
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    # When the last line was answered.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outgoing=F("incoming")), name="handover_between_two_people"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="handover_submitted_when",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="handover_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.shift.name} {self.outgoing.name} → {self.incoming.name}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:handover_detail", args=[self.pk])

    @property
    def state_enum(self) -> HandoverState:
        return HandoverState(self.state)


class HandoverItem(models.Model):
    """One line to acknowledge: a thing handed over with its count (or the float's amount),
    a pending matter, or a figure of open work the system took when the handover was
    submitted (``code`` names the figure; ``detail`` lists what it counted)."""

    handover = models.ForeignKey(
        ShiftHandover, models.PROTECT, related_name="items", verbose_name=_("shift handover")
    )
    position = models.PositiveSmallIntegerField(_("line number"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    code = models.CharField(_("figure"), max_length=40, blank=True)
    label = models.CharField(_("item"), max_length=200)
    quantity = models.DecimalField(
        _("count"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    detail = models.TextField(_("detail"), blank=True)
    answer = models.CharField(
        _("answer"), max_length=20, choices=ItemAnswer.choices, default=ItemAnswer.PENDING
    )
    answer_note = models.TextField(_("note of the incoming"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "position"], name="handover_item_place"),
            models.CheckConstraint(
                condition=~Q(answer="disputed") | ~Q(answer_note=""),
                name="handover_dispute_explained",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="handover_item_count_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.label
