"""Loading the node catalog file as a new version, and a court's adjustments of nodes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtflow.audit import audit_record
from courtflow.errors import InvalidInput, NotAllowed, NotVisible
from nodes.catalog_file import CatalogFileError, digest, parse_catalog
from nodes.models import CatalogVersion, NodeDefinition, NodeSetting
from nodes.vocab import Level
from teams.models import Court


def _require_catalog_manager(actor: Any, court: Court | None = None) -> None:
    if actor is None or actor.is_superuser:
        return
    person = getattr(actor, "person", None)
    if actor.has_perm("nodes.manage_catalog") and (
        court is None or (person and person.court_id == court.pk)
    ):
        return
    raise NotAllowed(_("Only trial managers may change the node catalog."))


@transaction.atomic
def catalog_load(*, actor: Any, data: bytes, source_name: str) -> tuple[CatalogVersion, bool]:
    """Load a catalog file. The same bytes as the current version change nothing; new bytes
    become a new current version; a file with any error is refused whole and the current
    version stays. Returns (version, created)."""
    _require_catalog_manager(actor)
    try:
        specs = parse_catalog(data)
    except CatalogFileError as exc:
        raise InvalidInput(
            _("The catalog file was refused: %(errors)s")
            % {
                "errors": "; ".join(f"{source_name}:{line}: {msg}" for line, msg in exc.errors[:10])
            },
            field="file",
            code="bad_catalog_file",
            detail={"errors": [{"line": line, "message": msg} for line, msg in exc.errors[:100]]},
        ) from exc
    fingerprint = digest(data)
    current = CatalogVersion.objects.select_for_update().filter(is_current=True).first()
    if current is not None and current.digest == fingerprint:
        return current, False
    known = CatalogVersion.objects.filter(digest=fingerprint).first()
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    if known is not None:  # the file went back to an earlier version's bytes
        known.is_current = True
        known.save(update_fields=["is_current"])
        audit_record(
            actor=actor,
            action="catalog.reactivated",
            obj=known,
            before={"current": current.number if current else None},
            after={"current": known.number},
        )
        return known, False
    number = (CatalogVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    general = sum(1 for s in specs if s.level == Level.GENERAL)
    version = CatalogVersion.objects.create(
        number=number,
        digest=fingerprint,
        source_name=source_name[:200],
        loaded_at=timezone.now(),
        loaded_by=actor if getattr(actor, "pk", None) else None,
        node_count=len(specs),
        general_count=general,
        important_count=len(specs) - general,
        is_current=True,
    )
    NodeDefinition.objects.bulk_create(
        [
            NodeDefinition(
                version=version,
                code=s.code,
                line=s.line,
                name_zh=s.name_zh,
                name_en=s.name_en,
                phase=s.phase,
                procedures=list(s.procedures),
                level=s.level,
                opens_on=s.opens_on,
                closes_on=list(s.closes_on),
                condition=s.condition,
                amount=s.amount,
                unit=s.unit,
                counting=s.counting,
                prompt_lead_hours=s.prompt_lead_hours,
                warning_lead_hours=s.warning_lead_hours,
                owner_role=s.owner_role,
                gates=s.gates,
                on_trial_clock=s.on_trial_clock,
                party_side=s.party_side,
                basis_zh=s.basis_zh,
                basis_en=s.basis_en,
                basis_status=s.basis_status,
                note=s.note,
            )
            for s in specs
        ],
        batch_size=500,
    )
    audit_record(
        actor=actor,
        action="catalog.loaded",
        obj=version,
        before={"current": current.number if current else None},
        after={
            "version": number,
            "nodes": len(specs),
            "general": general,
            "important": len(specs) - general,
            "digest": fingerprint,
            "file": source_name[:100],
        },
    )
    return version, True


@transaction.atomic
def node_setting_set(
    *,
    actor: Any,
    court: Court,
    code: str,
    enabled: bool = True,
    prompt_lead_hours: int | None = None,
    warning_lead_hours: int | None = None,
    reason: str = "",
) -> NodeSetting:
    """Switch a node off for the court or give it other prompt and warning lead times.
    The legal period and basis stay as the catalog says."""
    _require_catalog_manager(actor, court)
    node = (
        NodeDefinition.objects.filter(code=code, version__is_current=True).first()
        or NodeDefinition.objects.filter(code=code).order_by("-version__number").first()
    )
    if node is None:
        raise NotVisible(_("There is no node with code %(code)s.") % {"code": code}, field="code")
    prompt = node.prompt_lead_hours if prompt_lead_hours is None else prompt_lead_hours
    warning = node.warning_lead_hours if warning_lead_hours is None else warning_lead_hours
    for value, field in (
        (prompt_lead_hours, "prompt_lead_hours"),
        (warning_lead_hours, "warning_lead_hours"),
    ):
        if value is not None and not 0 <= value <= 24 * 366:
            raise InvalidInput(_("A lead time is between 0 hours and one year."), field=field)
    if warning > prompt:
        raise InvalidInput(
            _("The warning must come after the prompt: its lead time cannot be longer."),
            field="warning_lead_hours",
        )
    if not enabled and node.level == Level.IMPORTANT and not reason.strip():
        raise InvalidInput(_("Switching off an important node needs a reason."), field="reason")
    setting = NodeSetting.objects.select_for_update().filter(court=court, code=code).first()
    before = (
        {
            "enabled": setting.enabled,
            "prompt_lead_hours": setting.prompt_lead_hours,
            "warning_lead_hours": setting.warning_lead_hours,
        }
        if setting
        else None
    )
    if setting is None:
        setting = NodeSetting(court=court, code=code)
    setting.enabled = enabled
    setting.prompt_lead_hours = prompt_lead_hours
    setting.warning_lead_hours = warning_lead_hours
    setting.save()
    audit_record(
        actor=actor,
        action="node_setting.changed",
        obj=setting,
        court_id=court.pk,
        before=before,
        after={
            "enabled": enabled,
            "prompt_lead_hours": prompt_lead_hours,
            "warning_lead_hours": warning_lead_hours,
        },
        reason=reason,
    )
    return setting
