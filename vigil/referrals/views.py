"""Referral pages: the queue (and its CSV), receiving a referral with its matches journey,
the referral page, and the forms that assess, grade, sign off, allocate, link and close.
Every read goes through a selector and every write through a service."""

from __future__ import annotations

import uuid as uuid_module
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core import clock
from vigil.core.decorators import role_required
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.exports import csv_download
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.duties.choices import RiskLevel
from vigil.duties.registry import kind_label
from vigil.instruments import engine
from vigil.instruments.forms import assessment_form_class
from vigil.referrals import selectors, services
from vigil.referrals.choices import Source, Status
from vigil.referrals.forms import AllocateForm, CloseForm, GradeForm, ImportForm, ReceiveForm
from vigil.referrals.models import Referral

casework_only = role_required(*CASEWORK_ROLES, admin_ok=False)

# What the timeline says for each audited action on a referral.
ACTION_LABELS = {
    "referral.receive": gettext_lazy("Referral received"),
    "referral.rso_flag": gettext_lazy("Suspect flagged as a registered sex offender"),
    "referral.rso_acknowledge": gettext_lazy("Offender manager acknowledged the referral"),
    "referral.assess": gettext_lazy("Risk assessed"),
    "referral.grade": gettext_lazy("Priority graded"),
    "referral.sign_off": gettext_lazy("Grading signed off"),
    "referral.allocate": gettext_lazy("Allocated"),
    "referral.link": gettext_lazy("Linked to an earlier referral"),
    "referral.suspect_set": gettext_lazy("Suspect named"),
    "referral.close": gettext_lazy("Closed"),
    "referral.actioned": gettext_lazy("First action taken"),
}


def referral_page(audit_view: bool = False):
    """Load the referral named in the URL through the scoped selector: missing or out of
    scope → 404."""

    def decorator(view):
        @casework_only
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                referral = selectors.get_referral_for_user(
                    request.user, uuid, audit_view=audit_view
                )
            except NotFound:
                raise Http404 from None
            return view(request, referral, *args, **kwargs)

        return wrapper

    return decorator


def time_to_target(target_at, now) -> dict | None:
    """{"text", "overdue"} describing the time left to a target (or how long overdue)."""
    if target_at is None:
        return None
    delta = target_at - now
    seconds = abs(delta.total_seconds())
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    if days:
        amount = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    else:
        amount = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    if delta.total_seconds() < 0:
        return {"text": _("Overdue by %(time)s") % {"time": amount}, "overdue": True}
    return {"text": _("%(time)s left") % {"time": amount}, "overdue": False}


def _queue_filters(request) -> dict:
    return {
        "status": request.GET.get("status", selectors.QUEUE_OPEN),
        "priority": request.GET.get("priority", ""),
        "source": request.GET.get("source", ""),
        "sort": request.GET.get("sort", ""),
    }


@casework_only
def referral_queue(request):
    filters = _queue_filters(request)
    page_obj = paginate(request, selectors.referral_queue(user=request.user, **filters))
    now = clock.now()
    rows = [{"referral": r, "time": time_to_target(r.target_at, now)} for r in page_obj]
    return render(
        request,
        "referrals/queue.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "filters": filters,
            "status_choices": [
                (selectors.QUEUE_OPEN, _("Open (not yet actioned)")),
                (selectors.QUEUE_ALL, _("All")),
                *Status.choices,
            ],
            "priority_choices": RiskLevel.choices,
            "source_choices": Source.choices,
            "can_import": selectors.can_import(request.user),
            "can_receive": selectors.receiving_teams(request.user).exists(),
            "query": request.GET.urlencode(),
            "restricted_hidden": selectors.restricted_hidden(request.user),
        },
    )


@casework_only
def referral_queue_export(request):
    filters = _queue_filters(request)
    queue = selectors.referral_queue(user=request.user, **filters)
    now = clock.now()

    def rows():
        for r in queue.iterator(chunk_size=500):
            time = time_to_target(r.target_at, now)
            yield [
                str(r.uuid),
                r.get_status_display(),
                r.get_priority_display() if r.priority else "",
                r.get_source_display(),
                r.source_reference,
                timezone.localtime(r.received_at).strftime("%Y-%m-%d %H:%M"),
                r.suspect.full_name if r.suspect else "",
                timezone.localtime(r.target_at).strftime("%Y-%m-%d %H:%M") if r.target_at else "",
                time["text"] if time else "",
                r.allocated_team.name if r.allocated_team else "",
            ]

    return csv_download(
        actor=request.user,
        filename="referral-queue",
        header=[
            _("Id"),
            _("Status"),
            _("Priority"),
            _("Source"),
            _("Source reference"),
            _("Received"),
            _("Suspect"),
            _("Target"),
            _("Time to target"),
            _("Allocated to"),
        ],
        rows=rows(),
        action="referral.export",
        filters=filters,
    )


def _decision(value: str):
    kind, _sep, raw = (value or "").partition(":")
    try:
        return kind, uuid_module.UUID(raw) if raw else None
    except ValueError:
        return "", None


@casework_only
def referral_receive(request):
    """Record a referral. When there are possible matches the user is shown them and
    chooses: link to an earlier referral (or the referral of an investigation), name a
    known person as the suspect, or record it as new."""
    teams = selectors.receiving_teams(request.user)
    if not teams.exists():
        raise Http404
    form = ReceiveForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        initial={
            "team": teams.first(),
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kind, chosen = _decision(form.cleaned_data["decision"])
        try:
            if kind == "referral":
                kwargs["link_to"] = selectors.get_referral_for_user(request.user, chosen)
            elif kind == "person":
                kwargs["suspect"] = (
                    selectors.suspect_candidates(request.user, kwargs["team"].force)
                    .filter(uuid=chosen)
                    .first()
                )
                kwargs["new_suspect"] = None
                kwargs["confirm_not_duplicate"] = True
                if kwargs["suspect"] is None:
                    raise NotFound(_("Choose one of the people listed"))
            elif kind == "new":
                kwargs["confirm_not_duplicate"] = True
            referral = services.referral_receive(actor=request.user, **kwargs)
        except services.PossibleMatches as exc:
            error_list = []
            if form.cleaned_data["stage"] == "matches":
                error_list.append(("decision", _("Choose what to do with this referral")))
            return render(
                request,
                "referrals/matches.html",
                {"form": form, "matches": exc.matches, "error_list": error_list},
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            if referral.status == Status.LINKED:
                messages.success(request, _("The referral has been recorded and linked."))
            else:
                messages.success(request, _("The referral has been recorded."))
            return redirect("referrals:detail", uuid=referral.uuid)
    return render(
        request,
        "referrals/receive.html",
        {"form": form, "single_team": teams.count() == 1},
    )


def _detail_context(request, referral: Referral) -> dict:
    user = request.user
    referral = selectors.referral_record(referral)
    definition = None
    answer_groups = []
    if referral.assessment is not None:
        definition = engine.registry().find(
            referral.assessment.instrument_code, referral.assessment.instrument_version
        )
        answer_groups = (
            definition.describe_answers(referral.assessment.answers) if definition else []
        )
    supervises = selectors.supervises(user, referral)
    open_status = referral.status in (
        Status.AWAITING_ASSESSMENT,
        Status.AWAITING_GRADING,
        Status.AWAITING_SIGN_OFF,
        Status.AWAITING_ALLOCATION,
    )
    return {
        "referral": referral,
        "definition": definition,
        "assessment": referral.assessment,
        "answer_groups": answer_groups,
        "time": time_to_target(referral.target_at, clock.now()),
        "duties": [
            {"duty": d, "label": kind_label(d.kind)} for d in selectors.referral_duties(referral)
        ],
        "timeline": [
            {"event": e, "label": ACTION_LABELS.get(e.action, e.action)}
            for e in selectors.referral_timeline(referral)
        ],
        "matches": selectors.matches_for_referral(user=user, referral=referral)
        if open_status
        else None,
        "open_status": open_status,
        "can_assess": referral.status in (Status.AWAITING_ASSESSMENT, Status.AWAITING_GRADING),
        "can_grade": referral.status in (Status.AWAITING_GRADING, Status.AWAITING_SIGN_OFF),
        "can_sign_off": referral.status == Status.AWAITING_SIGN_OFF
        and supervises
        and referral.graded_by_id != user.pk,
        "can_allocate": referral.status == Status.AWAITING_ALLOCATION and supervises,
        "targets": services.target_policy_table(referral.graded_at),
    }


@referral_page(audit_view=True)
def referral_detail(request, referral):
    return render(request, "referrals/detail.html", _detail_context(request, referral))


def _definition():
    definition = engine.registry().latest(services.INSTRUMENT_CODE)
    if definition is None:
        raise Http404
    return definition


@referral_page()
def referral_assess(request, referral):
    form = assessment_form_class(_definition(), get_language())(
        request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.referral_assess(
                actor=request.user,
                referral=referral,
                answers=kwargs["answers"],
                override_band=kwargs["override_band"],
                override_rationale=kwargs["override_rationale"],
            )
        except VigilError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The risk assessment has been recorded."))
            return redirect("referrals:grade", uuid=referral.uuid)
    return render(request, "referrals/assess.html", {"referral": referral, "form": form})


@referral_page()
def referral_grade(request, referral):
    initial = {
        "child_in_household": referral.child_in_household,
        "position_of_trust": referral.position_of_trust,
        "live_or_contact_abuse": referral.live_or_contact_abuse,
    }
    form = GradeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_grade(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            if referral.status == Status.AWAITING_SIGN_OFF:
                messages.success(
                    request, _("The referral has been graded. A supervisor must now sign it off.")
                )
            else:
                messages.success(request, _("The referral has been graded."))
            return redirect("referrals:detail", uuid=referral.uuid)
    return render(
        request,
        "referrals/grade.html",
        {
            "referral": referral,
            "form": form,
            "targets": services.target_policy_table(),
            "band_label": RiskLevel(referral.risk_band).label if referral.risk_band else "",
        },
    )


@require_POST
@referral_page()
def referral_sign_off(request, referral):
    try:
        services.referral_sign_off(actor=request.user, referral=referral)
    except VigilError as exc:
        context = _detail_context(request, referral)
        context["error_list"] = [("sign-off", exc.message)]
        return render(request, "referrals/detail.html", context, status=exc.status)
    messages.success(request, _("The grading has been signed off."))
    return redirect("referrals:detail", uuid=referral.uuid)


@referral_page()
def referral_allocate(request, referral):
    form = AllocateForm(
        request.POST if request.method == "POST" else None,
        teams=selectors.allocation_teams(referral),
        officers=selectors.allocation_officers(referral),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_allocate(
                actor=request.user,
                referral=referral,
                team=form.cleaned_data["team"],
                officer=form.cleaned_data["officer"],
            )
        except VigilError as exc:
            if exc.status == 403:
                raise
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral has been allocated."))
            return redirect("referrals:detail", uuid=referral.uuid)
    return render(request, "referrals/allocate.html", {"referral": referral, "form": form})


def _post_uuid(request, name):
    try:
        return uuid_module.UUID(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


@require_POST
@referral_page()
def referral_link(request, referral):
    try:
        target = selectors.get_referral_for_user(request.user, _post_uuid(request, "to"))
        services.referral_link(actor=request.user, referral=referral, to=target)
    except NotFound:
        raise Http404 from None
    except VigilError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The referral has been linked."))
    return redirect("referrals:detail", uuid=referral.uuid)


@require_POST
@referral_page()
def referral_suspect(request, referral):
    person = (
        selectors.suspect_candidates(request.user, referral.team.force)
        .filter(uuid=_post_uuid(request, "person"))
        .first()
    )
    if person is None:
        raise Http404
    try:
        services.referral_suspect_set(actor=request.user, referral=referral, person=person)
    except VigilError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The suspect has been named."))
    return redirect("referrals:detail", uuid=referral.uuid)


@referral_page()
def referral_close(request, referral):
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_close(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral has been closed."))
            return redirect("referrals:detail", uuid=referral.uuid)
    return render(request, "referrals/close.html", {"referral": referral, "form": form})


@casework_only
def referral_import(request):
    teams = selectors.import_teams(request.user)
    if not teams.exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        teams=teams,
    )
    context = {"form": form, "problems": []}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.referrals_import(
                actor=request.user,
                team=form.cleaned_data["team"],
                filename=upload.name,
                content=upload.read(),
            )
        except services.ImportRejected as exc:
            form.add_error("file", exc.message)
            context["problems"] = exc.problems
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            context["result"] = result
    return render(request, "referrals/import.html", context)


@role_required(*CASEWORK_ROLES, admin_ok=False)
def rso_notice(request, uuid):
    """What the offender's managing team sees of a referral about their offender, and the
    acknowledgement that closes their duty."""
    try:
        referral = selectors.get_rso_notice_for_user(
            request.user, uuid, audit_view=request.method != "POST"
        )
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.referral_rso_acknowledge(actor=request.user, referral=referral)
        except VigilError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Acknowledged."))
        return redirect("referrals:rso-notice", uuid=referral.uuid)
    return render(request, "referrals/rso_notice.html", {"referral": referral})
