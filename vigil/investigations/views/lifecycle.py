"""Investigation pages: the list, an investigation with its timeline, the forms that move
it (transition, reassessment, decision, allocation, oversight review), the oversight board
and the escalation log. Reads through selectors, writes through services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Rank
from vigil.core import clock, documents
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.core.policy_registry import policy_value
from vigil.instruments import engine
from vigil.instruments.forms import assessment_form_class
from vigil.investigations import forms, lifecycle, selectors, services
from vigil.investigations.choices import NEXT_STAGE, OPEN_STATES, BailStage

casework_only = role_required(*CASEWORK_ROLES, admin_ok=False)
supervisors_only = role_required(*SUPERVISORY_ROLES, admin_ok=False)


def investigation_page(action: str = "view"):
    """Load the investigation in the URL through the scoped selector (audited): missing
    or out of scope → 404."""

    def decorator(view):
        @signed_in
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                investigation = selectors.get_investigation_for_user(request.user, uuid, action)
            except NotFound:
                raise Http404 from None
            return view(request, investigation, *args, **kwargs)

        return wrapper

    return decorator


def _posted(request):
    """The submitted data on POST (even when empty, so that an empty form shows its
    errors), None on GET."""
    return request.POST if request.method == "POST" else None


def _can_work(user, investigation) -> bool:
    return access.has_role(user, *services.WORK_ROLES) and services.reaches_investigation(
        user, investigation, services.WORK_ROLES
    )


@casework_only
def investigation_list(request):
    form = forms.ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort.lstrip("-") not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    page_obj = paginate(
        request,
        selectors.investigation_list(
            user=request.user,
            state=filters.get("state", ""),
            band=filters.get("band", ""),
            mine=filters.get("mine", False),
            external=filters.get("external", False),
            sort=sort,
        ),
    )
    return render(
        request,
        "investigations/list.html",
        {
            "page_obj": page_obj,
            "form": form,
            "sort": sort,
            "filtered": bool(filters and any(filters.values())),
        },
    )


@investigation_page()
def investigation_detail(request, investigation):
    history = selectors.investigation_history(investigation)
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "can_work": _can_work(request.user, investigation),
            "can_supervise": selectors.can_supervise(request.user, investigation),
            "is_open": investigation.state in OPEN_STATES,
            **history,
        },
    )


def _work_page(view):
    """A form page that works the investigation: officers, supervisors and managers of the
    owning or allocated team (others who can see it get 403)."""

    @investigation_page("edit")
    @wraps(view)
    def wrapper(request, investigation, *args, **kwargs):
        if not _can_work(request.user, investigation):
            raise DjangoPermissionDenied
        return view(request, investigation, *args, **kwargs)

    return wrapper


def _supervise_page(view):
    @investigation_page("edit")
    @wraps(view)
    def wrapper(request, investigation, *args, **kwargs):
        if not selectors.can_supervise(request.user, investigation):
            raise DjangoPermissionDenied
        return view(request, investigation, *args, **kwargs)

    return wrapper


@_work_page
def investigation_move(request, investigation):
    form = forms.TransitionForm(_posted(request), moves=lifecycle.manual_moves(investigation.state))
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_transition(
                actor=request.user,
                investigation=investigation,
                to_state=form.cleaned_data["to_state"],
                note=form.cleaned_data["note"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The investigation is now: %(state)s.")
                % {"state": investigation.get_state_display()},
            )
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request, "investigations/move.html", {"investigation": investigation, "form": form}
    )


@_work_page
def investigation_reassess(request, investigation):
    definition = engine.registry().find(services.INSTRUMENT, None)
    form_class = assessment_form_class(definition, translation.get_language())
    trigger_form = forms.ReassessmentTriggerForm(_posted(request))
    form = form_class(_posted(request))
    if request.method == "POST":
        trigger_ok = trigger_form.is_valid()
        if form.is_valid() and trigger_ok:
            try:
                services.investigation_reassess(
                    actor=request.user,
                    investigation=investigation,
                    trigger=trigger_form.cleaned_data["trigger"],
                    **{
                        k: v
                        for k, v in form.service_kwargs().items()
                        if k in {"answers", "override_band", "override_rationale", "version"}
                    },
                )
            except VigilError as exc:
                if exc.field == "trigger":
                    add_service_errors(trigger_form, exc)
                else:
                    form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("The risk has been reassessed: %(band)s.")
                    % {"band": investigation.get_risk_band_display()},
                )
                return redirect("investigations:detail", uuid=investigation.uuid)
    error_list = [(f"id_{name}", e) for name, errors in trigger_form.errors.items() for e in errors]
    return render(
        request,
        "investigations/reassess.html",
        {
            "investigation": investigation,
            "form": form,
            "trigger_form": trigger_form,
            "error_list": error_list,
        },
    )


@_work_page
def investigation_decide(request, investigation):
    kinds = lifecycle.decisions_allowed(investigation.state)
    can_override = access.is_supervisor(request.user) and services.reaches_investigation(
        request.user, investigation, SUPERVISORY_ROLES
    )
    form = forms.DecisionForm(_posted(request), kinds=kinds, can_override=can_override)
    if request.method == "POST" and form.is_valid():
        try:
            services.enforcement_decision_record(
                actor=request.user, investigation=investigation, **form.service_kwargs()
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("investigations:detail", uuid=investigation.uuid)
    level = int(policy_value("investigations.rui_authorising_rank"))
    return render(
        request,
        "investigations/decide.html",
        {
            "investigation": investigation,
            "form": form,
            "rui_rank": services.rank_label(level),
            "window_days": policy_value("investigations.reassessment_before_enforcement_days"),
            "bail_rank": str(Rank(services.bail_stage_rank(BailStage.INITIAL)).label).lower(),
        },
    )


@_supervise_page
def investigation_allocate(request, investigation):
    teams = selectors.allocation_teams(investigation)
    officers = selectors.allocation_officers(investigation)
    form = forms.AllocateForm(
        _posted(request),
        teams=teams,
        officers=officers,
        initial={
            "team": investigation.allocated_team_id,
            "officer": investigation.allocated_officer_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_allocate(
                actor=request.user,
                investigation=investigation,
                team=form.cleaned_data["team"],
                officer=form.cleaned_data["officer"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The investigation is allocated to %(team)s.")
                % {"team": investigation.allocated_team.name},
            )
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request, "investigations/allocate.html", {"investigation": investigation, "form": form}
    )


@_supervise_page
def oversight_review(request, investigation):
    form = forms.OversightReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.oversight_review_record(
                actor=request.user,
                investigation=investigation,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The oversight review has been recorded."))
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request,
        "investigations/oversight_review.html",
        {"investigation": investigation, "form": form},
    )


@supervisors_only
def board(request):
    overdue = request.GET.get("overdue") == "1"
    page_obj = paginate(request, selectors.oversight_board(user=request.user, overdue_only=overdue))
    latest = selectors.last_review_outcomes(page_obj.object_list)
    rows = [(i, latest.get(i.pk)) for i in page_obj.object_list]
    return render(
        request,
        "investigations/board.html",
        {"page_obj": page_obj, "rows": rows, "overdue": overdue, "now": clock.now()},
    )


@supervisors_only
def escalation_log(request):
    form = forms.EscalationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page_obj = paginate(
        request,
        selectors.escalation_list(
            user=request.user, status=filters.get("status", ""), trigger=filters.get("trigger", "")
        ),
    )
    return render(
        request,
        "investigations/escalation_log.html",
        {
            "page_obj": page_obj,
            "form": form,
            "counts": selectors.escalation_counts(user=request.user),
        },
    )


def escalation_page(view):
    @supervisors_only
    @wraps(view)
    def wrapper(request, uuid, *args, **kwargs):
        try:
            entry = selectors.get_escalation_for_user(request.user, uuid)
        except NotFound:
            raise Http404 from None
        return view(request, entry, *args, **kwargs)

    return wrapper


@escalation_page
def escalation_detail(request, entry):
    form = forms.EscalationResolveForm(_posted(request))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.escalation_acknowledge(actor=request.user, entry=entry)
                messages.success(request, _("You have acknowledged the escalation."))
                return redirect("investigations:escalation", uuid=entry.uuid)
            if form.is_valid():
                services.escalation_resolve(
                    actor=request.user, entry=entry, outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, _("The escalation has been resolved."))
                return redirect("investigations:escalation", uuid=entry.uuid)
        except VigilError as exc:
            add_service_errors(form, exc)
    return render(request, "investigations/escalation.html", {"entry": entry, "form": form})


# --- pre-charge bail (point F) -------------------------------------------------------------


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


@_work_page
def bail_conditions(request, investigation):
    bail = _active_bail_or_404(investigation)
    conditions = list(bail.conditions.filter(removed_at__isnull=True))
    return _bail_form_page(
        request,
        investigation,
        form=forms.BailConditionsForm(_posted(request), conditions=conditions),
        template="investigations/bail_conditions.html",
        action=lambda data: services.bail_conditions_vary(
            actor=request.user,
            bail=bail,
            add=forms.lines(data["add"]),
            remove=data.get("remove", []),
            victim_views=data["victim_views"],
            victim_views_not_sought_reason=data["victim_views_not_sought_reason"],
        ),
        success=_("The bail conditions have been changed."),
        extra={"bail": bail, "earlier_views": services.unused_victim_views(bail)},
    )


@_work_page
def bail_victim_views(request, investigation):
    bail = _active_bail_or_404(investigation)
    return _bail_form_page(
        request,
        investigation,
        form=forms.VictimViewsForm(_posted(request)),
        template="investigations/bail_victim_views.html",
        action=lambda data: services.bail_victim_views_record(
            actor=request.user,
            bail=bail,
            views=data["views"],
            not_sought_reason=data["not_sought_reason"],
        ),
        success=_("The alleged victims' views have been recorded."),
        extra={"bail": bail},
    )


def _aware(day, time):
    """The date and time entered, as an aware datetime; the current minute means now (the
    form gives minutes, and a check made just after bail began must fall inside it)."""
    import datetime as dt

    from django.utils import timezone

    moment = timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())
    now = clock.now()
    if dt.timedelta(0) <= now - moment < dt.timedelta(minutes=1):
        return now
    return moment


@_work_page
def bail_check(request, investigation):
    from django.utils import timezone

    bail = _active_bail_or_404(investigation)
    now = timezone.localtime(clock.now())
    form = forms.BailCheckForm(
        _posted(request),
        initial={"checked_on": now.date(), "checked_time": now.strftime("%H:%M")},
    )
    return _bail_form_page(
        request,
        investigation,
        form=form,
        template="investigations/bail_check.html",
        action=lambda data: services.bail_condition_check_record(
            actor=request.user,
            bail=bail,
            checked_at=_aware(data["checked_on"], data["checked_time"]),
            method=data["method"],
            outcome=data["outcome"],
            breach_action=data["breach_action"],
            note=data["note"],
        ),
        success=_("The condition check has been recorded."),
        extra={"bail": bail, "conditions": bail.conditions.filter(removed_at__isnull=True)},
    )


@_work_page
def bail_court_application(request, investigation):
    bail = _active_bail_or_404(investigation)
    return _bail_form_page(
        request,
        investigation,
        form=forms.CourtApplicationForm(_posted(request)),
        template="investigations/bail_court_application.html",
        action=lambda data: services.bail_court_application_record(
            actor=request.user, bail=bail, court=data["court"], grounds=data["grounds"]
        ),
        success=_("The court application has been recorded."),
        extra={"bail": bail},
    )


@_work_page
def bail_court_decision(request, investigation, application_uuid):
    try:
        application = selectors.get_court_application_for_user(request.user, application_uuid)
    except NotFound:
        raise Http404 from None
    if application.bail.investigation_id != investigation.pk:
        raise Http404
    return _bail_form_page(
        request,
        investigation,
        form=forms.CourtDecisionForm(_posted(request)),
        template="investigations/bail_court_decision.html",
        action=lambda data: services.bail_court_decision_record(
            actor=request.user,
            application=application,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            new_end_date=data.get("new_end_date"),
            note=data["note"],
        ),
        success=_("The court's decision has been recorded."),
        extra={"application": application},
    )


@signed_in
def bail_redirect(request, uuid):
    """A duty's link to a bail: to its investigation's bail page."""
    try:
        bail = selectors.get_bail_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    return redirect("investigations:bail", uuid=bail.investigation.uuid)


@signed_in
def court_application_redirect(request, uuid):
    try:
        application = selectors.get_court_application_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    return redirect("investigations:bail", uuid=application.bail.investigation.uuid)


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


# --- support for the suspect's family (point G) ---------------------------------------------


@investigation_page()
def family_support(request, investigation):
    offer = selectors.get_family_support(investigation)
    can_work = _can_work(request.user, investigation)
    form = None
    if can_work:
        initial = (
            {
                "status": offer.status,
                "reason": offer.reason,
                "leaflet_language": offer.leaflet_language,
            }
            if offer
            else {"leaflet_language": selectors.leaflet_language(investigation)}
        )
        form = forms.FamilySupportForm(
            _posted(request), updating=offer is not None, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if offer is None:
                    services.family_support_record(
                        actor=request.user,
                        investigation=investigation,
                        status=data["status"],
                        offered_on=data.get("offered_on"),
                        reason=data["reason"],
                        leaflet_language=data["leaflet_language"],
                    )
                else:
                    services.family_support_update(
                        actor=request.user,
                        offer=offer,
                        status=data["status"],
                        reason=data["reason"],
                        leaflet_language=data["leaflet_language"],
                    )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The offer of support to the family has been recorded.")
                )
                return redirect("investigations:family-support", uuid=investigation.uuid)
    elif request.method == "POST":
        raise DjangoPermissionDenied
    return render(
        request,
        "investigations/family_support.html",
        {
            "investigation": investigation,
            "offer": offer,
            "form": form,
            "can_work": can_work,
            "organisations": selectors.leaflet_organisations(investigation),
            "language": selectors.leaflet_language(investigation),
            "nav": "family",
        },
    )


@investigation_page("leaflet")
def family_support_leaflet(request, investigation):
    language = selectors.leaflet_language(investigation, request.GET.get("language", ""))
    services.family_support_leaflet_record(
        actor=request.user, investigation=investigation, language=language
    )
    return render(
        request,
        "investigations/leaflet.html",
        {
            "investigation": investigation,
            "language": language,
            "organisations": list(selectors.leaflet_organisations(investigation)),
        },
    )


@investigation_page("leaflet")
def family_support_leaflet_pdf(request, investigation):
    """The leaflet as a PDF to print or e-mail to the family (it names no one)."""
    language = selectors.leaflet_language(investigation, request.GET.get("language", ""))
    services.family_support_leaflet_record(
        actor=request.user, investigation=investigation, language=language, document="pdf"
    )
    pdf = documents.render_pdf(
        "investigations/leaflet_pdf.html",
        {"organisations": list(selectors.leaflet_organisations(investigation))},
        language=language,
    )
    return documents.pdf_response(pdf, f"family-support-{language}.pdf")


def directory_editor(user) -> bool:
    return access.is_admin(user) or access.has_role(user, "manager")


@role_required("officer", "supervisor", "manager", "analyst")
def support_organisation_list(request):
    """The directory as the user sees it: their force's entries and the national ones."""
    return render(
        request,
        "investigations/organisations.html",
        {
            "organisations": selectors.support_organisations(user=request.user, active_only=False),
            "can_edit": directory_editor(request.user),
            "editable_force_ids": selectors.directory_force_ids(request.user, editing=True),
            "is_admin": access.is_admin(request.user),
        },
    )


def _organisation_form_page(request, organisation=None):
    """Add or change an entry. Another force's entry was a 404 already; a national one
    is for administrators only (403 to anyone else)."""
    try:
        services.check_directory_editor(request.user, organisation)
    except NotFound:
        raise Http404 from None
    except VigilError:
        raise DjangoPermissionDenied from None
    initial = (
        {
            **{f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS},
            "force": organisation.force.code if organisation.force else forms.NATIONAL,
        }
        if organisation
        else {"active": True}
    )
    form = forms.SupportOrganisationForm(
        _posted(request),
        initial=initial,
        forces=selectors.directory_editor_forces(request.user),
        national=access.is_admin(request.user),
        updating=organisation is not None,
    )
    if request.method == "POST" and request.POST.get("action") == "delete" and organisation:
        services.support_organisation_delete(actor=request.user, organisation=organisation)
        messages.success(request, _("The organisation has been removed from the directory."))
        return redirect("investigations:organisations")
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                services.support_organisation_create(
                    actor=request.user, force=form.chosen_force(), **form.service_kwargs()
                )
            else:
                moved = {"force": form.chosen_force()} if form.moves() else {}
                services.support_organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    **moved,
                    **form.service_kwargs(),
                )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The directory has been updated."))
            return redirect("investigations:organisations")
    return render(
        request,
        "investigations/organisation_form.html",
        {"form": form, "organisation": organisation, "only_force": form.only_choice},
    )


@role_required("manager", "officer", "supervisor", "analyst")
def support_organisation_create(request):
    return _organisation_form_page(request)


@role_required("manager", "officer", "supervisor", "analyst")
def support_organisation_edit(request, uuid):
    try:
        organisation = selectors.get_support_organisation(uuid, user=request.user)
    except NotFound:
        raise Http404 from None
    return _organisation_form_page(request, organisation)
