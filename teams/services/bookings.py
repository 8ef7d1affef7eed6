"""Courtrooms and bookings of rooms and pool clerks for hearings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtflow.audit import audit_record, snapshot
from courtflow.errors import Conflict, InvalidInput
from teams.models import Absence, Booking, Court, Courtroom, Person
from teams.permissions import require_court_perm
from teams.roles import Role

BOOKING_FIELDS = ("courtroom", "clerk", "starts_at", "ends_at", "purpose", "cancelled_at")
MAX_BOOKING = dt.timedelta(hours=12)


@transaction.atomic
def courtroom_create(
    *, actor: Any, court: Court, name: str, supports_streaming: bool = True
) -> Courtroom:
    """Add a courtroom to a court."""
    require_court_perm(actor, "teams.manage_court_teams", court)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A courtroom needs a name."), field="name")
    if Courtroom.objects.filter(court=court, name=name).exists():
        raise InvalidInput(
            _("This court already has a courtroom named %(name)s.") % {"name": name}, field="name"
        )
    room = Courtroom.objects.create(court=court, name=name, supports_streaming=supports_streaming)
    audit_record(
        actor=actor,
        action="courtroom.created",
        obj=room,
        after=snapshot(room, ["name", "supports_streaming"]),
    )
    return room


def _overlapping(qs, starts_at: dt.datetime, ends_at: dt.datetime):
    return qs.filter(cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at)


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    court: Court,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    courtroom: Courtroom | None = None,
    clerk: Person | None = None,
    purpose: str = "",
) -> Booking:
    """Book a room and/or a clerk for a time slot. Refuses a slot that overlaps another live
    booking of the same room or clerk. The room and clerk rows are locked first, so two
    bookings made at the same moment cannot both pass the overlap check."""
    if courtroom is None and clerk is None:
        raise InvalidInput(_("A booking holds a courtroom, a clerk or both."), field="courtroom")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Times must carry a time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("A booking must end after it starts."), field="ends_at")
    if ends_at - starts_at > MAX_BOOKING:
        raise InvalidInput(_("A booking cannot last longer than 12 hours."), field="ends_at")
    if courtroom is not None:
        courtroom = Courtroom.objects.select_for_update().get(pk=courtroom.pk)
        if courtroom.court_id != court.pk:
            raise InvalidInput(_("The courtroom belongs to another court."), field="courtroom")
        if not courtroom.is_active:
            raise InvalidInput(
                _("Courtroom %(name)s is out of use.") % {"name": courtroom.name}, field="courtroom"
            )
        clash = _overlapping(
            Booking.objects.filter(courtroom=courtroom), starts_at, ends_at
        ).first()
        if clash is not None:
            raise Conflict(
                _("%(room)s is already booked from %(start)s to %(end)s.")
                % {
                    "room": courtroom.name,
                    "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
                },
                field="courtroom",
                code="room_taken",
            )
    if clerk is not None:
        clerk = Person.objects.select_for_update().get(pk=clerk.pk)
        if clerk.court_id != court.pk or clerk.role != Role.CLERK:
            raise InvalidInput(_("Only a clerk of this court can be booked."), field="clerk")
        if not clerk.is_active:
            raise InvalidInput(_("%(name)s is inactive.") % {"name": clerk.name}, field="clerk")
        clash = _overlapping(Booking.objects.filter(clerk=clerk), starts_at, ends_at).first()
        if clash is not None:
            raise Conflict(
                _("Clerk %(name)s is already booked from %(start)s to %(end)s.")
                % {
                    "name": clerk.name,
                    "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
                },
                field="clerk",
                code="clerk_taken",
            )
    booking = Booking.objects.create(
        court=court,
        courtroom=courtroom,
        clerk=clerk,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose[:200],
    )
    audit_record(
        actor=actor, action="booking.created", obj=booking, after=snapshot(booking, BOOKING_FIELDS)
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    """Release a booking's room and clerk."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is not None:
        raise Conflict(_("This booking is already cancelled."), code="already_cancelled")
    before = snapshot(booking, BOOKING_FIELDS)
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action="booking.cancelled",
        obj=booking,
        before=before,
        after=snapshot(booking, BOOKING_FIELDS),
        reason=reason,
    )
    return booking


@transaction.atomic
def absence_record(*, actor: Any, person: Person, starts_on, ends_on, reason: str) -> Absence:
    """Record that a person is away; random assignment leaves their team out meanwhile."""
    from teams.permissions import require_court_perm

    require_court_perm(actor, "teams.manage_court_teams", person.court)
    if ends_on < starts_on:
        raise InvalidInput(_("An absence cannot end before it starts."), field="ends_on")
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason for the absence."), field="reason")
    absence = Absence.objects.create(
        person=person, starts_on=starts_on, ends_on=ends_on, reason=reason[:200]
    )
    audit_record(
        actor=actor,
        action="absence.recorded",
        obj=absence,
        court_id=person.court_id,
        after={"person": person.pk, "starts_on": starts_on, "ends_on": ends_on, "reason": reason},
    )
    return absence
