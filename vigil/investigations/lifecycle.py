"""The investigation lifecycle: every allowed move of an investigation's state, in one table.

    research → awaiting enforcement → enforcement → post-arrest
    post-arrest → on bail | released under investigation (RUI) | charged | no further action
    charged | no further action → closed

Each move is either MANUAL (an officer records it with `services.investigation_transition`)
or made by a DECISION (`services.enforcement_decision_record` records the decision and makes
the move). A decision-only move refused as a manual one says which decision to record.

Rules the table encodes (decided for Vigil; a force changes them here, in code review):
- An enforcement decision (arrest, voluntary attendance, no further action) can be made in
  research or awaiting enforcement; arrest and voluntary attendance move to enforcement.
- Enforcement carried out (the suspect arrested or interviewed) moves to post-arrest, where
  the decision after arrest is due: pre-charge bail, release under investigation, charge,
  caution or no further action.
- A caution ends the investigation (closed); a charge or no further action stay visible as
  outcomes until the officer closes the investigation.
- Returning from bail, or re-interviewing a suspect released under investigation, goes back
  to post-arrest, where a new decision is due.
- No further action and closed can be reopened to research on new intelligence.
- Research cannot be closed by hand: no further action is a decision, with its rationale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.investigations.choices import DecisionKind, DecisionPointKind, State

MANUAL = "manual"
DECISION = "decision"


@dataclass(frozen=True)
class Move:
    to: str
    how: str  # MANUAL or DECISION
    label: str | Promise = ""  # what the officer is recording (manual moves)


S = State
MOVES: dict[str, dict[str, Move]] = {
    S.RESEARCH: {
        S.AWAITING_ENFORCEMENT: Move(
            S.AWAITING_ENFORCEMENT, MANUAL, _("Research complete: ready for enforcement")
        ),
        S.ENFORCEMENT: Move(S.ENFORCEMENT, DECISION),
        S.NFA: Move(S.NFA, DECISION),
    },
    S.AWAITING_ENFORCEMENT: {
        S.RESEARCH: Move(S.RESEARCH, MANUAL, _("More research needed before enforcement")),
        S.ENFORCEMENT: Move(S.ENFORCEMENT, DECISION),
        S.NFA: Move(S.NFA, DECISION),
    },
    S.ENFORCEMENT: {
        S.POST_ARREST: Move(
            S.POST_ARREST, MANUAL, _("Enforcement carried out: suspect arrested or interviewed")
        ),
        S.AWAITING_ENFORCEMENT: Move(
            S.AWAITING_ENFORCEMENT, MANUAL, _("Enforcement did not go ahead")
        ),
    },
    S.POST_ARREST: {
        S.ON_BAIL: Move(S.ON_BAIL, DECISION),
        S.RUI: Move(S.RUI, DECISION),
        S.CHARGED: Move(S.CHARGED, DECISION),
        S.NFA: Move(S.NFA, DECISION),
        S.CLOSED: Move(S.CLOSED, DECISION),
    },
    S.ON_BAIL: {
        S.POST_ARREST: Move(S.POST_ARREST, MANUAL, _("Suspect returned on bail: decision due")),
        S.RUI: Move(S.RUI, DECISION),
        S.CHARGED: Move(S.CHARGED, DECISION),
        S.NFA: Move(S.NFA, DECISION),
        S.CLOSED: Move(S.CLOSED, DECISION),
    },
    S.RUI: {
        S.POST_ARREST: Move(
            S.POST_ARREST, MANUAL, _("Suspect re-interviewed or re-arrested: decision due")
        ),
        S.ON_BAIL: Move(S.ON_BAIL, DECISION),
        S.CHARGED: Move(S.CHARGED, DECISION),
        S.NFA: Move(S.NFA, DECISION),
        S.CLOSED: Move(S.CLOSED, DECISION),
    },
    S.CHARGED: {
        S.CLOSED: Move(S.CLOSED, MANUAL, _("Case finished: close the investigation")),
    },
    S.NFA: {
        S.CLOSED: Move(S.CLOSED, MANUAL, _("Close the investigation")),
        S.RESEARCH: Move(S.RESEARCH, MANUAL, _("Reopen on new intelligence")),
    },
    S.CLOSED: {
        S.RESEARCH: Move(S.RESEARCH, MANUAL, _("Reopen on new intelligence")),
    },
}

# For each decision: the states it may be recorded in, and the state it moves to.
_PRE = frozenset({S.RESEARCH, S.AWAITING_ENFORCEMENT})
_POST = frozenset({S.POST_ARREST, S.ON_BAIL, S.RUI})
D = DecisionKind
DECISIONS: dict[str, tuple[frozenset[str], str]] = {
    D.ARREST: (_PRE, S.ENFORCEMENT),
    D.VOLUNTARY_ATTENDANCE: (_PRE, S.ENFORCEMENT),
    D.NFA: (_PRE | _POST, S.NFA),
    D.PRE_CHARGE_BAIL: (frozenset({S.POST_ARREST, S.RUI}), S.ON_BAIL),
    D.RUI: (frozenset({S.POST_ARREST, S.ON_BAIL}), S.RUI),
    D.CHARGE: (_POST, S.CHARGED),
    D.CAUTION: (_POST, S.CLOSED),
}

# Entering these states opens a decision point (a decision is then due by policy).
DECISION_POINT_ON_ENTRY = {
    S.AWAITING_ENFORCEMENT: DecisionPointKind.ENFORCEMENT,
    S.POST_ARREST: DecisionPointKind.POST_ARREST,
}


def _check_table() -> None:
    """Every decision's move is a DECISION move of the table (checked on import)."""
    for kind, (sources, target) in DECISIONS.items():
        for source in sources:
            move = MOVES.get(source, {}).get(target)
            if move is None or move.how != DECISION:
                raise RuntimeError(f"Decision {kind} from {source} to {target} is not in MOVES")


_check_table()


def move(from_state: str, to_state: str) -> Move | None:
    return MOVES.get(from_state, {}).get(to_state)


def manual_moves(state: str) -> list[Move]:
    """The moves an officer may record by hand from `state`, in table order."""
    return [m for m in MOVES.get(state, {}).values() if m.how == MANUAL]


def decisions_allowed(state: str) -> list[str]:
    """The decisions that may be recorded in `state`, in DecisionKind order."""
    return [kind for kind in DecisionKind.values if state in DECISIONS[kind][0]]


def decision_point_kind(decision: str, state: str) -> str:
    """Which decision point a decision made in `state` settles."""
    if state in _PRE:
        return DecisionPointKind.ENFORCEMENT
    return DecisionPointKind.POST_ARREST
