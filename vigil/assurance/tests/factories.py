"""Rows for the metric scenarios, written straight to the tables with the timestamps a
scenario needs (including `created_at`, which the metrics read for as-of semantics).

The operational apps' own tests check that their services write these rows; here each
test states the rows and works out the expected numerator and denominator by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo

from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user

LONDON = zoneinfo.ZoneInfo("Europe/London")
_n = itertools.count(1)


def at(y, m, d, h=12, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=LONDON)


def _stamp(obj, created_at):
    """Set the row's created_at (auto_now_add) to when the scenario says it was recorded."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=created_at)
    obj.created_at = created_at
    return obj


class World:
    """A force with a POLIT team, an external unit and a MOSOVO team, and users."""

    def __init__(self, force):
        self.force = force
        self.polit = make_team(force, name="POLIT West", kind=TeamKind.POLIT)
        self.unit = make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)
        self.mosovo = make_team(force, name="MOSOVO East", kind=TeamKind.MOSOVO)
        self.officer = make_user(Role.OFFICER, self.polit, rank=Rank.CONSTABLE)
        self.sergeant = make_user(Role.SUPERVISOR, self.polit, rank=Rank.SERGEANT)
        self.om = make_user(Role.OFFICER, self.mosovo, rank=Rank.CONSTABLE)
        self.om_sergeant = make_user(Role.SUPERVISOR, self.mosovo, rank=Rank.SERGEANT)

    # --- people ---------------------------------------------------------------------
    def person(self, team=None, **kwargs):
        from vigil.people.models import Person

        team = team or self.polit
        n = next(_n)
        defaults = {
            "force": self.force,
            "team": team,
            "given_name": f"Given{n}",
            "family_name": f"Family{n}",
            "register_reference": f"01/{n:06d}",
            "date_of_birth": dt.date(1980, 1, 1),
        }
        defaults.update(kwargs)
        return Person.objects.create(**defaults)

    # --- referrals ------------------------------------------------------------------
    def referral(self, received_at, *, created_at=None, **kwargs):
        from vigil.referrals.models import Referral

        n = next(_n)
        values = {
            "force": self.force,
            "team": self.polit,
            "source": "nca_ceop",
            "source_reference": f"NCA-{n:06d}",
            "received_at": received_at,
            "summary": "Synthetic.",
        }
        values.update(kwargs)
        r = Referral.objects.create(**values)
        return _stamp(r, created_at or received_at)

    # --- investigations -------------------------------------------------------------
    def investigation(self, opened_at, *, created_at=None, allocated_team=None, **kwargs):
        from vigil.investigations.models import Investigation

        values = {
            "suspect": self.person(),
            "owning_team": self.polit,
            "allocated_team": allocated_team or self.polit,
            "opened_at": opened_at,
        }
        values.update(kwargs)
        inv = Investigation.objects.create(**values)
        return _stamp(inv, created_at or opened_at)

    def transition(self, inv, to_state, when, from_state=""):
        from vigil.investigations.models import Transition

        return Transition.objects.create(
            investigation=inv, from_state=from_state, to_state=to_state, actor=self.officer, at=when
        )

    def decision(self, inv, kind, decided_at, *, created_at=None, **kwargs):
        from vigil.investigations.models import EnforcementDecision

        values = {
            "investigation": inv,
            "kind": kind,
            "from_state": "enforcement",
            "rationale": "Because.",
            "decided_by": self.officer,
            "decided_at": decided_at,
        }
        if kind == "rui":
            values.update(exceptional_rationale="Exceptional.", authorised_by=self.sergeant)
        values.update(kwargs)
        d = EnforcementDecision.objects.create(**values)
        return _stamp(d, created_at or decided_at)

    def decision_point(self, inv, due_at, *, reached_at=None, created_at=None, **kwargs):
        from vigil.investigations.models import DecisionPoint

        reached_at = reached_at or due_at - dt.timedelta(days=14)
        p = DecisionPoint.objects.create(
            investigation=inv, kind="enforcement", reached_at=reached_at, due_at=due_at, **kwargs
        )
        return _stamp(p, created_at or reached_at)

    def escalation(self, inv, raised_at, resolve_by, *, created_at=None, **kwargs):
        from vigil.investigations.models import EscalationLogEntry

        e = EscalationLogEntry.objects.create(
            team=self.polit,
            investigation=inv,
            trigger=kwargs.pop("trigger", "reassessment_overdue"),
            level=1,
            raised_at=raised_at,
            acknowledge_by=raised_at + dt.timedelta(days=2),
            resolve_by=resolve_by,
            **kwargs,
        )
        return _stamp(e, created_at or raised_at)

    def duty(self, kind, subject, due_at, *, created_at, team=None, person=None, **kwargs):
        from vigil.duties.models import Duty

        d = Duty.objects.create(
            kind=kind,
            subject_type=subject._meta.label_lower,
            subject_id=subject.uuid,
            team=team or self.polit,
            person=person,
            due_at=due_at,
            **kwargs,
        )
        return _stamp(d, created_at)

    def oversight_review(self, inv, reviewed_at):
        from vigil.investigations.models import OversightReview

        return OversightReview.objects.create(
            investigation=inv,
            allocated_team=inv.allocated_team,
            reviewed_by=self.sergeant,
            reviewed_at=reviewed_at,
            outcome="satisfactory",
        )

    def bail(self, inv, starts_at, ends_at, *, condition_at=None, ended_early_at=None):
        """A bail with one period and one condition (imposed at the start)."""
        from vigil.investigations.models import Bail, BailCondition, BailPeriod, VictimViews

        decision = self.decision(inv, "pre_charge_bail", starts_at)
        b = Bail.objects.create(
            investigation=inv,
            decision=decision,
            start_date=starts_at.date(),
            started_at=starts_at,
            stage="initial",
            ends_at=ends_at,
        )
        _stamp(b, starts_at)
        period = BailPeriod.objects.create(
            bail=b,
            stage="initial",
            starts_at=starts_at,
            ends_at=ends_at,
            ended_early_at=ended_early_at,
            check_due_at=starts_at + (ends_at - starts_at) / 2,
            authorised_by=self.sergeant,
            authorised_at=starts_at,
        )
        _stamp(period, starts_at)
        views = VictimViews.objects.create(
            bail=b, sought_at=starts_at, recorded_by=self.officer, views="Agrees."
        )
        condition = BailCondition.objects.create(
            bail=b,
            text="Not to contact the child.",
            imposed_at=condition_at or starts_at,
            imposed_by=self.sergeant,
            victim_views=views,
        )
        _stamp(condition, condition_at or starts_at)
        return period

    def bail_check(self, period, checked_at, *, created_at=None):
        from vigil.investigations.models import BailConditionCheck

        c = BailConditionCheck.objects.create(
            bail=period.bail,
            period=period,
            checked_at=checked_at,
            method="phone",
            outcome="complied",
            checked_by=self.officer,
        )
        return _stamp(c, created_at or checked_at)

    def family_offer(self, inv, offered_on, recorded_at):
        from vigil.investigations.models import FamilySupportOffer

        return FamilySupportOffer.objects.create(
            investigation=inv,
            status="offered",
            offered_on=offered_on,
            officer=self.officer,
            recorded_at=recorded_at,
            recorded_by=self.officer,
        )

    # --- offender management --------------------------------------------------------
    def nominal(self, *, created_at, status="active", team=None, **kwargs):
        from vigil.offenders.history import state_record
        from vigil.offenders.models import Nominal

        team = team or self.mosovo
        values = {
            "person": self.person(team),
            "team": team,
            "offender_manager": self.om,
            "status": status,
            "registered_by": self.om,
            "mappa_category": 1,
            "mappa_level": 1,
            "risk_level": "medium",
        }
        values.update(kwargs)
        nominal = _stamp(Nominal.objects.create(**values), created_at)
        state_record(nominal, at=created_at)  # its history, as the services keep it
        return nominal

    def visit(self, nominal, visited_at, *, announced=False, officers=2, created_at=None):
        from vigil.offenders.models import Visit

        v = Visit.objects.create(
            nominal=nominal,
            visited_at=visited_at,
            location="home",
            announced=announced,
            officer_count=officers,
            access="gained",
            outcome="Seen.",
            compliant=not announced and officers >= 2,
            recorded_by=self.om,
        )
        return _stamp(v, created_at or visited_at)

    def authorisation(
        self, visit, authorised_at, *, rationale="Only one officer free.", created_at=None
    ):
        from vigil.offenders.models import VisitAuthorisation

        a = VisitAuthorisation.objects.create(
            visit=visit,
            authorised_by=self.om_sergeant,
            authorised_at=authorised_at,
            rationale=rationale,
            in_time=True,
        )
        return _stamp(a, created_at or authorised_at)

    def dip_check(self, authorisation, checked_at=None):
        from vigil.offenders.models import DipCheck

        return DipCheck.objects.create(
            authorisation=authorisation,
            month=authorisation.authorised_at.date().replace(day=1),
            reviewer=self.om_sergeant,
            outcome="agree" if checked_at else "",
            checked_at=checked_at,
        )

    def review(self, nominal, due_at, *, reviewed_at=None, created_at=None):
        """A supervisor review of a visit (the visit made a month before it is due)."""
        from vigil.offenders.models import Review

        visit = self.visit(nominal, due_at - dt.timedelta(days=30))
        r = Review.objects.create(
            nominal=nominal,
            subject="visit",
            visit=visit,
            opened_at=due_at - dt.timedelta(days=30),
            due_at=due_at,
            outcome="approved" if reviewed_at else "",
            reviewer=self.om_sergeant if reviewed_at else None,
            reviewed_at=reviewed_at,
        )
        return _stamp(r, created_at or due_at - dt.timedelta(days=30))


def fake_subject(label: str):
    """A stand-in subject for a duty (model label and a fresh uuid)."""

    class _Meta:
        label_lower = label

    class _Subject:
        _meta = _Meta
        uuid = uuid.uuid4()

    return _Subject
