"""factory_boy factories for the organisation. Each ``_create`` calls the service, so groups,
defaults and audit rows exist exactly as in production."""

from __future__ import annotations

import factory

from teams import services
from teams.models import Court, Division, Person, Team, TeamType
from teams.roles import Role


class CourtFactory(factory.Factory):
    class Meta:
        model = Court

    code = factory.Sequence(lambda n: f"测{n:04d}")
    name = factory.Sequence(lambda n: f"测试法院{n}")
    level = Court.Level.BASIC

    @classmethod
    def _create(cls, model_class, **kwargs) -> Court:
        return services.court_create(actor=None, **kwargs)


class DivisionFactory(factory.Factory):
    class Meta:
        model = Division

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"民事审判第{n}庭")
    kind = Division.Kind.CIVIL

    @classmethod
    def _create(cls, model_class, **kwargs) -> Division:
        return services.division_create(actor=None, **kwargs)


class PersonFactory(factory.Factory):
    class Meta:
        model = Person

    court = factory.SubFactory(CourtFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    role = Role.JUDGE
    division = None
    password = "pw-test-123"

    @classmethod
    def _create(cls, model_class, **kwargs) -> Person:
        return services.person_create(actor=None, **kwargs)


class TeamFactory(factory.Factory):
    class Meta:
        model = Team

    class Params:
        kind = TeamType.Kind.CIVIL

    division = factory.SubFactory(DivisionFactory)
    name = factory.Sequence(lambda n: f"团队{n}")
    team_type = factory.LazyAttribute(
        lambda o: TeamType.objects.get(court=o.division.court, kind=o.kind)
    )

    @classmethod
    def _create(cls, model_class, **kwargs) -> Team:
        return services.team_create(actor=None, **kwargs)
