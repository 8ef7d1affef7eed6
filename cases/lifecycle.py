"""Procedures, their families and stages, and the 案号 type codes.

Every procedure belongs to a family; each family has its own path through the stages of
``Case.stage`` (see the Case class docstring for the state machine).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nodes.vocab import Procedure


class Family(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("Civil and administrative first instance")
    CRIMINAL = "criminal", _("Criminal first instance")
    SECOND_INSTANCE = "second_instance", _("Second instance")
    REVIEW = "review", _("Retrial review and enforcement objections")
    ENFORCEMENT = "enforcement", _("Enforcement")
    MEDIATION = "mediation", _("Pre-litigation mediation")
    PRESERVATION = "preservation", _("Preservation")


PROCEDURE_FAMILY: dict[str, str] = {
    Procedure.CIVIL_ORDINARY: Family.FIRST_INSTANCE,
    Procedure.CIVIL_SIMPLE: Family.FIRST_INSTANCE,
    Procedure.CIVIL_SMALL_CLAIMS: Family.FIRST_INSTANCE,
    Procedure.ADMIN_ORDINARY: Family.FIRST_INSTANCE,
    Procedure.ADMIN_SIMPLE: Family.FIRST_INSTANCE,
    Procedure.CRIMINAL_ORDINARY: Family.CRIMINAL,
    Procedure.CRIMINAL_SUMMARY: Family.CRIMINAL,
    Procedure.CRIMINAL_FAST: Family.CRIMINAL,
    Procedure.CRIMINAL_PRIVATE: Family.CRIMINAL,
    Procedure.CIVIL_SECOND: Family.SECOND_INSTANCE,
    Procedure.CRIMINAL_SECOND: Family.SECOND_INSTANCE,
    Procedure.ADMIN_SECOND: Family.SECOND_INSTANCE,
    Procedure.CIVIL_RETRIAL_REVIEW: Family.REVIEW,
    Procedure.ADMIN_RETRIAL_REVIEW: Family.REVIEW,
    Procedure.CRIMINAL_PETITION: Family.REVIEW,
    Procedure.ENFORCEMENT_OBJECTION: Family.REVIEW,
    Procedure.ENFORCEMENT: Family.ENFORCEMENT,
    Procedure.PRE_LITIGATION: Family.MEDIATION,
    Procedure.PRESERVATION: Family.PRESERVATION,
}

# 案号 type codes (最高人民法院关于人民法院案件案号的若干规定, 2015; 案件类型代字标准).
PROCEDURE_TYPE_CODE: dict[str, str] = {
    Procedure.CIVIL_ORDINARY: "民初",
    Procedure.CIVIL_SIMPLE: "民初",
    Procedure.CIVIL_SMALL_CLAIMS: "民初",
    Procedure.ADMIN_ORDINARY: "行初",
    Procedure.ADMIN_SIMPLE: "行初",
    Procedure.CRIMINAL_ORDINARY: "刑初",
    Procedure.CRIMINAL_SUMMARY: "刑初",
    Procedure.CRIMINAL_FAST: "刑初",
    Procedure.CRIMINAL_PRIVATE: "刑初",
    Procedure.CIVIL_SECOND: "民终",
    Procedure.CRIMINAL_SECOND: "刑终",
    Procedure.ADMIN_SECOND: "行终",
    Procedure.CIVIL_RETRIAL_REVIEW: "民申",
    Procedure.ADMIN_RETRIAL_REVIEW: "行申",
    Procedure.CRIMINAL_PETITION: "刑申",
    Procedure.ENFORCEMENT: "执",
    Procedure.ENFORCEMENT_OBJECTION: "执异",
    Procedure.PRE_LITIGATION: "民诉前调",
    Procedure.PRESERVATION: "财保",
}

# The division kind a procedure's cases belong to.
PROCEDURE_DIVISION_KIND: dict[str, tuple[str, ...]] = {
    Family.FIRST_INSTANCE: ("civil", "speedy", "administrative"),
    Family.CRIMINAL: ("criminal", "speedy"),
    Family.SECOND_INSTANCE: ("civil", "criminal", "administrative"),
    Family.REVIEW: ("civil", "administrative", "criminal", "enforcement"),
    Family.ENFORCEMENT: ("enforcement",),
    Family.MEDIATION: ("mediation", "filing"),
    Family.PRESERVATION: ("civil", "filing", "enforcement"),
}

# Conversions a case may go through (简转普 and the criminal track changes). Civil and
# administrative: the 审限 keeps running from filing (民诉法解释 art 258; 行诉法解释 art 105).
# Criminal: it restarts from the conversion decision (刑诉法解释 arts 368, 376).
CONVERSIONS: dict[str, tuple[str, ...]] = {
    Procedure.CIVIL_SIMPLE: (Procedure.CIVIL_ORDINARY,),
    Procedure.CIVIL_SMALL_CLAIMS: (Procedure.CIVIL_SIMPLE, Procedure.CIVIL_ORDINARY),
    Procedure.ADMIN_SIMPLE: (Procedure.ADMIN_ORDINARY,),
    Procedure.CRIMINAL_FAST: (Procedure.CRIMINAL_SUMMARY, Procedure.CRIMINAL_ORDINARY),
    Procedure.CRIMINAL_SUMMARY: (Procedure.CRIMINAL_ORDINARY,),
}


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received, not yet docketed")
    FILED = "filed", _("Filed")
    PRETRIAL = "pretrial", _("Service and pre-trial preparation")
    TRIAL = "trial", _("Heard")
    JUDGMENT = "judgment", _("Judgment pronounced")
    REVIEW = "review", _("Under review")
    RULED = "ruled", _("Ruled")
    INVESTIGATING = "investigating", _("Asset investigation")
    DISPOSING = "disposing", _("Disposal of assets")
    REFERRED = "referred", _("Referred for mediation")
    MEDIATING = "mediating", _("Mediation under way")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    EFFECTIVE = "effective", _("Judgment effective")
    APPEALED = "appealed", _("Appeal sent up")
    HANDED_OVER = "handed_over", _("Sentence handed over")
    ARCHIVED = "archived", _("Archived")


ACTIVE_STAGES = (
    Stage.RECEIVED,
    Stage.FILED,
    Stage.PRETRIAL,
    Stage.TRIAL,
    Stage.JUDGMENT,
    Stage.REVIEW,
    Stage.RULED,
    Stage.INVESTIGATING,
    Stage.DISPOSING,
    Stage.REFERRED,
    Stage.MEDIATING,
    Stage.SUSPENDED,
)


class Complexity(models.TextChoices):
    UNDECIDED = "", _("Not triaged")
    SIMPLE = "simple", _("Simple (简)")
    COMPLEX = "complex", _("Complex (繁)")


class ClosureType(models.TextChoices):
    JUDGMENT = "judgment", _("Judgment")
    RULING = "ruling", _("Ruling")
    MEDIATION = "mediation", _("Mediation document")
    WITHDRAWAL = "withdrawal", _("Withdrawn")
    DEEMED_WITHDRAWN = "deemed_withdrawn", _("Deemed withdrawn (fee unpaid)")
    TRANSFER = "transfer", _("Transferred")
    REMAND = "remand", _("Remanded for retrial")
    RETRIAL_GRANTED = "retrial_granted", _("Retrial granted")
    DISMISSED = "dismissed", _("Application dismissed")
    ENFORCEMENT_COMPLETED = "enforcement_completed", _("Enforcement completed")
    ROUND_TERMINATED = "round_terminated", _("This round of enforcement terminated (终本)")
    ENFORCEMENT_TERMINATED = "enforcement_terminated", _("Enforcement terminated")
    SETTLED = "settled", _("Settled in mediation")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed; filed as a case")
    PRESERVATION_DONE = "preservation_done", _("Preservation concluded")


class SupervisionCategory(models.IntegerChoices):
    """四类案件 (法发〔2021〕30号 art 2)."""

    NONE = 0, _("Not a supervised case")
    MAJOR = 1, _("Major, difficult, complex or sensitive")
    GROUP = 2, _("Group disputes or wide public attention")
    CONFLICT = 3, _("May conflict with similar rulings")
    MISCONDUCT = 4, _("Reported judicial misconduct")
