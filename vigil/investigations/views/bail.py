"""Pre-charge bail pages (point F): an investigation's bail, extending it, the links to
a bail, and the bail board.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, Rank
from vigil.core import clock
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.core.policy_registry import policy_value
from vigil.investigations import forms, selectors, services
from vigil.investigations.choices import NEXT_STAGE, BailStage
from vigil.investigations.views.common import _can_work, _posted, _work_page, investigation_page


def _active_bail_or_404(investigation):
    bail = selectors.active_bail(investigation)
    if bail is None:
        raise Http404
    bail.investigation = investigation
    return bail


@investigation_page()
def investigation_bail(request, investigation):
    bails = selectors.bail_history(investigation)
    active = next((b for b in bails if b.ended_at is None), None)
    next_stage = NEXT_STAGE[active.stage] if active else None
    next_rank = (
        str(Rank(services.bail_stage_rank(next_stage)).label).lower()
        if next_stage and next_stage != BailStage.COURT
        else ""
    )
    pending = (
        next((a for a in active.court_applications.all() if not a.outcome), None)
        if active
        else None
    )
    return render(
        request,
        "investigations/bail.html",
        {
            "investigation": investigation,
            "bails": bails,
            "active": active,
            "next_stage": next_stage,
            "next_rank": next_rank,
            "pending_application": pending,
            "can_work": _can_work(request.user, investigation),
            "now": clock.now(),
            "nav": "bail",
        },
    )


def _bail_form_page(request, investigation, *, form, template, action, success, extra=None):
    """A form page that changes the active bail: on a valid POST call `action(data)`."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("investigations:bail", uuid=investigation.uuid)
    return render(
        request,
        template,
        {"investigation": investigation, "form": form, "nav": "bail", **(extra or {})},
    )


@_work_page
def bail_extend(request, investigation):
    bail = _active_bail_or_404(investigation)
    stage = NEXT_STAGE[bail.stage]
    if stage == BailStage.COURT:
        return redirect("investigations:bail-court-application", uuid=investigation.uuid)
    return _bail_form_page(
        request,
        investigation,
        form=forms.BailExtendForm(_posted(request)),
        template="investigations/bail_extend.html",
        action=lambda data: services.bail_extend(
            actor=request.user, bail=bail, rationale=data["rationale"]
        ),
        success=_("Bail has been extended."),
        extra={
            "bail": bail,
            "stage": BailStage(stage),
            "rank": str(Rank(services.bail_stage_rank(stage)).label).lower(),
            "new_end": services.bail_stage_end(bail.start_date, stage, clock.now()),
        },
    )


@signed_in
def bail_redirect(request, uuid):
    """A duty's link to a bail: to its investigation's bail page."""
    try:
        bail = selectors.get_bail_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    return redirect("investigations:bail", uuid=bail.investigation.uuid)


def _supervised_metric(user):
    """Point F's figure over the teams the user supervises (None for officers)."""
    from django.db.models import Q

    from vigil.accounts.models import Team

    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    if not (team_ids or force_ids):
        return None
    teams = Team.objects.filter(Q(id__in=team_ids) | Q(force_id__in=force_ids))
    return selectors.bail_check_metric(teams=teams)


@role_required("officer", "supervisor", "manager", admin_ok=False)
def bail_board(request):
    days = policy_value("investigations.bail_expiry_warning_days")
    show_all = request.GET.get("all") == "1"
    expiring, checks = selectors.bail_board(
        user=request.user, expiring_days=None if show_all else days
    )
    page_obj = paginate(request, expiring)
    return render(
        request,
        "investigations/bail_board.html",
        {
            "page_obj": page_obj,
            "checks": list(checks[:100]),
            "checks_count": checks.count(),
            "show_all": show_all,
            "warning_days": days,
            "now": clock.now(),
            "metric": _supervised_metric(request.user),
        },
    )
