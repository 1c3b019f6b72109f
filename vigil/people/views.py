"""People pages: the list, a person's record, the create journey with its duplicate
check, and the forms that add to a record. Every read goes through a selector (which
audits views of a record) and every write through a service."""

from __future__ import annotations

import uuid as uuid_module
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.choices import CASEWORK_ROLES
from vigil.audit.selectors import person_viewers
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.exports import csv_download
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.people import selectors, services
from vigil.people.exceptions import PersonRestricted, PossibleDuplicate
from vigil.people.forms import (
    AddressCorrectForm,
    AddressEndForm,
    AddressForm,
    AliasForm,
    AliasRemoveForm,
    ChildLinkEndForm,
    ChildLinkForm,
    IdentifierForm,
    IdentifierRemoveForm,
    PersonCreateForm,
    PersonEditForm,
    RestrictForm,
    RestrictionReviewForm,
    UnrestrictForm,
)

casework_only = role_required(*CASEWORK_ROLES, admin_ok=False)


def person_page(action: str = "view"):
    """Load the person named in the URL through the scoped selector (which audits the
    read): missing or out of scope → 404; restricted → the restricted page (403)."""

    def decorator(view):
        @signed_in
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                person = selectors.get_person_for_user(request.user, uuid, action)
            except PersonRestricted as exc:
                return render(
                    request, "people/restricted.html", {"team_name": exc.team_name}, status=403
                )
            except NotFound:
                raise Http404 from None
            return view(request, person, *args, **kwargs)

        return wrapper

    return decorator


@casework_only
def person_list(request):
    search = request.GET.get("q", "").strip()
    sort = selectors.normalise_sort(request.GET.get("sort"))
    page_obj = paginate(request, selectors.person_list(user=request.user, search=search, sort=sort))
    return render(
        request,
        "people/list.html",
        {
            "page_obj": page_obj,
            "search": search,
            "sort": sort,
            "restricted_hidden": selectors.restricted_hidden(request.user),
        },
    )


@casework_only
def person_create(request):
    """Create a record. When the duplicate check finds possible matches, the user is
    shown them and chooses: the same person (go to their record) or a different
    person (create it anyway, which is audited)."""
    teams = selectors.teams_for_person_create(request.user)
    form = PersonCreateForm(request.POST or None, teams=teams, initial={"team": teams.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = data["decision"]
        if decision and decision != "different":
            try:
                return redirect("people:detail", uuid=uuid_module.UUID(decision))
            except ValueError:
                decision = ""
        identifiers = (
            [(data["identifier_kind"], data["identifier_value"])]
            if data["identifier_value"]
            else []
        )
        try:
            person = services.person_create(
                actor=request.user,
                team=data["team"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                gender=data["gender"],
                pnc_id=data["pnc_id"],
                register_reference=data["register_reference"],
                language=data["language"],
                identifiers=identifiers,
                confirm_not_duplicate=decision == "different",
            )
        except PossibleDuplicate as exc:
            error_list = []
            if data["stage"] == "duplicates":
                error_list.append(
                    ("decision", _("Select whether this is the same person or a different person"))
                )
            return render(
                request,
                "people/duplicates.html",
                {"form": form, "duplicates": exc, "error_list": error_list},
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record has been created."))
            return redirect("people:detail", uuid=person.uuid)
    return render(request, "people/create.html", {"form": form, "single_team": teams.count() == 1})


@person_page()
def person_detail(request, person):
    person = selectors.person_record(person)
    addresses = list(person.addresses.all())
    aliases, removed_aliases = selectors.split_removed(person.aliases.all())
    identifiers, removed_identifiers = selectors.split_removed(person.identifiers.all())
    supervises = selectors.can_supervise(request.user, person)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "aliases": aliases,
            "removed_aliases": removed_aliases,
            "addresses": addresses,
            "identifiers": identifiers,
            "removed_identifiers": removed_identifiers,
            "children": person.children.all(),
            "restricted_to": person.restricted_to.all(),
            "can_supervise": supervises,
            "viewers": person_viewers(person=person) if supervises else None,
        },
    )


@person_page("edit")
def person_edit(request, person):
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    form = PersonEditForm(request.POST or None, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.user,
                person=person,
                confirm_not_duplicate=data["confirm_not_duplicate"],
                **{f: data[f] for f in services.PERSON_FIELDS},
            )
        except PossibleDuplicate as exc:
            duplicates = exc
            form.add_error("confirm_not_duplicate", exc.message)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record has been updated."))
            return redirect("people:detail", uuid=person.uuid)
    return render(
        request, "people/edit.html", {"person": person, "form": form, "duplicates": duplicates}
    )


def _add_page(form_class, service, *, title, template="people/add.html", success):
    """A page with one form that adds something to a person's record through `service`."""

    @person_page("edit")
    def view(request, person):
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(actor=request.user, person=person, **form.cleaned_data)
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect("people:detail", uuid=person.uuid)
        return render(request, template, {"person": person, "form": form, "title": title})

    return view


alias_add = _add_page(
    AliasForm,
    services.alias_add,
    title=gettext_lazy("Add an alias"),
    success=gettext_lazy("The alias has been added."),
)
address_add = _add_page(
    AddressForm,
    services.address_add,
    title=gettext_lazy("Add an address"),
    success=gettext_lazy("The address has been added."),
)
identifier_add = _add_page(
    IdentifierForm,
    services.identifier_add,
    title=gettext_lazy("Add an online identifier"),
    success=gettext_lazy("The online identifier has been added."),
)
child_add = _add_page(
    ChildLinkForm,
    services.child_link_add,
    title=gettext_lazy("Link a child"),
    success=gettext_lazy("The child has been linked."),
)


def _record_part_page(
    *, lookup, form_class, service, part, template, title, success, done=None, initial=None
):
    """A page that changes one part of a person's record (an address, a child's link,
    an alias, an identifier) through `service`: it shows the part and the form, and only
    a POST changes anything. A part already ended or removed (`done`) is not offered
    again: the user goes back to the record."""

    @person_page("edit")
    def view(request, person, item):
        try:
            obj = lookup(person, item)
        except NotFound:
            raise Http404 from None
        if done is not None and done(obj):
            return redirect("people:detail", uuid=person.uuid)
        form = form_class(request.POST or None, initial=initial(obj) if initial else None)
        if request.method == "POST" and form.is_valid():
            try:
                service(actor=request.user, **{part: obj}, **form.cleaned_data)
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect("people:detail", uuid=person.uuid)
        context = {"person": person, "item": obj, "form": form, "title": title}
        return render(request, template, context)

    return view


address_end = _record_part_page(
    lookup=selectors.address_on_record,
    form_class=AddressEndForm,
    service=services.address_end,
    part="address",
    template="people/address_end.html",
    title=gettext_lazy("End this address"),
    success=gettext_lazy("The address has been ended."),
    done=lambda a: a.valid_to is not None,
)
address_correct = _record_part_page(
    lookup=selectors.address_on_record,
    form_class=AddressCorrectForm,
    service=services.address_correct,
    part="address",
    template="people/address_correct.html",
    title=gettext_lazy("Correct this address"),
    success=gettext_lazy("The address has been corrected."),
    initial=lambda a: {f: getattr(a, f) for f in services.ADDRESS_FIELDS},
)
child_end = _record_part_page(
    lookup=selectors.child_link_on_record,
    form_class=ChildLinkEndForm,
    service=services.child_link_end,
    part="link",
    template="people/child_end.html",
    title=gettext_lazy("End this link"),
    success=gettext_lazy("The child's link has been ended."),
    done=lambda c: c.valid_to is not None,
)
alias_remove = _record_part_page(
    lookup=selectors.alias_on_record,
    form_class=AliasRemoveForm,
    service=services.alias_remove,
    part="alias",
    template="people/alias_remove.html",
    title=gettext_lazy("Remove this alias"),
    success=gettext_lazy("The alias has been removed."),
    done=lambda a: a.is_removed,
)
identifier_remove = _record_part_page(
    lookup=selectors.identifier_on_record,
    form_class=IdentifierRemoveForm,
    service=services.identifier_remove,
    part="identifier",
    template="people/identifier_remove.html",
    title=gettext_lazy("Remove this online identifier"),
    success=gettext_lazy("The online identifier has been removed."),
    done=lambda i: i.is_removed,
)


@person_page("restrict")
def person_restrict(request, person):
    if not selectors.can_supervise(request.user, person):
        raise DjangoPermissionDenied
    candidates = selectors.restriction_candidates(person)
    initial_users = (
        list(person.restricted_to.values_list("pk", flat=True)) if person.is_restricted else []
    )
    form = RestrictForm(
        request.POST or None,
        candidates=candidates,
        initial={"users": initial_users, "reason": person.restriction_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_restrict(
                actor=request.user,
                person=person,
                users=list(form.cleaned_data["users"]),
                reason=form.cleaned_data["reason"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record is restricted."))
            return redirect("people:detail", uuid=person.uuid)
    return render(request, "people/restrict.html", {"person": person, "form": form})


@person_page("unrestrict")
def person_unrestrict(request, person):
    if not selectors.can_supervise(request.user, person):
        raise DjangoPermissionDenied
    if not person.is_restricted:
        return redirect("people:detail", uuid=person.uuid)
    form = UnrestrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_unrestrict(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The restriction has been removed."))
            return redirect("people:detail", uuid=person.uuid)
    return render(request, "people/unrestrict.html", {"person": person, "form": form})


@person_page("restriction_review")
def restriction_review(request, person):
    if not selectors.can_supervise(request.user, person):
        raise DjangoPermissionDenied
    if not person.is_restricted:
        return redirect("people:detail", uuid=person.uuid)
    form = RestrictionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_restriction_review(
                actor=request.user, person=person, note=form.cleaned_data["note"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The restriction has been reviewed and stays in place."))
            return redirect("people:detail", uuid=person.uuid)
    return render(request, "people/restriction_review.html", {"person": person, "form": form})


@casework_only
def person_list_export(request):
    """The people list as CSV, with the search and sort on the page (audited)."""
    search = request.GET.get("q", "").strip()
    sort = selectors.normalise_sort(request.GET.get("sort"))
    people = selectors.person_list(user=request.user, search=search, sort=sort)
    header = [
        _("Family name"),
        _("Given name"),
        _("Date of birth"),
        _("PNC ID"),
        _("Register (ViSOR) reference"),
        _("Owning team"),
        _("Restricted"),
    ]
    rows = (
        [
            p.family_name,
            p.given_name,
            p.date_of_birth.isoformat() if p.date_of_birth else "",
            p.pnc_id,
            p.register_reference,
            p.team.name,
            _("Yes") if p.is_restricted else _("No"),
        ]
        for p in people.iterator(chunk_size=2000)
    )
    return csv_download(
        actor=request.user,
        filename="vigil-people",
        header=[str(h) for h in header],
        rows=rows,
        action="people.export",
        filters={"q": search, "sort": sort},
    )
