"""Register reconciliation's writes: importing an extract, reconciling it in steps, and
the discrepancy workflow (assign, resolve). Each is atomic, audited, and opens or closes
its duties in the same transaction.

An import runs in two parts so that a large file shows its progress without a job queue:

1. `extract_import` checks every row of the file (nothing is written if any row is bad)
   and stores the rows with the extract, in one transaction;
2. `extract_reconcile_step` does the next chunk of reconciliation in its own
   transaction and returns; the upload page calls it on each progress poll, the command
   line and the API in a loop (`extract_run`). A step claims its chunk with a conditional
   UPDATE, so two pollers never do the same work, and an interrupted import carries on
   from where it stopped at the next step.

What reconciliation finds is staged as "pending" discrepancies and published by the last
step in one transaction (pending become open, open ones no longer found close as agreed),
so that nobody sees a half-reconciled picture.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.models import Force
from vigil.core import clock
from vigil.core.calendar import add_working_days, end_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.imports import FileRejected
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import Nominal
from vigil.people import normalise
from vigil.register import duty_kinds, importing, reconcile, selectors
from vigil.register.choices import (
    USER_RESOLUTIONS,
    DiscrepancyKind,
    DiscrepancyStatus,
    ExtractStatus,
    Field,
    MatchKind,
    Resolution,
)
from vigil.register.models import Discrepancy, Extract, ExtractForce, RegisterRow

# Register rows reconciled per step (one progress poll): a few seconds' work at most.
CHUNK_ROWS = 5000
INSERT_BATCH = 2000


# The file has bad rows: nothing was written (the error every bulk import shares).
ExtractRejected = FileRejected


@dataclass
class ImportResult:
    extract: Extract
    already_imported: bool = False


def _covered_ids(extract: Extract) -> list[int]:
    return list(extract.force_links.values_list("force_id", flat=True))


def _require_importer(actor, force_ids) -> None:
    allowed = selectors.import_force_ids(actor)
    if not allowed:
        raise PermissionDenied(
            _(
                "Only a supervisor or manager of a MOSOVO team, or an administrator, can "
                "import register extracts."
            )
        )
    missing = set(force_ids) - allowed
    if missing:
        names = ", ".join(
            Force.objects.filter(pk__in=missing).order_by("name").values_list("name", flat=True)
        )
        raise PermissionDenied(
            _("The file holds nominals of forces you cannot import for: %(forces)s")
            % {"forces": names},
            field="file",
        )


@transaction.atomic
def extract_import(*, actor, filename: str, content: bytes) -> ImportResult:
    """Receive a register extract file (CSV or JSON): check it and store its rows.

    Steps: the actor imports for some force (else 403); a file whose SHA-256 is already
    known changes nothing (`already_imported`); every row is checked (fields, dates,
    values, forces known, references unique, file not cut off) and any problem rejects
    the whole file listing each line; the actor must import for every force the rows
    name; no other extract of those forces may still be reconciling (finish it first);
    the extract, its forces and its rows are written; audited. Reconciliation follows
    with `extract_reconcile_step`.
    """
    if not selectors.can_import(actor):
        _require_importer(actor, [])
    digest = hashlib.sha256(content).hexdigest()
    earlier = Extract.objects.filter(file_hash=digest).first()
    if earlier is not None:
        return ImportResult(extract=earlier, already_imported=True)
    forces = {code.lower(): pk for pk, code in Force.objects.values_list("pk", "code")}
    parsed = importing.parse(content, filename, forces=forces, today=clock.today())
    if parsed.problems:
        raise ExtractRejected(parsed.problems)
    per_force = Counter(row["force_id"] for row in parsed.rows)
    _require_importer(actor, per_force)
    busy = Extract.objects.filter(
        status=ExtractStatus.RECONCILING, force_links__force_id__in=list(per_force)
    ).first()
    if busy is not None:
        raise Conflict(
            _(
                "Extract %(file)s is still being reconciled for the same force: open it to "
                "let it finish, then import this file."
            )
            % {"file": busy.filename}
        )
    extract = Extract.objects.create(
        file_hash=digest,
        filename=(filename or "extract")[:255],
        file_format=parsed.file_format,
        row_count=len(parsed.rows),
        imported_by=actor,
    )
    ExtractForce.objects.bulk_create(
        ExtractForce(extract=extract, force_id=fid, rows=n) for fid, n in per_force.items()
    )
    RegisterRow.objects.bulk_create(
        (RegisterRow(extract=extract, **row) for row in parsed.rows), batch_size=INSERT_BATCH
    )
    audit.record(
        actor,
        "register.extract_import",
        extract,
        changes={
            "file": extract.filename,
            "sha256": digest,
            "format": parsed.file_format,
            "rows": len(parsed.rows),
            "forces": sorted(
                Force.objects.filter(pk__in=list(per_force)).values_list("code", flat=True)
            ),
        },
    )
    return ImportResult(extract=extract)


def _finding(extract, *, kind, force_id, key, **values) -> Discrepancy:
    return Discrepancy(
        kind=kind,
        force_id=force_id,
        key=key,
        found_in=extract,
        last_seen_in=extract,
        status=DiscrepancyStatus.PENDING,
        **values,
    )


def _stage(extract: Extract, covered: list[int], findings: list[Discrepancy]) -> int:
    """Merge findings with what is already open: an open discrepancy found again stays open
    (now last seen in this extract, with the values as they now are); one resolved as
    explained with the same values is not raised again; the rest are staged as pending.
    Returns the number staged. Three queries and the inserts."""
    if not findings:
        return 0
    keys = [f.key for f in findings]
    existing = {
        d.key: d
        for d in Discrepancy.objects.filter(
            force_id__in=covered, status=DiscrepancyStatus.OPEN, key__in=keys
        ).only("pk", "key", "register_value", "vigil_value")
    }
    explained: dict[str, set] = {}
    for key, reg, vig in Discrepancy.objects.filter(
        force_id__in=covered,
        status=DiscrepancyStatus.CLOSED,
        resolution=Resolution.EXPLAINED,
        key__in=keys,
    ).values_list("key", "register_value", "vigil_value"):
        explained.setdefault(key, set()).add((reg, vig))
    seen = []
    new = []
    for finding in findings:
        old = existing.get(finding.key)
        if old is not None:
            seen.append(old.pk)
            if (old.register_value, old.vigil_value) != (
                finding.register_value,
                finding.vigil_value,
            ):
                Discrepancy.objects.filter(pk=old.pk).update(
                    register_value=finding.register_value, vigil_value=finding.vigil_value
                )
        elif (finding.register_value, finding.vigil_value) in explained.get(finding.key, ()):
            continue
        else:
            new.append(finding)
    if seen:
        Discrepancy.objects.filter(pk__in=seen).update(last_seen_in=extract)
    Discrepancy.objects.bulk_create(new, batch_size=INSERT_BATCH)
    return len(new)


ROW_FIELDS = (
    "id",
    "line",
    "register_reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "mappa_category",
    "mappa_level",
    "risk_level",
    "force_id",
    "force__code",
    "managing_officer",
    "notification_start",
    "notification_end",
    "status",
)


def _reconcile_chunk(extract: Extract, covered: list[int], rows: list[dict]) -> dict:
    """Match a chunk of register rows to nominals and stage what differs.

    Steps: load the nominals of the covered forces whose register reference is in the
    chunk (first by id when two people share a reference); for rows left unmatched, look
    for exactly one nominal with the same name and date of birth whose reference is not
    anywhere in the extract and that no other row has matched (a weaker match, flagged);
    load those nominals' details in three queries; compare field by field; record the
    matches on the rows; stage the findings."""
    counts = Counter()
    candidates = Nominal.objects.filter(team__force_id__in=covered)
    by_ref: dict[str, int] = {}
    for nid, ref in (
        candidates.filter(person__register_reference__in=[r["register_reference"] for r in rows])
        .order_by("-pk")
        .values_list("pk", "person__register_reference")
    ):
        by_ref[ref] = nid  # ordered by -pk: the lowest id wins
    unmatched = [r for r in rows if r["register_reference"] not in by_ref]
    weak: dict[int, int] = {}  # row id -> nominal id
    if unmatched:
        in_extract = RegisterRow.objects.filter(
            extract=extract, register_reference=OuterRef("person__register_reference")
        )
        already = RegisterRow.objects.filter(extract=extract, nominal_id=OuterRef("pk"))
        possible: dict[tuple, list[int]] = {}
        for nid, name, dob in (
            candidates.filter(
                person__date_of_birth__in={r["date_of_birth"] for r in unmatched},
                person__search_name__in={
                    normalise.search_name(r["given_name"], r["family_name"]) for r in unmatched
                },
            )
            .exclude(Exists(in_extract))
            .exclude(Exists(already))
            .values_list("pk", "person__search_name", "person__date_of_birth")
        ):
            possible.setdefault((name, dob), []).append(nid)
        used: set[int] = set()
        for r in unmatched:
            key = (normalise.search_name(r["given_name"], r["family_name"]), r["date_of_birth"])
            found = [n for n in possible.get(key, []) if n not in used]
            if len(found) == 1:
                weak[r["id"]] = found[0]
                used.add(found[0])
    vigil = reconcile.load_nominals(
        Nominal.objects.filter(pk__in=[*by_ref.values(), *weak.values()])
    )
    findings: list[Discrepancy] = []
    matched_rows: dict[int, tuple[int, str]] = {}
    for row in rows:
        row["force_code"] = row["force__code"]
        reg = reconcile.register_values(row)
        nid = by_ref.get(row["register_reference"])
        match = MatchKind.REFERENCE
        if nid is None:
            nid = weak.get(row["id"])
            match = MatchKind.NAME_DOB
        if nid is None:
            counts["not_in_vigil"] += 1
            findings.append(
                _finding(
                    extract,
                    kind=DiscrepancyKind.NOT_IN_VIGIL,
                    force_id=row["force_id"],
                    key=f"niv:{row['register_reference']}",
                    register_reference=row["register_reference"],
                    register_value=reconcile.summary(reg),
                    register_details={
                        k: reconcile.display(v) for k, v in reg.items() if v not in ("", None)
                    }
                    | {"line": row["line"]},
                )
            )
            continue
        matched_rows[row["id"]] = (nid, match)
        counts["reference" if match == MatchKind.REFERENCE else "name_dob"] += 1
        mine = vigil[nid]
        fields = reconcile.COMPARED
        if match == MatchKind.NAME_DOB:
            fields = [Field.REGISTER_REFERENCE, *fields]
        for name, reg_value, vigil_value in reconcile.differences(reg, mine, fields=fields):
            counts["fields"] += 1
            findings.append(
                _finding(
                    extract,
                    kind=DiscrepancyKind.FIELD_DIFFERS,
                    force_id=mine["force_id"],
                    key=f"fd:{nid}:{name}",
                    field=name,
                    nominal_id=nid,
                    team_id=mine["team_id"],
                    register_reference=row["register_reference"],
                    match=match,
                    register_value=reg_value[:400],
                    vigil_value=vigil_value[:400],
                )
            )
    # Record the matches: by reference in one UPDATE each, the weaker ones row by row.
    reference_rows = [rid for rid, (_n, m) in matched_rows.items() if m == MatchKind.REFERENCE]
    if reference_rows:
        nominal_for = Nominal.objects.filter(
            team__force_id__in=covered,
            person__register_reference=OuterRef("register_reference"),
        ).order_by("pk")
        RegisterRow.objects.filter(pk__in=reference_rows).update(
            nominal_id=Subquery(nominal_for.values("pk")[:1]), match=MatchKind.REFERENCE
        )
    for row_id, nid in weak.items():
        RegisterRow.objects.filter(pk=row_id).update(nominal_id=nid, match=MatchKind.NAME_DOB)
    counts["staged"] = _stage(extract, covered, findings)
    return counts


def _finish(actor, extract: Extract, covered: list[int]) -> dict:
    """The last step: active nominals of the covered forces that no row matched are staged
    as not on the register; then, at one moment, pending discrepancies open and open ones
    this extract did not find again close as agreed (completing their duties)."""
    now = clock.now()
    unmatched = Nominal.objects.filter(
        team__force_id__in=covered, status=NominalStatus.ACTIVE
    ).exclude(Exists(RegisterRow.objects.filter(extract=extract, nominal_id=OuterRef("pk"))))
    vigil = reconcile.load_nominals(unmatched)
    findings = [
        _finding(
            extract,
            kind=DiscrepancyKind.NOT_ON_REGISTER,
            force_id=n["force_id"],
            key=f"nor:{nid}",
            nominal_id=nid,
            team_id=n["team_id"],
            register_reference=n[Field.REGISTER_REFERENCE],
            vigil_value=reconcile.summary(n),
        )
        for nid, n in vigil.items()
    ]
    staged = _stage(extract, covered, findings)
    opened = Discrepancy.objects.filter(found_in=extract, status=DiscrepancyStatus.PENDING).update(
        status=DiscrepancyStatus.OPEN, opened_at=now
    )
    agreed = Discrepancy.objects.filter(
        force_id__in=covered, status=DiscrepancyStatus.OPEN
    ).exclude(last_seen_in=extract)
    closing = list(agreed.filter(assignee__isnull=False).only("pk", "uuid"))
    closed_uuids = [str(u) for u in agreed.values_list("uuid", flat=True)]
    closed = agreed.update(
        status=DiscrepancyStatus.CLOSED,
        resolution=Resolution.AGREED,
        closed_at=now,
        closed_by_extract=extract,
        updated_at=now,
    )
    for discrepancy in closing:
        duties.duty_complete(actor=actor, kind=duty_kinds.DISCREPANCY, subject=discrepancy)
    return {
        "not_on_register": len(findings),
        "staged": staged,
        "opened": opened,
        "closed": closed,
        "closed_uuids": closed_uuids,
    }


@transaction.atomic
def extract_reconcile_step(*, actor, extract: Extract, chunk_rows: int | None = None) -> Extract:
    """Do the next piece of an extract's reconciliation (see the module's docstring).

    Steps: the actor imports for every force the extract covers (else 404 or 403); a
    complete extract is returned as it is; otherwise take the next `chunk_rows` rows after
    the cursor (default CHUNK_ROWS) and claim them by moving the cursor with a conditional UPDATE (if another
    step moved it first, do nothing); reconcile the chunk; or, with no rows left, claim
    the finish by marking the extract complete, then stage the nominals not on the
    register, publish and close; audit the reconciliation. Returns the extract as it now
    stands."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    covered = _covered_ids(extract)
    if not set(covered) & selectors.import_force_ids(actor):
        raise NotFound(_("There is no such extract, or you do not have access to it."))
    _require_importer(actor, covered)
    state = Extract.objects.filter(pk=extract.pk).values("status", "cursor").first()
    if state is None:
        raise NotFound(_("There is no such extract, or you do not have access to it."))
    if state["status"] == ExtractStatus.COMPLETE:
        extract.refresh_from_db()
        return extract
    rows = list(
        RegisterRow.objects.filter(extract=extract, id__gt=state["cursor"])
        .order_by("id")
        .values(*ROW_FIELDS)[:chunk_rows]
    )
    if rows:
        claimed = Extract.objects.filter(pk=extract.pk, cursor=state["cursor"]).update(
            cursor=rows[-1]["id"], rows_done=F("rows_done") + len(rows)
        )
        if claimed:
            counts = _reconcile_chunk(extract, covered, rows)
            Extract.objects.filter(pk=extract.pk).update(
                matched_by_reference=F("matched_by_reference") + counts["reference"],
                matched_by_name=F("matched_by_name") + counts["name_dob"],
                not_in_vigil=F("not_in_vigil") + counts["not_in_vigil"],
                fields_differing=F("fields_differing") + counts["fields"],
            )
        extract.refresh_from_db()
        return extract
    now = clock.now()
    claimed = Extract.objects.filter(pk=extract.pk, status=ExtractStatus.RECONCILING).update(
        status=ExtractStatus.COMPLETE, completed_at=now
    )
    extract.refresh_from_db()
    if not claimed:
        return extract
    result = _finish(actor, extract, covered)
    Extract.objects.filter(pk=extract.pk).update(
        not_on_register=result["not_on_register"],
        opened_count=result["opened"],
        closed_count=result["closed"],
    )
    extract.refresh_from_db()
    audit.record(
        actor,
        "register.extract_reconcile",
        extract,
        changes={
            "rows": extract.row_count,
            "matched_by_reference": extract.matched_by_reference,
            "matched_by_name_and_date_of_birth": extract.matched_by_name,
            "not_in_vigil": extract.not_in_vigil,
            "not_on_register": extract.not_on_register,
            "fields_differing": extract.fields_differing,
            "opened": extract.opened_count,
            "closed_as_agreed": result["closed_uuids"],
        },
    )
    return extract


def extract_run(
    *, actor, extract: Extract, progress: Callable[[Extract], None] | None = None
) -> Extract:
    """Reconcile an extract to the end, step by step (command line, API, tests), calling
    `progress(extract)` after each step."""
    while extract.status != ExtractStatus.COMPLETE:
        before = (extract.cursor, extract.status)
        extract = extract_reconcile_step(actor=actor, extract=extract)
        if progress is not None:
            progress(extract)
        if (extract.cursor, extract.status) == before:  # pragma: no cover - another worker
            extract.refresh_from_db()
    return extract


# --- the discrepancy workflow ------------------------------------------------------------------


def _locked(actor, discrepancy: Discrepancy) -> Discrepancy:
    locked = (
        selectors.discrepancies_for(actor)
        .select_for_update(of=("self",))
        .select_related("nominal__person", "team", "force", "assignee")
        .filter(pk=discrepancy.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("There is no such record, or you do not have access to it."))
    if not selectors.can_manage(actor, locked):
        raise PermissionDenied(
            _("Only a supervisor or manager of the team can assign or resolve discrepancies.")
        )
    if locked.status != DiscrepancyStatus.OPEN:
        raise Conflict(_("This discrepancy is closed: nothing more can be done to it."))
    return locked


def _person(discrepancy: Discrepancy):
    return discrepancy.nominal.person if discrepancy.nominal_id else None


@transaction.atomic
def discrepancy_assign(*, actor, discrepancy: Discrepancy, assignee) -> Discrepancy:
    """Give an open discrepancy to an officer to put right.

    Steps: the actor supervises or manages the discrepancy's team (or a MOSOVO team of its
    force when it has none); it is open; the assignee is an active casework user who may
    be given it, and not the one it is already with; save; open the duty (due in the
    policy's working days) or move the open one to the new assignee; audit."""
    locked = _locked(actor, discrepancy)
    if assignee is None:
        raise ValidationFailed(_("Choose who to assign the discrepancy to"), field="assignee")
    allowed = selectors.assignable_users(user=actor, discrepancy=locked)
    if not allowed.filter(pk=assignee.pk).exists():
        raise ValidationFailed(
            _("Choose an officer who works on this nominal's team"), field="assignee"
        )
    if locked.assignee_id == assignee.pk:
        raise ValidationFailed(
            _("The discrepancy is already assigned to %(name)s. Choose someone else.")
            % {"name": assignee.full_name},
            field="assignee",
        )
    before = locked.assignee.email if locked.assignee_id else None
    now = clock.now()
    locked.assignee = assignee
    locked.assigned_at = now
    locked.save(update_fields=["assignee", "assigned_at", "updated_at"])
    if before is not None:
        duties.duty_complete(actor=actor, kind=duty_kinds.DISCREPANCY, subject=locked)
    team = locked.team
    if team is None:
        teams = selectors.supervised_mosovo_teams(user=actor, force_id=locked.force_id)
        team = (
            teams.filter(memberships__user=assignee).first()
            or teams.first()
            or access.primary_team(assignee)
        )
    days = policy_value("register.discrepancy_working_days")
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.DISCREPANCY,
        subject=locked,
        team=team,
        person=_person(locked),
        assignee=assignee,
        risk_level=(locked.nominal.risk_level if locked.nominal_id else "") or "low",
        due_at=end_of_day(add_working_days(clock.today(), days)),
        note=str(locked)[:300],
    )
    audit.record(
        actor,
        "register.discrepancy_assign",
        locked,
        changes={"assignee": [before, assignee.email]},
        person=_person(locked),
    )
    return locked


@transaction.atomic
def discrepancy_resolve(
    *, actor, discrepancy: Discrepancy, resolution: str, note: str
) -> Discrepancy:
    """Close an open discrepancy as corrected in Vigil, register to be corrected, or
    explained, with a note.

    Steps: the actor supervises or manages it (as for assigning); it is open; a known
    resolution and a note are given; close; complete its duty; audit. A later extract that
    still disagrees raises it again, except one explained with the same two values."""
    locked = _locked(actor, discrepancy)
    note = (note or "").strip()
    errors = []
    if resolution not in [str(r) for r in USER_RESOLUTIONS]:
        errors.append(
            (
                "resolution",
                _("Choose corrected in Vigil, register to be corrected, or explained"),
            )
        )
    if not note:
        errors.append(("note", _("Enter a note saying what was done or why")))
    elif len(note) > 2000:
        errors.append(("note", _("The note must be 2,000 characters or fewer")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    now = clock.now()
    locked.status = DiscrepancyStatus.CLOSED
    locked.resolution = resolution
    locked.resolution_note = note
    locked.closed_at = now
    locked.closed_by = actor
    locked.save(
        update_fields=[
            "status",
            "resolution",
            "resolution_note",
            "closed_at",
            "closed_by",
            "updated_at",
        ]
    )
    duties.duty_complete(actor=actor, kind=duty_kinds.DISCREPANCY, subject=locked)
    audit.record(
        actor,
        "register.discrepancy_resolve",
        locked,
        changes={"resolution": resolution, "note": note},
        person=_person(locked),
    )
    return locked
