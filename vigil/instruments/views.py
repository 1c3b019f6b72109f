"""Instrument pages: the list, a definition in full, a practice run of the form, and a
recorded assessment with its sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core.decorators import role_required
from vigil.core.exceptions import VigilError
from vigil.instruments import engine, selectors, services
from vigil.instruments.forms import assessment_form_class


def _definition(code: str, version: int) -> engine.Definition:
    definition = engine.registry().find(code, version)
    if definition is None:
        raise Http404
    return definition


@role_required(*CASEWORK_ROLES)
def instrument_list(request):
    registry = engine.registry()
    rows = [{"definition": d, "latest": registry.is_latest(d)} for d in registry.all()]
    return render(request, "instruments/instrument_list.html", {"rows": rows})


@role_required(*CASEWORK_ROLES)
def instrument_detail(request, code: str, version: int):
    definition = _definition(code, version)
    return render(
        request,
        "instruments/instrument_detail.html",
        {
            "definition": definition,
            "score_range": definition.score_range(),
            "can_practise": access.is_casework_user(request.user),
        },
    )


@role_required(*CASEWORK_ROLES, admin_ok=False)
def instrument_practice(request, code: str, version: int):
    """Fill in the form and see the result; nothing is stored."""
    definition = _definition(code, version)
    form = assessment_form_class(definition, get_language())(request.POST or None)
    context = {"definition": definition, "form": form}
    if request.method == "POST" and form.is_valid():
        context["result"] = form.result
        context["decision"] = form.decision
    return render(request, "instruments/instrument_practice.html", context)


def _assessment_context(request, assessment, error_list=()):
    definition = engine.registry().find(assessment.instrument_code, assessment.instrument_version)
    user = request.user
    return {
        "assessment": assessment,
        "definition": definition,
        "answer_groups": definition.describe_answers(assessment.answers) if definition else [],
        "can_sign_off": (
            assessment.awaiting_signoff
            and access.is_supervisor(user)
            and assessment.assessor_id != user.pk
            and selectors.supervises(user, assessment)
        ),
        "error_list": error_list,
    }


@role_required(*CASEWORK_ROLES, admin_ok=False)
def assessment_detail(request, uuid):
    assessment = selectors.get_assessment_for_user(request.user, uuid)
    audit.record(request.user, "assessment.view", assessment, person=assessment.person)
    return render(
        request, "instruments/assessment_detail.html", _assessment_context(request, assessment)
    )


@require_POST
@role_required(*CASEWORK_ROLES, admin_ok=False)
def assessment_sign_off(request, uuid):
    assessment = selectors.get_assessment_for_user(request.user, uuid)
    try:
        services.assessment_sign_off(actor=request.user, assessment=assessment)
    except VigilError as exc:
        context = _assessment_context(request, assessment, error_list=[("sign-off", exc.message)])
        return render(request, "instruments/assessment_detail.html", context, status=exc.status)
    messages.success(request, _("Assessment signed off."))
    return redirect("instruments:assessment", uuid=assessment.uuid)
