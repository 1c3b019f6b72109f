"""Pre-charge bail's conditions (point F): varying them, the victim's views on them and
recording a check that they are kept.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vigil.core import clock
from vigil.investigations import forms, services
from vigil.investigations.views.bail import _active_bail_or_404, _bail_form_page
from vigil.investigations.views.common import _posted, _work_page


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
