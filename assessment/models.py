"""Assessment settings: weights that turn closed cases into workload (丰台 method)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nodes.vocab import Procedure


class WorkloadWeight(models.Model):
    """How much one closed case counts, relative to an ordinary case (1), for a procedure
    and/or a complexity. The most specific weight applies: procedure and complexity, then
    procedure, then complexity; a case no weight matches counts 1."""

    class Complexity(models.TextChoices):
        ANY = "", _("Any")
        SIMPLE = "simple", _("Simple (简)")
        COMPLEX = "complex", _("Complex (繁)")

    court = models.ForeignKey(
        "teams.Court",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="workload_weights",
    )
    procedure = models.CharField(
        _("procedure"), max_length=32, choices=Procedure.choices, blank=True, default=""
    )
    complexity = models.CharField(
        _("complexity"), max_length=8, choices=Complexity.choices, blank=True, default=""
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        help_text=_(
            "An ordinary case counts 1. 丰台 (case 155): simple cases tried in front-end "
            "divisions count 0.25–0.3 of an ordinary case."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("workload weight")
        verbose_name_plural = _("workload weights")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "procedure", "complexity"], name="workload_weight_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=Decimal("9.99")),
                name="workload_weight_range",
            ),
        ]
        permissions = [("manage_workload_weights", _("Can change workload weights"))]

    def __str__(self) -> str:
        return f"{self.get_procedure_display() or '*'} / {self.get_complexity_display()}: {self.weight}"


DEFAULT_WEIGHTS = [
    # (procedure, complexity, weight, note)
    ("", "simple", Decimal("0.30"), "丰台: front-end simple cases count 0.25–0.3"),
]
