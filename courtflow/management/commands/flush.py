"""Django's flush, refusing to touch the append-only audit table unless the settings allow it.

Only the test settings allow it (COURTFLOW_AUDIT_ALLOW_FLUSH): the test runner empties the
database between transactional tests. Anywhere else the audit triggers refuse, as they should.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from courtflow import audit_triggers


class Command(FlushCommand):
    def handle(self, **options):
        if not settings.COURTFLOW_AUDIT_ALLOW_FLUSH:
            return super().handle(**options)
        connection = connections[options["database"]]
        audit_triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            audit_triggers.install(connection)
