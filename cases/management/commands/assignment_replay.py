"""Replay the random draws of a case: `manage.py assignment_replay （2026）京0102民初12号`."""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Assignment, Case
from cases.services import assignment_replay


class Command(BaseCommand):
    help = "Repeat a case's stored random assignment draws and check they give the same team."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="案号, or the case id")

    def handle(self, *args, case_number: str, **options):
        case = Case.objects.filter(number=case_number).first()
        if case is None and case_number.isdigit():
            case = Case.objects.filter(pk=int(case_number)).first()
        if case is None:
            raise CommandError(f"No case {case_number}")
        draws = Assignment.objects.filter(case=case).order_by("at")
        if not draws:
            raise CommandError(f"{case.number} has not been assigned")
        failed = False
        for draw in draws:
            result = assignment_replay(draw)
            if draw.method != Assignment.Method.DRAW:
                self.stdout.write(
                    f"{draw.at:%Y-%m-%d %H:%M} reassigned to {draw.team} ({draw.reason})"
                )
                continue
            self.stdout.write(f"{draw.at:%Y-%m-%d %H:%M} seed {draw.seed}")
            for c in draw.candidates:
                mark = "→" if c["team"] == draw.team_id else " "
                self.stdout.write(f"  {mark} {c['name']:<16} weight {c['weight']:>8}")
            for e in draw.excluded:
                self.stdout.write(f"    {e['name']:<16} left out: {e['reason']}")
            verdict = "same team" if result["matches"] else "DIFFERENT team"
            self.stdout.write(f"  replay: {result['name']} — {verdict}")
            failed |= not result["matches"]
        if failed:
            raise CommandError("a replay gave a different team")
