"""The synthetic data generator: a force (or all 43) with teams, users and people.

Deterministic for a seed: the same seed gives the same forces, teams, users, names, dates
and addresses (record UUIDs are random). At force scale every row is written through
the owning app's services, so the generated data obeys the same rules and leaves the same
audit trail as data entered by users. At national scale the first force is built so, and
the other 42 from copies of its case histories (vigil.synthetic.replicate), which keep
those rules. docs/synthetic-data.md says what each scale holds and how long it takes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from vigil.accounts import services as accounts
from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Force, Team, User
from vigil.core import clock
from vigil.synthetic import draw, names, pending

DEMO_PASSWORD = "vigil-demo-password"
RESTRICTED_SHARE = 0.03
RESTRICTION_REASONS = [
    "Relative of a serving officer",
    "Subject is a member of police staff in another force",
    "Linked to a covert operation: need to know only",
    "High-profile person: access limited to the investigating team",
]
DEMO_DOMAIN = "demo.vigil.test"


@dataclass(frozen=True)
class Scale:
    forces: int
    nominals_per_force: int
    suspects_per_force: int  # people on the POLIT team's books besides referral suspects
    officers_per_team: int
    referrals_per_week: float = 0  # per force, now (fewer each year further back)
    referral_years: int = 5
    # The nominals' histories go back a year further than the referrals: reactive
    # management needs three years at low risk first, so it is in use two years back.
    nominal_years: int = 6
    # Generate the first force at this scale through the services and build the others
    # from copies of its case histories (see vigil.synthetic.replicate).
    template: Scale | None = None


# The case histories generated through the services: a quarter of a force like
# Dyfed-Powys, with the staff of a whole one (6 officers and a sergeant per POLIT and
# MOSOVO team, for about 700 nominals and 15 referrals a week).
CORE = Scale(
    forces=1,
    nominals_per_force=175,
    suspects_per_force=60,
    officers_per_team=6,
    referrals_per_week=3.75,
    referral_years=5,
)
STAFFED_FOR = (700, 15)  # the nominals and weekly referrals CORE's staff can carry
SCALES = {
    # One force like Dyfed-Powys: about 700 RSOs and about 15 referrals a week over five
    # years: CORE through the services, brought to size with copies of its histories.
    "force": Scale(
        forces=1,
        nominals_per_force=700,
        suspects_per_force=60,
        officers_per_team=6,
        referrals_per_week=15,
        referral_years=5,
        template=CORE,
    ),
    # England and Wales: 43 forces of 1,650 RSOs (about 70,000) and about 40 referrals a
    # week (about 1,700), five years: CORE in the first force, the rest copies.
    "national": Scale(
        forces=43,
        nominals_per_force=1650,
        suspects_per_force=60,
        officers_per_team=6,
        referrals_per_week=40,
        referral_years=5,
        template=CORE,
    ),
}

# (e-mail local part, name, team key, role, scope, rank): the accounts a demo signs in as.
DEMO_ACCOUNTS = [
    ("polit.officer", "Rhys Pritchard", "polit", Role.OFFICER, Scope.TEAM, Rank.CONSTABLE),
    ("polit.sergeant", "Carys Howells", "polit", Role.SUPERVISOR, Scope.TEAM, Rank.SERGEANT),
    ("polit.inspector", "Owain Prosser", "polit", Role.MANAGER, Scope.TEAM, Rank.INSPECTOR),
    ("mosovo.officer", "Ffion Rowlands", "mosovo_1", Role.OFFICER, Scope.TEAM, Rank.CONSTABLE),
    ("mosovo.sergeant", "Gethin Vaughan", "mosovo_1", Role.SUPERVISOR, Scope.TEAM, Rank.SERGEANT),
    ("mosovo.inspector", "Seren Llewellyn", "mosovo_1", Role.MANAGER, Scope.FORCE, Rank.INSPECTOR),
    ("analyst", "Bethan Hopkins", "ppu", Role.ANALYST, Scope.FORCE, Rank.STAFF),
    ("auditor", "Emyr Watkins", "ppu", Role.AUDITOR, Scope.FORCE, Rank.STAFF_MANAGER),
    ("pcc", "Angharad Bevan", "ppu", Role.ASSURANCE, Scope.FORCE, Rank.STAFF_SENIOR),
    ("wellbeing", "Huw Parry", "ppu", Role.WELLBEING, Scope.FORCE, Rank.STAFF),
    ("probation", "Nia Griffiths", "mosovo_1", Role.PROBATION, Scope.TEAM, Rank.EXTERNAL),
    ("admin", "Iwan Morris", "ppu", Role.ADMIN, Scope.FORCE, Rank.STAFF_MANAGER),
]


@dataclass
class Result:
    forces: int = 0
    teams: int = 0
    users: int = 0
    people: int = 0
    referrals: int = 0
    investigations: int = 0
    nominals: int = 0
    discrepancies: int = 0
    snapshots: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def team_plan() -> list[tuple[str, str, str, str]]:
    """(key, name, Welsh name, kind) of the teams every force gets."""
    return [
        ("polit", "POLIT", "POLIT", TeamKind.POLIT),
        ("mosovo_1", "MOSOVO East", "MOSOVO Dwyrain", TeamKind.MOSOVO),
        ("mosovo_2", "MOSOVO West", "MOSOVO Gorllewin", TeamKind.MOSOVO),
        ("ppu", "Public Protection Unit", "Uned Diogelu'r Cyhoedd", TeamKind.OTHER),
        ("cid", "CID", "Adran Ymchwiliadau Troseddol", TeamKind.OTHER),
    ]


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    gender = rng.choices(["male", "female"], weights=[88, 12])[0]
    given = rng.choice(names.GIVEN_MALE if gender == "male" else names.GIVEN_FEMALE)
    return given, rng.choice(names.FAMILY), gender


def _date_of_birth(rng: random.Random, today: dt.date, *, min_age: int, max_age: int) -> dt.date:
    days = rng.randint(min_age * 365, max_age * 365)
    return today - dt.timedelta(days=days)


def generate(
    *, scale: str | Scale = "force", seed: int = 1, forces: int | None = None, stdout=None
) -> Result:
    """Build the synthetic data set (see _generate); policies are read once for the run.
    `forces` limits the number of forces (national scale on fewer forces, for a smaller
    machine). Notifications are recorded as usual, but no e-mail goes out: the history is
    invented and its users are made up."""
    from django.test.utils import override_settings

    from vigil.core.policy_registry import cached

    with cached(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _generate(scale=scale, seed=seed, forces=forces, stdout=stdout)


def _generate(*, scale: str | Scale, seed: int, forces: int | None, stdout) -> Result:
    """Build the synthetic data set.

    Steps: the system administrator account (the actor for everything after); the forces
    and their teams; the demo accounts (first force only) and further officers and
    supervisors for every team; then people — registered offenders for the MOSOVO teams
    and suspects for POLIT — each with a current address and some with aliases,
    identifiers and linked children; their MOSOVO and POLIT histories; with a template
    (national scale), only the first force so, and the others from copies of its case
    histories; then a register extract reconciled against the nominals, and a year of
    assurance snapshots.
    """
    if isinstance(scale, Scale):
        plan = scale
    elif scale in SCALES:
        plan = SCALES[scale]
    else:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    if forces is not None:
        if not 1 <= forces <= len(names.FORCES):
            raise ValueError(f"forces must be between 1 and {len(names.FORCES)}")
        plan = dataclasses.replace(plan, forces=forces)
    rng = random.Random(seed)
    result = Result()
    now = clock.now()
    today = clock.today()
    password_hash = make_password(DEMO_PASSWORD)
    # The force began using Vigil at the start of the history: its staff and the people
    # already on its books were recorded then, and everything after at its own moment.
    began = _began(today, plan)
    with pending.holding():
        admin = _build(plan, rng, result, now, today, began, password_hash, stdout)
        codes = [f[0] for f in names.FORCES[: plan.forces]]
        forces = sorted(Force.objects.filter(code__in=codes), key=lambda f: codes.index(f.code))
        result.discrepancies = _register_reconciliation(admin, forces, seed, began=began)
        from vigil.workforce.synthetic import generate_workforce

        generate_workforce(admin=admin, forces=forces, seed=seed, began=began)
        # Forecasts are made at past moments too: their events wait with the others, so
        # the chain stays in time order.
        from vigil.demand.synthetic import generate_forecasts

        generate_forecasts(forces=forces, seed=seed)  # every force (seconds each)
    _say(stdout, f"  register extracts reconciled: {result.discrepancies} discrepancies to work")
    result.snapshots = _assurance_history(today)
    _say(stdout, f"  assurance: {result.snapshots} days of evidence snapshots back to the start")
    return result


def _began(today: dt.date, plan: Scale) -> dt.datetime:
    """When the force began using Vigil: a month before the oldest history (09:00, UTC)."""
    day = today - dt.timedelta(days=365 * max(plan.nominal_years, plan.referral_years) + 30)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))).astimezone(dt.UTC)


def _build(plan, rng, result, now, today, began, password_hash, stdout) -> User:
    """The forces, their staff and people, and their histories (see _generate); returns
    the system administrator."""
    with clock.replay(began), transaction.atomic():
        admin = _user(
            None,
            email=f"admin@{DEMO_DOMAIN}",
            full_name="Iwan Morris",
            rank=Rank.STAFF_MANAGER,
            password_hash=password_hash,
        )
        # The first administrator exists before any team does: a superuser, as
        # `vigil createsuperuser` makes on a real installation.
        User.objects.filter(pk=admin.pk).update(is_superuser=True)
        admin.is_superuser = True
        result.users += 1
    each = plan.template or plan
    for index, (code, name, name_cy) in enumerate(
        names.FORCES[: 1 if plan.template else plan.forces]
    ):
        with clock.replay(began), transaction.atomic():
            force, teams = _force_and_teams(admin, code, name, name_cy)
            result.forces += 1
            result.teams += len(teams)
            demo_supervisors: dict[str, User] = {}
            if index == 0:
                for local, full_name, team_key, role, scope, rank in DEMO_ACCOUNTS:
                    email = f"{local}@{DEMO_DOMAIN}"
                    user = (
                        admin
                        if local == "admin"
                        else _user(
                            admin,
                            email=email,
                            full_name=full_name,
                            rank=rank,
                            password_hash=password_hash,
                        )
                    )
                    accounts.membership_add(
                        actor=admin, user=user, team=teams[team_key], role=role, scope=scope
                    )
                    result.accounts.append((email, str(Role(role).label), teams[team_key].name))
                    result.users += 1
                    if role == Role.SUPERVISOR:
                        demo_supervisors[team_key] = user
            supervisors: dict[str, User] = {}
            for key in ("polit", "mosovo_1", "mosovo_2"):
                team = teams[key]
                for n in range(each.officers_per_team):
                    given, family, _gender = _person_name(rng)
                    is_sergeant = n == 0
                    user = _user(
                        admin,
                        email=f"{code}.{key}.{n + 1}@{DEMO_DOMAIN}",
                        full_name=f"{given} {family}",
                        rank=Rank.SERGEANT if is_sergeant else Rank.CONSTABLE,
                        password_hash=password_hash,
                    )
                    accounts.membership_add(
                        actor=admin,
                        user=user,
                        team=team,
                        role=Role.SUPERVISOR if is_sergeant else Role.OFFICER,
                    )
                    if is_sergeant:
                        supervisors[key] = user
                    result.users += 1
            # In the demo force, the demo sergeants keep the records their teams create.
            supervisors.update(demo_supervisors)
            if index > 0:
                # Every other force gets its inspectors too, so that escalations reach someone.
                for key, scope in (("polit", Scope.TEAM), ("mosovo_1", Scope.FORCE)):
                    given, family, _gender = _person_name(rng)
                    inspector = _user(
                        admin,
                        email=f"{code}.{key}.inspector@{DEMO_DOMAIN}",
                        full_name=f"{given} {family}",
                        rank=Rank.INSPECTOR,
                        password_hash=password_hash,
                    )
                    accounts.membership_add(
                        actor=admin, user=inspector, team=teams[key], role=Role.MANAGER, scope=scope
                    )
                    result.users += 1
        with clock.replay(began):
            result.people += _people(
                supervisors, rng, teams, each, today, now=now, force_index=index
            )
        _say(stdout, f"  {name}: {len(teams)} teams and {result.people} people so far")
        _nominals(rng, teams, today, result, years=each.nominal_years)
        if index == 0:  # the demo force's partnership with Probation (its own random stream)
            from vigil.partners.synthetic import generate_partnership

            generate_partnership(
                admin=admin,
                force=force,
                teams=teams,
                rng=random.Random(f"partners:{code}"),
                today=today,
                domain=DEMO_DOMAIN,
                password_hash=password_hash,
            )
        _say(stdout, f"  {name}: {result.nominals} nominals so far, with their history")
        if each.referrals_per_week:
            _polit_history(rng, force, teams, each, today, result)
            _say(
                stdout,
                f"  {name}: {result.referrals} referrals and {result.investigations} investigations so far",
            )
    # The monthly dip-checks of the visit authorisations made (all forces so far at once).
    from vigil.offenders.synthetic import generate_dip_checks

    checked = generate_dip_checks(rng=rng, today=today)
    _say(stdout, f"  {checked['dip_checks']} visit authorisations dip-checked over the years")
    if plan.template:
        _replicate(admin, plan, rng, password_hash, result, stdout, began=began)
    return admin


def _force_and_teams(admin, code: str, name: str, name_cy: str) -> tuple[Force, dict[str, Team]]:
    """The force (made if new) and its teams by key (see team_plan)."""
    force = Force.objects.filter(code=code).first() or accounts.force_create(
        actor=admin, code=code, name=name, name_cy=name_cy
    )
    teams: dict[str, Team] = {}
    for key, team_name, team_name_cy, kind in team_plan():
        teams[key] = Team.objects.filter(force=force, name=team_name).first() or (
            accounts.team_create(
                actor=admin, force=force, name=team_name, name_cy=team_name_cy, kind=kind
            )
        )
    return force, teams


def _replicate(
    admin, plan: Scale, rng, password_hash: str, result: Result, stdout, *, began: dt.datetime
) -> None:
    """Bring every force to the plan's size with copies of the first force's case
    histories (generated through the services at the template's size).

    Steps: read the first force's histories; work out the staff each force needs (the
    template's staff carry STAFFED_FOR; officers are scaled up to the plan's caseload);
    top up the first force (its extra staff first) with copies of its own histories; then
    for each further force, make it, its teams and its staff, and fill it with copies.
    Each force draws its own share of flawed histories, so forces differ in compliance.
    """
    from vigil.offenders.models import Nominal
    from vigil.synthetic import replicate

    each = plan.template
    first = Force.objects.get(code=names.FORCES[0][0])
    template = replicate.read_template(
        first, {team_name: key for key, team_name, _cy, _kind in team_plan()}
    )
    counts = replicate.staff_counts(
        template,
        nominal_factor=plan.nominals_per_force / STAFFED_FOR[0],
        referral_factor=plan.referrals_per_week / STAFFED_FOR[1],
    )
    referral_factor = (
        plan.referrals_per_week / each.referrals_per_week if each.referrals_per_week else 0.0
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=template.staff)}
    existing: dict[tuple, list[User]] = {}
    for user_id, profile in sorted(template.staff.items()):
        existing.setdefault(profile, []).append(users[user_id])
    forces = [(first, 0, existing, False)]
    forces += [(None, index, {}, True) for index in range(1, plan.forces)]
    for force, index, staff, copy_others in forces:
        code, name, name_cy = names.FORCES[index]
        with clock.replay(began), transaction.atomic():
            force, teams = _force_and_teams(admin, code, name, name_cy)
            for profile in sorted(counts):
                team_key, role, rank, scope = profile
                have = staff.setdefault(profile, [])
                for n in range(len(have), counts[profile]):
                    given, family, _gender = _person_name(rng)
                    user = _user(
                        admin,
                        email=f"{code}.{team_key}.{role}.{rank}.{n + 1}@{DEMO_DOMAIN}",
                        full_name=f"{given} {family}",
                        rank=rank,
                        password_hash=password_hash,
                    )
                    accounts.membership_add(
                        actor=admin, user=user, team=teams[team_key], role=role, scope=scope
                    )
                    have.append(user)
                    result.users += 1
        in_force = Nominal.objects.filter(team__force=force).count()
        started = time.monotonic()
        built = replicate.build_force(
            template,
            replicate.Target(
                force=force,
                index=index,
                teams=teams,
                staff=staff,
                admin=admin,
                register_serial=_last_register_serial(force),
            ),
            rng=rng,
            nominals=plan.nominals_per_force - in_force,
            referral_factor=referral_factor - (0 if copy_others else 1),
            flaw_factor=math.exp(rng.gauss(0, 0.5)) if copy_others else 1.0,
            copy_others=copy_others,
            stdout=stdout,
        )
        if copy_others:
            result.forces += 1
            result.teams += len(teams)
        result.people += built.people
        result.nominals += built.nominals
        result.referrals += built.referrals
        result.investigations += built.investigations
        _say(
            stdout,
            f"  {name}: {built.nominals} nominals, {built.referrals} referrals "
            f"({built.records} records) copied from {template.force.name} "
            f"in {time.monotonic() - started:.0f} s",
        )


def _last_register_serial(force: Force) -> int:
    """The highest serial of the force's register references (NN/serial), or 0."""
    from vigil.people.models import Person

    references = Person.objects.filter(force=force).exclude(register_reference="")
    return max(
        (
            int(r.rsplit("/", 1)[-1])
            for r in references.values_list("register_reference", flat=True)
            if r.rsplit("/", 1)[-1].isdigit()
        ),
        default=0,
    )


def _register_reconciliation(admin, forces, seed: int, *, began: dt.datetime) -> int:
    """Register extracts that agree with the generated nominals except for a known set of
    discrepancies of every kind, each imported and reconciled at its moment (point I as
    of any date): every quarter from two months after the force began using Vigil, every
    four weeks over the last two years, and today's (seeded by `seed`), whose
    discrepancies are left to work. Each reconciliation closes what the one before found
    and its own extract no longer shows. Returns today's number of discrepancies."""
    from vigil.offenders.synthetic import _moment
    from vigil.register import services as register
    from vigil.register.synthetic import write_extract

    today = clock.today()
    recent = today - dt.timedelta(days=2 * 365 + 28)
    first = timezone.localdate(began) + dt.timedelta(days=60)
    days, day = [], today - dt.timedelta(days=28)
    while day >= first:  # back from today: four-weekly, then quarterly
        days.insert(0, day)
        day -= dt.timedelta(days=28 if day >= recent else 91)
    rng = random.Random(seed)
    for n, day in enumerate(days):
        with clock.replay(_moment(day, rng)):
            written = write_extract(forces=forces, seed=seed * 1000 + n + 1)
            imported = register.extract_import(
                actor=admin,
                filename=f"synthetic-register-extract-{day}.csv",
                content=written.content,
            )
            register.extract_run(actor=admin, extract=imported.extract)
    written = write_extract(forces=forces, seed=seed)
    imported = register.extract_import(
        actor=admin, filename="synthetic-register-extract.csv", content=written.content
    )
    register.extract_run(actor=admin, extract=imported.extract)
    return len(written.expected)


def _assurance_history(today: dt.date) -> int:
    """Evidence snapshots for the trend charts back to the start of the history: every
    Sunday and every month's last day, and every day of the last week (the days every
    trend reads: assurance.trends.stored_dates; the sweep keeps them daily from now on).
    Each day of every force in one grouped query per metric, written in bulk."""
    from vigil.accounts.models import Force
    from vigil.assurance import trends
    from vigil.assurance.services import snapshot_backfill_days

    began = Force.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if began is None:
        return 0
    start = timezone.localtime(began).date()
    return snapshot_backfill_days(trends.stored_dates(start, today))


def _say(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")
        stdout.flush()


def _staff(team: Team, role: str) -> list[User]:
    return list(
        User.objects.filter(memberships__team=team, memberships__role=role).order_by("email")
    )


def _nominals(rng, teams: dict[str, Team], today: dt.date, result: Result, *, years: int) -> None:
    """Register the MOSOVO teams' people as nominals with years of history (offenders app)."""
    from vigil.offenders.synthetic import generate_nominals
    from vigil.people.models import Person

    mosovo = [teams["mosovo_1"], teams["mosovo_2"]]
    counts = generate_nominals(
        rng=rng,
        people=Person.objects.filter(team__in=mosovo).order_by("register_reference", "id"),
        managers={t.pk: _staff(t, Role.OFFICER) for t in mosovo},
        supervisors={t.pk: _staff(t, Role.SUPERVISOR)[0] for t in mosovo},
        today=today,
        years=years,
    )
    result.nominals += counts["nominals"]


def _polit_history(
    rng, force, teams: dict[str, Team], plan: Scale, today: dt.date, result: Result
) -> None:
    """Referrals for the force's POLIT team over the years, then the investigations their
    allocation opened, driven through their lifecycles (each app's own generator)."""
    from vigil.investigations.models import Investigation
    from vigil.investigations.synthetic import (
        generate_investigation_history,
        resolve_escalations,
    )
    from vigil.referrals.synthetic import generate_referrals

    polit = teams["polit"]
    counts = generate_referrals(
        rng=rng,
        force=force,
        polit_team=polit,
        other_teams=[teams["cid"], teams["ppu"]],
        officers=_staff(polit, Role.OFFICER),
        supervisors=_staff(polit, Role.SUPERVISOR),
        today=today,
        per_week=plan.referrals_per_week,
        years=plan.referral_years,
    )
    result.referrals += counts["referrals"]
    investigations = list(
        Investigation.objects.filter(owning_team=polit).order_by("opened_at", "id")
    )
    generate_investigation_history(
        rng=rng,
        investigations=investigations,
        supervisors=_staff(polit, Role.SUPERVISOR),
        inspectors=_staff(polit, Role.MANAGER),
        today=today,
    )
    resolve_escalations(
        rng=rng, supervisors=_staff(polit, Role.SUPERVISOR) + _staff(polit, Role.MANAGER)
    )
    result.investigations += len(investigations)


def _user(actor, *, email: str, full_name: str, rank: str, password_hash: str) -> User:
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    user = accounts.user_create(
        actor=actor, email=email, full_name=full_name, password=None, rank=rank, validate=False
    )
    User.objects.filter(pk=user.pk).update(password=password_hash)
    user.password = password_hash
    return user


def _people(
    supervisors: dict[str, User],
    rng: random.Random,
    teams: dict[str, Team],
    plan: Scale,
    today: dt.date,
    *,
    now: dt.datetime,
    force_index: int,
) -> int:
    """Registered offenders for the MOSOVO teams and suspects for POLIT, via the people
    services, each recorded by the team's supervisor (when the force began using Vigil:
    the caller replays that moment)."""
    from vigil.people import services as people

    created = 0
    batches = [
        ("mosovo_1", plan.nominals_per_force // 2),
        ("mosovo_2", plan.nominals_per_force - plan.nominals_per_force // 2),
        ("polit", plan.suspects_per_force),
    ]
    serial = 0
    began = clock.today()  # the day the force began using Vigil (replayed by the caller)
    for team_key, count in batches:
        team = teams[team_key]
        admin = supervisors[team_key]
        with transaction.atomic():
            for _ in range(count):
                serial += 1
                given, family, gender = _person_name(rng)
                nominal = team_key.startswith("mosovo")
                dob = _date_of_birth(
                    rng, today, min_age=19 if nominal else 16, max_age=80 if nominal else 70
                )
                person = people.person_create(
                    actor=admin,
                    team=team,
                    given_name=given,
                    family_name=family,
                    date_of_birth=dob,
                    gender=gender,
                    pnc_id=draw.pnc_id(rng) if nominal or rng.random() < 0.4 else "",
                    register_reference=f"{force_index + 1:02d}/{serial:06d}" if nominal else "",
                    language="cy" if rng.random() < 0.18 else "en",
                    confirm_not_duplicate=True,
                )
                town, district = rng.choice(names.TOWNS)
                people.address_add(
                    actor=admin,
                    person=person,
                    line1=f"{rng.randint(1, 120)} {rng.choice(names.STREETS)}",
                    town=town,
                    postcode=f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    valid_from=began - dt.timedelta(days=rng.randint(30, 3000)),
                )
                if rng.random() < 0.15:
                    alias_given, alias_family, _g = _person_name(rng)
                    if (alias_given, alias_family) == (given, family):
                        alias_family = rng.choice([f for f in names.FAMILY if f != family])
                    people.alias_add(
                        actor=admin, person=person, given_name=alias_given, family_name=alias_family
                    )
                if not nominal and rng.random() < 0.7:
                    handle = f"{given.lower()}{rng.randint(10, 9999)}"
                    people.identifier_add(
                        actor=admin,
                        person=person,
                        kind="username",
                        value=handle,
                        platform=rng.choice(["Snapchat", "Instagram", "Kik", "Discord", "TikTok"]),
                    )
                if rng.random() < 0.12:
                    people.child_link_add(
                        actor=admin,
                        person=person,
                        child_name=f"Child {rng.choice('ABCDEFGHJK')}",
                        relationship=rng.choice(["in_household", "has_access"]),
                        date_of_birth=began - dt.timedelta(days=rng.randint(365, 17 * 365)),
                    )
                if rng.random() < RESTRICTED_SHARE:
                    # A restriction made some weeks or months ago, so that some of the
                    # reviews it opened are now due or overdue.
                    with clock.replay(now - dt.timedelta(days=rng.randint(10, 300))):
                        people.person_restrict(
                            actor=admin,
                            person=person,
                            users=[],
                            reason=rng.choice(RESTRICTION_REASONS),
                        )
                created += 1
    return created
