"""National-scale synthetic data by replicating the case histories of a generated force.

Writing a national data set (about 70,000 nominals and 1,700 referrals a week over five
years) record by record through the services would take days on one machine. So the first
force is generated through the services, as at force scale, and every further force is
built from copies of its case histories:

- A *case history* is a connected set of records: a person with everything recorded about
  them (aliases, addresses, identifiers, the nominal and its MOSOVO history, the referrals
  naming them, the investigations those opened, assessments, duties, escalations and
  notifications), and the audit events about those records. Records belong to the same
  history when one refers to another (a foreign key, or a duty's subject).
- A force gets as many copies of nominal histories as it needs nominals, drawn at random
  (a force with more or fewer flaws than the first: histories with overdue work are drawn
  more or less often), and about as many copies of each referral history as its referral
  rate asks, so the year-on-year growth of the first force is kept.
- Each copy gets new identities (UUIDs, names, PNC ID, register and NCA references,
  usernames), the force's own teams, and staff of the same team, role and rank drawn from
  the force's own (its staff mirror the first force's, scaled to the caseload). Dates and
  everything else are kept, so a copy obeys every rule the original obeyed: its open duties
  are the ones its records call for (`vigil duties check`).
- The audit events about the original are copied with the copy's identities and chained on
  with fresh hashes (`vigil audit verify`), and one event per force records the replication.
"""

from __future__ import annotations

import json
import math
import random
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from graphlib import TopologicalSorter

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from vigil import audit
from vigil.accounts.choices import Role
from vigil.accounts.models import Force, Membership, Team, User
from vigil.audit.models import AuditEvent
from vigil.audit.services import append_many
from vigil.core import clock
from vigil.people import normalise
from vigil.synthetic import draw, names, pending

# The apps whose records make up case histories; everything else (forces, teams, users,
# policies, the audit log itself, register extracts, assurance) is shared, not copied.
CASE_APPS = ("people", "duties", "instruments", "referrals", "investigations", "offenders")
NOT_COPIED = {"referrals.importbatch", "investigations.supportorganisation"}
# The partnership with Probation (regions, agreements, requests, reviews) is not copied: it
# is the first force's alone (its region's team and practitioners are not in the team
# plan a copy is built on). So the duties and escalations of its requests and reviews are
# left out too: a copied duty would point at the first force's request about the first
# force's person, or at no record at all. (A force built by copying has no partnership.)
NOT_COPIED_DUTY_KINDS = ("partners.",)
COPIES_PER_BATCH = 150

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[a-z]+")


def case_models() -> list[type[models.Model]]:
    """The models copied, parents before children (many-to-many link tables included)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in CASE_APPS and m._meta.label_lower not in NOT_COPIED
    ]
    members = set(found)
    order = TopologicalSorter()
    for model in found:
        order.add(
            model,
            *{
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in members and f.related_model is not model
            },
        )
    return list(order.static_order())


# Field types whose Python values the database driver cannot take as they are.
_CONVERTED = {"UUIDField", "DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField"}


class Table:
    """How to read, copy and write one case model's rows as plain tuples."""

    def __init__(self, model: type[models.Model], cases: set):
        meta = model._meta
        self.model = model
        self.label = meta.label_lower
        fields = list(meta.concrete_fields)
        self.columns = [f.attname for f in fields]
        self.pos = {name: i for i, name in enumerate(self.columns)}
        self.pk = self.pos[meta.pk.attname]
        self.uuid = self.pos.get("uuid")
        self.links, self.users, self.teams, self.forces, self.dropped = [], [], [], [], []
        for i, f in enumerate(fields):
            if not f.is_relation:
                continue
            if f.related_model in cases:
                self.links.append((i, f.related_model._meta.label_lower))
            elif f.related_model is User:
                self.users.append(i)
            elif f.related_model is Team:
                self.teams.append(i)
            elif f.related_model is Force:
                self.forces.append(i)
            else:
                self.dropped.append(i)  # an import batch: the copy was not imported
        self.own_force = [
            self.pos[f.attname] for f in fields if f.name == "force" and f.is_relation
        ]
        self.json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        self.converters = [
            (i, f) for i, f in enumerate(fields) if f.get_internal_type() in _CONVERTED
        ]
        # Table and column names come from the models, quoted; values are parameters.
        self.insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            connection.ops.quote_name(meta.db_table),
            ", ".join(connection.ops.quote_name(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )

    def read(self) -> list[tuple]:
        return list(self.model._base_manager.order_by("pk").values_list(*self.columns))

    def to_db(self, row: list) -> list:
        for i, f in self.converters:
            row[i] = f.get_db_prep_save(row[i], connection)
        return row


@dataclass
class History:
    """One connected case history of the first force: its rows by model label (parents
    first) and the audit events about them, in the order they were written."""

    rows: dict[str, list[tuple]] = field(default_factory=dict)
    events: list[AuditEvent] = field(default_factory=list)
    nominals: int = 0
    referrals: int = 0
    investigations: int = 0
    people: int = 0
    flawed: bool = False  # has work overdue now
    forces: set = field(default_factory=set)  # the forces its people and referrals are in


@dataclass
class Template:
    """The first force's case histories, read once into memory."""

    force: Force
    histories: list[History]
    tables: list[Table]
    team_keys: dict[int, str]  # team id -> team key (see generator.team_plan)
    staff: dict[int, tuple]  # user id -> (team key, role, rank, scope)
    emails: dict[str, int]  # e-mail -> user id

    def by_kind(self):
        nominal = [h for h in self.histories if h.nominals]
        referral = [h for h in self.histories if not h.nominals and h.referrals]
        other = [h for h in self.histories if not h.nominals and not h.referrals]
        return nominal, referral, other


def _find(parent: dict, key):
    root = key
    while parent.get(root, root) != root:
        root = parent[root]
    while parent.get(key, key) != root:  # path compression
        parent[key], key = root, parent[key]
    return root


def read_template(force: Force, team_keys: dict[str, str]) -> Template:
    """Read the case histories of `force`.

    Steps: read every case record; join records that refer to each other (foreign keys
    between case records, and a duty to its subject) into histories; keep the histories
    wholly in `force` (their people and referrals are the force's); attach each audit
    event about a case record to its history; note which histories have overdue work.
    `team_keys` maps a team's name to its key in the team plan.
    """
    order = case_models()
    cases = set(order)
    tables = [Table(m, cases) for m in order]
    rows = {t.label: t.read() for t in tables}
    by_uuid: dict[str, tuple] = {}
    for t in tables:
        if t.uuid is not None:
            for row in rows[t.label]:
                by_uuid[str(row[t.uuid])] = (t.label, row[t.pk])
    parent: dict = {}

    def union(a, b):
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[rb] = ra

    for t in tables:
        subject = t.pos.get("subject_id") if t.label == "duties.duty" else None
        for row in rows[t.label]:
            key = (t.label, row[t.pk])
            parent.setdefault(key, key)
            for i, label in t.links:
                if row[i] is not None:
                    union(key, (label, row[i]))
            if subject is not None and str(row[subject]) in by_uuid:
                union(key, by_uuid[str(row[subject])])
    histories: dict = defaultdict(History)
    home: dict[tuple, History] = {}
    now = clock.now()
    for t in tables:
        is_duty = t.label == "duties.duty"
        for row in rows[t.label]:
            key = (t.label, row[t.pk])
            history = histories[_find(parent, key)]
            history.rows.setdefault(t.label, []).append(row)
            history.forces.update(row[i] for i in t.own_force)
            home[key] = history
            history.nominals += t.label == "offenders.nominal"
            history.referrals += t.label == "referrals.referral"
            history.investigations += t.label == "investigations.investigation"
            history.people += t.label == "people.person"
            if is_duty and row[t.pos["completed_at"]] is None and row[t.pos["due_at"]] < now:
                history.flawed = True
    for root in [r for r, h in histories.items() if h.forces != {force.pk}]:
        del histories[root]
    labels = [t.label for t in tables]
    held = pending.current()
    events = (
        held.events_about(labels)
        if held is not None
        else AuditEvent.objects.filter(target_type__in=labels).order_by("id").iterator()
    )
    for event in events:
        key = by_uuid.get(event.target_id)
        if key is not None and home[key].forces == {force.pk}:
            home[key].events.append(event)
    team_by_name = {
        t.pk: team_keys[t.name] for t in Team.objects.filter(force=force, name__in=team_keys)
    }
    staff: dict[int, tuple] = {}
    for m in Membership.objects.filter(team__force=force).select_related("user").order_by("id"):
        if not m.user.is_superuser and m.team_id in team_by_name:
            staff.setdefault(m.user_id, (team_by_name[m.team_id], m.role, m.user.rank, m.scope))
    return Template(
        force=force,
        histories=[histories[root] for root in sorted(histories, key=str)],
        tables=tables,
        team_keys=team_by_name,
        staff=staff,
        emails=dict(User.objects.filter(pk__in=staff).values_list("email", "pk")),
    )


@dataclass
class Target:
    """A force being built: its teams by key, its staff by (team, role, rank, scope)."""

    force: Force
    index: int
    teams: dict[str, Team]
    staff: dict[tuple, list[User]]
    admin: User
    register_serial: int = 0
    reference_serial: int = 0


def staff_counts(template: Template, *, nominal_factor: float, referral_factor: float) -> Counter:
    """How many of each kind of staff a force gets: as many as the first force, with
    officers scaled up to the caseload (MOSOVO by nominals, POLIT by referrals)."""
    counts = Counter(template.staff.values())
    scaled = Counter()
    for profile, count in counts.items():
        team_key, role = profile[0], profile[1]
        factor = 1.0
        if role == Role.OFFICER and team_key.startswith("mosovo"):
            factor = nominal_factor
        elif role == Role.OFFICER and team_key == "polit":
            factor = referral_factor
        # Never fewer than the first force, so that a copy can give each of its staff
        # a different person (two officers at a visit stay two).
        scaled[profile] = max(count, math.ceil(count * factor))
    return scaled


class _Copy:
    """One copy of a history into a target force: the mapping of identities."""

    def __init__(self, template: Template, target: Target, rng: random.Random):
        self.template = template
        self.target = target
        self.rng = rng
        self.uuids: dict[str, uuid.UUID] = {}
        self.ids: dict[tuple, int] = {}
        self.users: dict[int, User] = {}
        self.texts: dict[str, str] = {}
        self.requests: dict[str, str] = {}
        self._pattern = None

    def user(self, user_id: int | None) -> User | None:
        if user_id is None:
            return None
        if user_id not in self.users:
            profile = self.template.staff.get(user_id)
            taken = {u.pk for u in self.users.values()}
            candidates = [u for u in (self.target.staff.get(profile) or ()) if u.pk not in taken]
            # The administrator, and anyone not on the first force's staff, maps to the
            # administrator.
            self.users[user_id] = self.rng.choice(candidates) if candidates else self.target.admin
        return self.users[user_id]

    def team_id(self, team_id):
        key = self.template.team_keys.get(team_id)
        return self.target.teams[key].pk if key else team_id

    def text(self, value: str) -> str:
        """A text with the original's identities replaced by the copy's."""
        if not value:
            return value
        value = _UUID.sub(lambda m: str(self.uuids.get(m.group(0), m.group(0))), value)
        value = _EMAIL.sub(self._email, value)
        if self.texts:
            if self._pattern is None:
                self._pattern = re.compile(
                    "|".join(re.escape(k) for k in sorted(self.texts, key=len, reverse=True))
                )
            value = self._pattern.sub(lambda m: self.texts[m.group(0)], value)
        return value

    def _email(self, match) -> str:
        user_id = self.template.emails.get(match.group(0))
        return self.user(user_id).email if user_id is not None else match.group(0)

    def json(self, value):
        if not value:
            return value
        return json.loads(self.text(json.dumps(value, ensure_ascii=False)))

    def replace(self, old: str, new: str) -> None:
        if old and old != new:
            self.texts[old] = new
            self._pattern = None


def _new_name(rng: random.Random, gender: str) -> tuple[str, str]:
    given = rng.choice(names.GIVEN_FEMALE if gender == "female" else names.GIVEN_MALE)
    return given, rng.choice(names.FAMILY)


def _rename(row: list, t: Table, c: _Copy) -> None:
    """Give a copied record new personal identities (names, PNC ID, references...)."""
    rng, p = c.rng, t.pos
    if t.label in ("people.person", "people.alias"):
        gender = row[p["gender"]] if "gender" in p else rng.choice(["male", "female"])
        given, family = _new_name(rng, gender)
        old = (row[p["given_name"]], row[p["family_name"]])
        c.replace(f"{old[0]} {old[1]}", f"{given} {family}")
        row[p["given_name"]], row[p["family_name"]] = given, family
        row[p["search_name"]] = normalise.search_name(given, family)
    if t.label == "people.person":
        if row[p["pnc_id"]]:
            new = draw.pnc_id(rng)
            c.replace(row[p["pnc_id"]], new)
            row[p["pnc_id"]] = new
        if row[p["register_reference"]]:
            c.target.register_serial += 1
            new = f"{c.target.index + 1:02d}/{c.target.register_serial:06d}"
            c.replace(row[p["register_reference"]], new)
            row[p["register_reference"]] = new
    elif t.label == "offenders.nominalstate" and row[p["register_reference"]]:
        # The history keeps the person's register reference: the copy's, renamed above
        # (the person's row comes first in the copy).
        row[p["register_reference"]] = c.texts.get(
            row[p["register_reference"]], row[p["register_reference"]]
        )
    elif t.label in ("people.onlineidentifier", "referrals.referralidentifier"):
        if row[p["kind"]] == "username":
            new = f"{rng.choice(names.GIVEN_MALE + names.GIVEN_FEMALE).lower()}{rng.randint(10, 99999)}"
            c.replace(row[p["value"]], new)
            row[p["value"]] = new
            row[p["normalised"]] = normalise.identifier("username", new)
    elif t.label == "referrals.referral" and row[p["source_reference"]]:
        c.target.reference_serial += 1
        old = row[p["source_reference"]]
        prefix = old[: old.rfind("-") + 1] if "-" in old else "REF-"
        new = f"{prefix}{c.target.index + 1:02d}{c.target.reference_serial:06d}"
        c.replace(old, new)
        row[p["source_reference"]] = new


class _Batch:
    """Rows and events waiting to be written, with the next free id of every table (the
    replicator is the only writer while it runs, so it numbers the rows itself)."""

    def __init__(self, tables: list[Table], next_ids: dict[str, int]):
        self.tables = tables
        self.next_ids = next_ids
        self.rows: dict[str, list[list]] = defaultdict(list)
        self.events: list[AuditEvent] = []

    def new_id(self, label: str) -> int:
        value = self.next_ids[label]
        self.next_ids[label] = value + 1
        return value


def _next_ids(tables: list[Table]) -> dict[str, int]:
    return {
        t.label: (t.model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for t in tables
    }


def _copy_history(history: History, c: _Copy, batch: _Batch) -> None:
    """Add a copy of `history` to the batch: every row with new ids and identities, its
    links to the copies of the rows it referred to, and the audit events about it."""
    for t in c.template.tables:
        if t.uuid is not None:
            for row in history.rows.get(t.label, ()):
                c.uuids[str(row[t.uuid])] = uuid.uuid4()
    copies = []
    skipped: set[str] = set()  # the rows left out: no audit event about them is copied
    for t in c.template.tables:
        subject = t.pos.get("subject_id") if t.label == "duties.duty" else None
        for row in history.rows.get(t.label, ()):
            if subject is not None and (
                str(row[subject]) not in c.uuids
                or str(row[t.pos["kind"]]).startswith(NOT_COPIED_DUTY_KINDS)
            ):
                # A duty about a record that is not copied (see NOT_COPIED_DUTY_KINDS).
                if t.uuid is not None:
                    skipped.add(str(row[t.uuid]))
                continue
            links = [(i, (label, row[i])) for i, label in t.links if row[i] is not None]
            if any(key not in c.ids for _i, key in links):
                if t.uuid is not None:
                    skipped.add(str(row[t.uuid]))
                continue  # it hangs off a row that was not copied
            new = list(row)
            new[t.pk] = c.ids[(t.label, row[t.pk])] = batch.new_id(t.label)
            for i, key in links:
                new[i] = c.ids[key]
            for i in t.users:
                if row[i] is not None:
                    new[i] = c.user(row[i]).pk
            for i in t.teams:
                new[i] = c.team_id(row[i])
            for i in t.forces:
                if row[i] == c.template.force.pk:
                    new[i] = c.target.force.pk
            for i in t.dropped:
                new[i] = None
            if t.uuid is not None:
                new[t.uuid] = c.uuids[str(row[t.uuid])]
            if subject is not None:
                new[subject] = c.uuids[str(row[subject])]
            _rename(new, t, c)
            copies.append((t, new))
    # Texts may name people renamed later in the history: rewrite them once all are known.
    for t, new in copies:
        for i in t.json:
            new[i] = c.json(new[i])
        if t.label == "duties.duty":
            new[t.pos["note"]] = c.text(new[t.pos["note"]])
        batch.rows[t.label].append(new)
    for event in history.events:
        if event.target_id in skipped:
            continue
        actor = c.user(event.actor_id) if event.actor_id is not None else None
        request = (
            c.requests.setdefault(event.request_id, uuid.uuid4().hex) if event.request_id else ""
        )
        batch.events.append(
            AuditEvent(
                at=event.at,
                actor_id=actor.pk if actor else None,
                actor_email=actor.email if actor else event.actor_email,
                action=event.action,
                target_type=event.target_type,
                target_id=str(c.uuids.get(event.target_id, event.target_id)),
                target_label=c.text(event.target_label)[:300],
                person_id=str(c.uuids.get(event.person_id, event.person_id))
                if event.person_id
                else "",
                request_id=request,
                changes=c.json(event.changes),
                reason=c.text(event.reason),
            )
        )


def _write(batch: _Batch) -> int:
    """Insert a batch, parents first, then its audit events; move PostgreSQL's id
    sequences past the ids used."""
    written = 0
    with connection.cursor() as cursor:
        for t in batch.tables:
            rows = batch.rows.get(t.label)
            if rows:
                cursor.executemany(t.insert, [t.to_db(row) for row in rows])
                written += len(rows)
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [t.model for t in batch.tables if batch.rows.get(t.label)]
        ):
            cursor.execute(statement)
    return written + append_many(batch.events)


@dataclass
class Built:
    people: int = 0
    nominals: int = 0
    referrals: int = 0
    investigations: int = 0
    records: int = 0


def build_force(
    template: Template,
    target: Target,
    *,
    rng: random.Random,
    nominals: int,
    referral_factor: float,
    flaw_factor: float,
    copy_others: bool = True,
    stdout=None,
) -> Built:
    """Fill `target` with copies of the template's histories (see the module docstring).

    Steps: draw nominal histories (weighted by the force's flaw factor) until the force has
    `nominals` nominals; copy each referral history a Poisson number of times with mean
    `referral_factor` (weighted the same way); copy every other history once (unless
    `copy_others` is false: a force topping itself up already has them); write them
    in batches, each batch with its audit events in one transaction; record the
    replication itself in the audit log.
    """
    nominal_histories, referral_histories, other = template.by_kind()
    chosen: list[History] = []
    if nominal_histories and nominals > 0:
        weights = [flaw_factor if h.flawed else 1.0 for h in nominal_histories]
        count = 0
        while count < nominals:
            history = rng.choices(nominal_histories, weights=weights)[0]
            chosen.append(history)
            count += history.nominals
    if referral_histories:
        flawed_share = sum(h.flawed for h in referral_histories) / len(referral_histories)
        norm = flawed_share * flaw_factor + (1 - flawed_share)
        for history in referral_histories:
            mean = referral_factor * (flaw_factor if history.flawed else 1.0) / norm
            chosen.extend([history] * draw.poisson(rng, mean))
    if copy_others:
        chosen.extend(other)
    built = Built()
    for start in range(0, len(chosen), COPIES_PER_BATCH):
        batch = _Batch(template.tables, _next_ids(template.tables))
        for history in chosen[start : start + COPIES_PER_BATCH]:
            _copy_history(history, _Copy(template, target, rng), batch)
            built.people += history.people
            built.nominals += history.nominals
            built.referrals += history.referrals
            built.investigations += history.investigations
        with transaction.atomic():
            built.records += _write(batch)
        if stdout is not None and (start // COPIES_PER_BATCH) % 20 == 19:
            stdout.write(f"    {target.force.name}: {start + COPIES_PER_BATCH} case histories\n")
    audit.record(
        target.admin,
        "synthetic.replicate",
        target.force,
        changes={
            "from_force": template.force.code,
            "histories": len(chosen),
            "nominals": built.nominals,
            "referrals": built.referrals,
            "records": built.records,
        },
    )
    return built
