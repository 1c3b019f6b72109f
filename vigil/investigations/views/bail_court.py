"""Pre-charge bail at court (point F): an application to extend bail and the court's
decision.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.decorators import signed_in
from vigil.core.exceptions import NotFound
from vigil.investigations import forms, selectors, services
from vigil.investigations.views.bail import _active_bail_or_404, _bail_form_page
from vigil.investigations.views.common import _posted, _work_page


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
def court_application_redirect(request, uuid):
    try:
        application = selectors.get_court_application_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    return redirect("investigations:bail", uuid=application.bail.investigation.uuid)
