"""The departments that work cases (工程部, 保安部, 保洁部 ...), kept by the manager."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    """A department of the street's management; its members (users of the department role)
    see and work the cases assigned to it."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="case_departments",
        verbose_name=_("members"),
    )
    # The department's extension at the street's office (内线), not a person's number.
    extension = models.CharField(_("internal extension"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="department_named")]

    def __str__(self) -> str:
        return self.name
