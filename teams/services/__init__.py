"""Every write to the organisation: atomic, checked, audited."""

from .bookings import absence_record, booking_cancel, booking_create, courtroom_create
from .memberships import (
    membership_create,
    membership_end,
    membership_validate,
    person_move,
    team_create,
    team_set_active,
)
from .org import (
    coefficient_set,
    court_create,
    division_create,
    division_set_head,
    person_create,
    person_sync_groups,
    person_update,
    roles_sync_groups,
    team_type_seat_set,
    team_type_update,
)

__all__ = [
    "absence_record",
    "booking_cancel",
    "booking_create",
    "coefficient_set",
    "court_create",
    "courtroom_create",
    "division_create",
    "division_set_head",
    "membership_create",
    "membership_end",
    "membership_validate",
    "person_create",
    "person_move",
    "person_sync_groups",
    "person_update",
    "roles_sync_groups",
    "team_create",
    "team_set_active",
    "team_type_seat_set",
    "team_type_update",
]
