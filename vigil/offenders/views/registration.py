"""Offender-management pages. Each view parses input, loads through a scoped selector
(404 for missing and forbidden alike), calls one service and renders."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, TeamKind
from vigil.accounts.models import Team
from vigil.core.decorators import role_required
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.core.policy_registry import policy_value
from vigil.instruments import engine
from vigil.instruments.forms import assessment_form_class
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import forms, selectors, services
from vigil.offenders.choices import NominalStatus, VisitAccess
from vigil.people.selectors import visible_people

casework = role_required(*CASEWORK_ROLES, admin_ok=False)
supervisors = role_required(*SUPERVISORY_ROLES, admin_ok=False)


def _sections():
    return [
        ("detail", _("Summary")),
        ("notification", _("Notification")),
        ("orders", _("Orders")),
        ("risk", _("Risk (ARMS)")),
        ("plan", _("Risk management plan")),
        ("visits", _("Home visits")),
        ("pnd", _("PND checks")),
        ("management", _("Management mode")),
        ("reviews", _("Supervisor reviews")),
        ("intelligence", _("Intelligence")),
        ("timeline", _("Timeline")),
    ]


def _load(getter):
    """Decorator: load the object named by `uuid` with `getter(user, uuid)`; 404 if not."""

    def decorator(view):
        @casework
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                obj = getter(request.user, uuid)
            except NotFound:
                raise Http404 from None
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator


nominal_page = _load(selectors.get_nominal_for_user)


def _nominal_render(request, nominal, section, template, context=None, status=200):
    ctx = {
        "nominal": nominal,
        "person": nominal.person,
        "sections": [
            {
                "key": k,
                "label": label,
                "href": reverse(f"offenders:{k}", args=[nominal.uuid]),
                "active": k == section,
            }
            for k, label in _sections()
        ],
        "section": section,
        "supervises": selectors.can_supervise(request.user, nominal),
    }
    ctx.update(context or {})
    return render(request, template, ctx, status=status)


def _form_page(request, nominal, section, form, title, *, submit=None, status=200):
    return _nominal_render(
        request,
        nominal,
        section,
        "offenders/nominal_form.html",
        {"form": form, "title": title, "submit": submit or _("Save")},
        status=status,
    )


# --- caseload -------------------------------------------------------------------------


@casework
def caseload(request):
    sort = request.GET.get("sort", "due")
    if sort.lstrip("-") not in selectors.CASELOAD_SORTS:
        sort = "due"
    mine = request.GET.get("all") != "1"
    qs = selectors.nominal_list(
        user=request.user,
        mine=mine,
        sort=sort,
        risk=request.GET.get("risk", ""),
        status=request.GET.get("status", ""),
    )
    return render(
        request,
        "offenders/caseload.html",
        {
            "page_obj": paginate(request, qs),
            "sort": sort,
            "mine": mine,
            "supervisor": access.is_supervisor(request.user),
        },
    )


def outstanding_url(*, kinds, team=None, assignee=None) -> str:
    """A link to the duties app's outstanding-work matrix for `kinds` of MOSOVO work,
    optionally for one team or one officer."""
    params: list[tuple[str, str]] = [("kind", code) for code in kinds]
    if team is not None:
        params.append(("team", str(team)))
    if assignee is not None:
        params.append(("assignee", str(assignee)))
    return reverse("duties:outstanding") + "?" + urlencode(params)


def _outstanding_views():
    """Point L's views of the matrix: ARMS, plan reviews and visits separately and
    together, as (label, kind codes)."""
    from vigil.offenders import duty_kinds

    return [
        (_("ARMS assessments"), [duty_kinds.ARMS]),
        (_("Plan reviews"), [duty_kinds.PLAN_REVIEW]),
        (_("Home visits"), [duty_kinds.VISIT]),
        (_("All three together"), duty_kinds.OUTSTANDING_KINDS),
    ]


@supervisors
def caseloads(request):
    """Caseload per offender manager against the threshold, and links to the outstanding
    work matrix for ARMS, plan reviews and visits (force, each team, each officer)."""
    from vigil.offenders.duty_kinds import OUTSTANDING_KINDS

    data = selectors.caseloads(user=request.user)
    views = _outstanding_views()
    for row in data["rows"]:
        row["outstanding_url"] = outstanding_url(
            kinds=OUTSTANDING_KINDS, assignee=row["manager_uuid"]
        )
    teams = [
        {
            "name": team.name,
            "links": [
                (label, outstanding_url(kinds=codes, team=team.uuid)) for label, codes in views
            ],
        }
        for team in selectors.supervised_mosovo_teams(user=request.user)
    ]
    return render(
        request,
        "offenders/caseloads.html",
        {
            "data": data,
            "force_links": [(label, outstanding_url(kinds=codes)) for label, codes in views],
            "teams": teams,
        },
    )


def _teams(user):
    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    from django.db.models import Q

    return Team.objects.filter(Q(pk__in=team_ids) | Q(force_id__in=force_ids), kind=TeamKind.MOSOVO)


@casework
def register(request):
    teams = _teams(request.user)
    team = teams.first()
    from vigil.duties.selectors import assignable_officers

    officers = assignable_officers(team=team) if team else teams.none()
    form = forms.RegisterForm(
        request.POST or None,
        teams=teams,
        officers=officers,
        initial={"team": team, "status": NominalStatus.ACTIVE},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = (
            visible_people(request.user)
            .filter(register_reference=d["register_reference"].strip().upper())
            .first()
        )
        if person is None:
            form.add_error(
                "register_reference",
                _("There is no person you can see with that register reference"),
            )
        else:
            try:
                nominal = services.nominal_register(
                    actor=request.user,
                    person=person,
                    team=d["team"],
                    offender_manager=d["offender_manager"],
                    status=d["status"],
                    mappa_category=d["mappa_category"],
                    mappa_level=d["mappa_level"],
                    financial_details_held=d["financial_details_held"],
                )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The nominal has been registered."))
                return redirect("offenders:detail", nominal.uuid)
    return render(
        request,
        "offenders/form.html",
        {
            "form": form,
            "title": _("Register a nominal"),
            "submit": _("Register"),
            "back": reverse("offenders:caseload"),
        },
    )


# --- the nominal's record ---------------------------------------------------------------


def _labelled(duties):
    from vigil.duties.registry import kind_label

    rows = list(duties)
    for d in rows:
        d.label = kind_label(d.kind)
    return rows


@nominal_page
def detail(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "detail",
        "offenders/detail.html",
        {
            "checklist": selectors.nominal_checklist(nominal),
            "duties": _labelled(selectors.nominal_duties(nominal)),
            "requirement": nominal.requirements.first(),
        },
    )


@nominal_page
def edit(request, nominal):
    from vigil.duties.selectors import assignable_officers

    form = forms.NominalEditForm(
        request.POST or None,
        officers=assignable_officers(team=nominal.team),
        initial={
            "status": nominal.status,
            "offender_manager": nominal.offender_manager,
            "mappa_category": nominal.mappa_category,
            "mappa_level": nominal.mappa_level,
            "financial_details_held": nominal.financial_details_held,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.nominal_update(actor=request.user, nominal=nominal, **d)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record has been updated."))
            return redirect("offenders:detail", nominal.uuid)
    return _form_page(request, nominal, "detail", form, _("Change the registration"))


@nominal_page
def notification(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "notification",
        "offenders/notification.html",
        {
            "requirements": nominal.requirements.all(),
            "events": nominal.notifications.all(),
        },
    )


@nominal_page
def requirement_add(request, nominal):
    form = forms.RequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_add(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notification requirements have been recorded."))
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(request, nominal, "notification", form, _("Add notification requirements"))


@nominal_page
def notification_open(request, nominal):
    form = forms.NotificationOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_open(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(request, nominal, "notification", form, _("A notification is due"))


@_load(selectors.get_notification_for_user)
def notification_record(request, event):
    nominal = event.nominal
    form = forms.NotificationRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_record(actor=request.user, event=event, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notification has been recorded."))
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "notification",
        form,
        _("Record the notification: %(kind)s") % {"kind": event.get_kind_display()},
    )


@nominal_page
def orders(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "orders",
        "offenders/orders.html",
        {
            "orders": nominal.orders.all(),
            "breaches": nominal.breaches.select_related("order"),
        },
    )


@nominal_page
def order_add(request, nominal):
    form = forms.OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_add(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:orders", nominal.uuid)
    return _form_page(request, nominal, "orders", form, _("Add an order"))


@nominal_page
def breach_add(request, nominal):
    form = forms.BreachForm(request.POST or None, orders=selectors.orders_for(nominal))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:orders", nominal.uuid)
    return _form_page(request, nominal, "orders", form, _("Record a breach"))


@nominal_page
def risk(request, nominal):
    return _nominal_render(
        request, nominal, "risk", "offenders/risk.html", {"arms_list": selectors.arms_for(nominal)}
    )


@nominal_page
def arms_new(request, nominal):
    definition = engine.registry().find(services.ARMS_INSTRUMENT, None)
    AssessmentForm = assessment_form_class(definition, translation.get_language())
    form = AssessmentForm(request.POST or None)
    tool_form = forms.StaticToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and tool_form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.arms_record(
                actor=request.user,
                nominal=nominal,
                answers=kwargs["answers"],
                formulation=kwargs["formulation"],
                judgement_level=kwargs["judgement_level"],
                **tool_form.cleaned_data,
            )
        except VigilError as exc:
            add_service_errors(tool_form, exc)
        else:
            messages.success(
                request, _("The ARMS assessment has been recorded and sent for supervisor review.")
            )
            return redirect("offenders:risk", nominal.uuid)
    return _nominal_render(
        request, nominal, "risk", "offenders/arms_form.html", {"form": form, "tool_form": tool_form}
    )


@nominal_page
def plan(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "plan",
        "offenders/plan.html",
        {
            "plans": selectors.plans_for(nominal),
            "level": services._plan_level(nominal),
            "max_months": services.max_visit_months(services._plan_level(nominal)),
            # The review may have been brought forward (the risk rose since the plan).
            "review_duty": selectors.open_duty(nominal, kinds.PLAN_REVIEW),
        },
    )


@nominal_page
def plan_new(request, nominal):
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_create(
                actor=request.user,
                nominal=nominal,
                summary=d["summary"],
                visit_every_months=d["visit_every_months"],
                review_due=d["review_due"],
                actions=form.actions(),
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan has been saved and sent for supervisor review."))
            return redirect("offenders:plan", nominal.uuid)
    level = services._plan_level(nominal)
    return _nominal_render(
        request,
        nominal,
        "plan",
        "offenders/plan_form.html",
        {
            "form": form,
            "level": level,
            "max_months": services.max_visit_months(level),
        },
    )


@_load(selectors.get_plan_for_user)
def plan_go(request, plan):
    return redirect("offenders:plan", plan.nominal.uuid)


# --- visits: the journey with a check-your-answers page --------------------------------

VISIT_SESSION = "offenders_visit_draft"


@nominal_page
def visits(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "visits",
        "offenders/visits.html",
        {"visits": selectors.visits_for(nominal)},
    )


def _draft_key(nominal):
    return f"{VISIT_SESSION}:{nominal.uuid}"


@nominal_page
def visit_new(request, nominal):
    officers = selectors.officers_for_visit(nominal)
    initial = request.session.get(_draft_key(nominal)) or {"officers": [request.user.pk]}
    form = forms.VisitForm(request.POST or None, officers=officers, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        request.session[_draft_key(nominal)] = {
            **{
                k: d[k]
                for k in (
                    "location",
                    "announced",
                    "access",
                    "outcome",
                    "concerns",
                    "intelligence_submitted",
                    "notification_checked",
                )
            },
            "visited_at": d["visited_at"].isoformat(),
            "officers": [o.pk for o in d["officers"]],
        }
        return redirect("offenders:visit-check", nominal.uuid)
    return _nominal_render(request, nominal, "visits", "offenders/visit_form.html", {"form": form})


@nominal_page
def visit_check(request, nominal):
    draft = request.session.get(_draft_key(nominal))
    if not draft:
        return redirect("offenders:visit-new", nominal.uuid)
    officers = list(selectors.officers_for_visit(nominal).filter(pk__in=draft["officers"]))
    visited_at = parse_datetime(draft["visited_at"])
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    announced = draft["announced"] == "yes"
    compliant = services.is_compliant(announced=announced, officer_count=len(officers))
    error_list = []
    if request.method == "POST":
        try:
            visit = services.visit_record(
                actor=request.user,
                nominal=nominal,
                visited_at=visited_at,
                location=draft["location"],
                announced=announced,
                officers=officers,
                access_result=draft["access"],
                outcome=draft["outcome"],
                concerns=draft["concerns"],
                intelligence_submitted=draft["intelligence_submitted"],
                notification_checked=draft["notification_checked"],
            )
        except VigilError as exc:
            error_list = [(f or "", m) for f, m in (exc.errors or [(None, exc.message)])]
        else:
            del request.session[_draft_key(nominal)]
            return redirect("offenders:visit-detail", visit.uuid)
    return _nominal_render(
        request,
        nominal,
        "visits",
        "offenders/visit_check.html",
        {
            "draft": draft,
            "officers": officers,
            "visited_at": visited_at,
            "announced": announced,
            "compliant": compliant,
            "error_list": error_list,
            "access_label": VisitAccess(draft["access"]).label,
            "authoriser_rank": services._rank_label(services.authoriser_rank()),
            "authorise_within_hours": policy_value(
                "offenders.visit_authorisation_hours", at=visited_at
            ),
        },
    )


@_load(selectors.get_visit_for_user)
def visit_detail(request, visit):
    nominal = visit.nominal
    audit_view = selectors.get_nominal_for_user(request.user, nominal.uuid)
    authorised = _has_authorisation(visit)
    can_authorise = (
        not visit.compliant
        and not authorised
        and access.rank_at_least(request.user, services.authoriser_rank())
    )
    return _nominal_render(
        request,
        audit_view,
        "visits",
        "offenders/visit_detail.html",
        {
            "visit": visit,
            "can_authorise": can_authorise,
            "authorisation": visit.authorisation if authorised else None,
            "authoriser_rank": services._rank_label(services.authoriser_rank()),
            "authorise_within_hours": policy_value(
                "offenders.visit_authorisation_hours", at=visit.visited_at
            ),
        },
    )


def _has_authorisation(visit) -> bool:
    from vigil.offenders.models import VisitAuthorisation

    try:
        return visit.authorisation is not None
    except VisitAuthorisation.DoesNotExist:
        return False


@_load(selectors.get_visit_for_user)
def visit_authorise(request, visit):
    form = forms.AuthoriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_authorise(actor=request.user, visit=visit, **form.cleaned_data)
        except VigilError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied from None
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visit has been authorised."))
            return redirect("offenders:visit-detail", visit.uuid)
    if not access.rank_at_least(request.user, services.authoriser_rank()):
        raise DjangoPermissionDenied
    return _form_page(
        request, visit.nominal, "visits", form, _("Authorise this visit"), submit=_("Authorise")
    )


# --- reviews --------------------------------------------------------------------------


@nominal_page
def reviews(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "reviews",
        "offenders/reviews.html",
        {"reviews": selectors.reviews_for(nominal)},
    )


@supervisors
def review_queue(request):
    qs = selectors.review_queue(user=request.user, overdue_only=request.GET.get("overdue") == "1")
    return render(request, "offenders/review_queue.html", {"page_obj": paginate(request, qs)})


@_load(selectors.get_review_for_user)
def review_record(request, review):
    if not selectors.can_supervise(request.user, review.nominal):
        raise DjangoPermissionDenied
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(actor=request.user, review=review, **form.cleaned_data)
        except VigilError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied from None
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("offenders:review-queue")
    return _nominal_render(
        request,
        review.nominal,
        "reviews",
        "offenders/review_form.html",
        {"form": form, "review": review},
    )


# --- intelligence ----------------------------------------------------------------------


@nominal_page
def intelligence(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "intelligence",
        "offenders/intelligence.html",
        {"entries": nominal.intelligence.select_related("reviewed_by")},
    )


@nominal_page
def intelligence_new(request, nominal):
    form = forms.IntelligenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intelligence_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:intelligence", nominal.uuid)
    return _form_page(request, nominal, "intelligence", form, _("Add intelligence"))


@_load(selectors.get_intelligence_for_user)
def intelligence_review(request, entry):
    form = forms.IntelligenceReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intelligence_review(actor=request.user, entry=entry, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:intelligence", entry.nominal.uuid)
    return _form_page(
        request,
        entry.nominal,
        "intelligence",
        form,
        _("Review intelligence received %(date)s")
        % {"date": entry.received_on.strftime("%d/%m/%Y")},
    )


@nominal_page
def timeline(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "timeline",
        "offenders/timeline.html",
        {"events": selectors.timeline(nominal)},
    )


# --- dip-checks -------------------------------------------------------------------------


@supervisors
def dip_checks(request):
    return render(
        request,
        "offenders/dip_checks.html",
        {"page_obj": paginate(request, selectors.dip_checks_for(user=request.user))},
    )


@supervisors
def dip_check_record(request, uuid):
    try:
        check = selectors.get_dip_check_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    form = forms.DipCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dip_check_record(actor=request.user, dip_check=check, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:dip-checks")
    return render(request, "offenders/dip_check_form.html", {"form": form, "check": check})


# --- PND checks (Q) -------------------------------------------------------------------


@nominal_page
def pnd(request, nominal):
    from vigil.offenders import duty_kinds

    in_date = selectors.pnd_in_date(nominal)
    return _nominal_render(
        request,
        nominal,
        "pnd",
        "offenders/pnd.html",
        {
            "checks": selectors.pnd_checks_for(nominal),
            "in_date": in_date,
            "duty": selectors.open_duty(nominal, duty_kinds.PND_CHECK),
            "before_visit": services.pnd_before_visit(nominal.risk_level or "low"),
        },
    )


@nominal_page
def pnd_new(request, nominal):
    officers = selectors.officers_for_visit(nominal)
    form = forms.PndCheckForm(
        request.POST or None, officers=officers, initial={"officer": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pnd_check_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The PND check has been recorded. Now assess it."))
            return redirect("offenders:pnd", nominal.uuid)
    return _form_page(request, nominal, "pnd", form, _("Record a PND check"))


@_load(selectors.get_pnd_check_for_user)
def pnd_assess(request, check):
    form = forms.PndAssessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pnd_check_assess(actor=request.user, check=check, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The PND check has been assessed."))
            return redirect("offenders:pnd", check.nominal.uuid)
    return _nominal_render(
        request,
        check.nominal,
        "pnd",
        "offenders/pnd_assess.html",
        {"form": form, "check": check},
    )


# --- management mode and reactive management (P) ----------------------------------------


def _assessment(nominal, include_approval=None):
    return services.reactive_assessment(nominal, include_approval=include_approval)


@nominal_page
def management(request, nominal):
    from vigil.offenders import duty_kinds

    reactive = nominal.management_mode == "reactive"
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/management.html",
        {
            "reactive": reactive,
            "assessment": _assessment(nominal, include_approval=reactive),
            "pending": selectors.pending_mode_decision(nominal),
            "decisions": selectors.mode_decisions_for(nominal),
            "transfers": selectors.transfers_for(nominal),
            "review_duty": selectors.open_duty(nominal, duty_kinds.REACTIVE_REVIEW),
            "trigger_duty": selectors.open_duty(nominal, duty_kinds.REACTIVE_TRIGGER),
            "approver_rank": services._rank_label(services.reactive_approver_rank()),
        },
    )


@nominal_page
def reactive_request(request, nominal):
    """Check your answers: the conditions as they stand, met or not, and the request;
    refused with every unmet condition and its reason."""
    if nominal.management_mode == "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReactiveRequestForm(request.POST or None)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_request(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
            refused = any(f != "proposal" for f, _m in (exc.errors or []))
        else:
            messages.success(
                request, _("Reactive management has been requested and sent for approval.")
            )
            return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/reactive_request.html",
        {
            "form": form,
            "assessment": _assessment(nominal, include_approval=False),
            "refused": refused,
            "pending": selectors.pending_mode_decision(nominal),
            "approver_rank": services._rank_label(services.reactive_approver_rank()),
        },
    )


@_load(selectors.get_mode_decision_for_user)
def mode_decision(request, decision):
    nominal = decision.nominal
    rank = services.reactive_approver_rank()
    can_decide = (
        decision.status == "proposed"
        and access.rank_at_least(request.user, rank)
        and decision.proposed_by_id != request.user.pk
    )
    form = forms.ModeDecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                services.reactive_decide(
                    actor=request.user,
                    decision=decision,
                    approve=form.cleaned_data["decision"] == "approve",
                    rationale=form.cleaned_data["rationale"],
                )
            except VigilError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied from None
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision has been recorded."))
                return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/mode_decision.html",
        {
            "decision": decision,
            "form": form,
            "can_decide": can_decide,
            "assessment": _assessment(nominal, include_approval=False),
            "approver_rank": services._rank_label(rank),
        },
    )


@nominal_page
def reactive_review(request, nominal):
    if nominal.management_mode != "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReactiveReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_review_record(
                actor=request.user, nominal=nominal, **form.cleaned_data
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/reactive_review.html",
        {"form": form, "assessment": _assessment(nominal, include_approval=True)},
    )


@nominal_page
def reactive_return(request, nominal):
    if nominal.management_mode != "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReturnActiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_return(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The nominal is back on active management."))
            return redirect("offenders:management", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "management",
        form,
        _("Return to active management"),
        submit=_("Return to active management"),
    )


@casework
def reactive_list(request):
    unmet_only = request.GET.get("unmet") == "1"
    rows = selectors.reactive_list(user=request.user, unmet_only=unmet_only)
    return render(
        request,
        "offenders/reactive_list.html",
        {"page_obj": paginate(request, rows), "unmet_only": unmet_only},
    )


# --- transfers of management --------------------------------------------------------------


@nominal_page
def transfer_new(request, nominal):
    from vigil.accounts.models import Force

    form = forms.TransferRequestForm(
        request.POST or None,
        forces=Force.objects.exclude(pk=nominal.team.force_id).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_request(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer has been requested."))
            return redirect("offenders:management", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "management",
        form,
        _("Transfer the management to another force"),
        submit=_("Request the transfer"),
    )


@casework
def transfers(request):
    return render(
        request,
        "offenders/transfers.html",
        {
            "incoming": selectors.incoming_transfers(user=request.user),
            "outgoing": selectors.outgoing_transfers(user=request.user)[:50],
        },
    )


def _accept_form(request, transfer, data=None):
    from vigil.accounts.models import User
    from vigil.duties.selectors import assignable_officers

    teams = selectors.receiving_teams(user=request.user, force=transfer.to_force)
    officer_ids = set()
    for team in teams:
        officer_ids |= set(assignable_officers(team=team).values_list("pk", flat=True))
    officers = User.objects.filter(pk__in=officer_ids).order_by("full_name", "pk")
    return forms.TransferAcceptForm(data, teams=teams, officers=officers, prefix="accept")


@casework
def transfer_detail(request, uuid):
    try:
        transfer = selectors.get_transfer_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    can_decide = transfer.status == "requested" and selectors.can_receive(request.user, transfer)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    accept = _accept_form(request, transfer, post if action == "accept" else None)
    decline = forms.TransferDeclineForm(post if action == "decline" else None, prefix="decline")
    if post is not None:
        if not can_decide:
            raise DjangoPermissionDenied
        form = accept if action == "accept" else decline
        if form.is_valid():
            try:
                if action == "accept":
                    services.transfer_accept(
                        actor=request.user, transfer=transfer, **form.cleaned_data
                    )
                else:
                    services.transfer_decline(
                        actor=request.user,
                        transfer=transfer,
                        reason=form.cleaned_data["decision_reason"],
                    )
            except VigilError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied from None
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision on the transfer has been recorded."))
                return redirect("offenders:transfers")
    person = transfer.nominal.person
    return render(
        request,
        "offenders/transfer_detail.html",
        {
            "transfer": transfer,
            "person": person,
            "restricted": person.is_restricted,
            "can_decide": can_decide,
            "accept": accept,
            "decline": decline,
        },
    )
