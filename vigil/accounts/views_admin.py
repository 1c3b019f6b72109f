"""User, team and force administration pages.

A force's administrator manages the users, teams and tokens of their own force(s); other
forces' users are "Page not found". The system administrator (Django's superuser) also
adds forces, and reaches every force.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts import access, selectors, services
from vigil.accounts.choices import Role
from vigil.accounts.forms import (
    ForceCreateForm,
    MembershipForm,
    ReasonForm,
    SecondFactorResetForm,
    TeamCreateForm,
    TemporaryPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from vigil.accounts.views import _locked_out
from vigil.core.decorators import role_required
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate


def system_admin_required(view):
    """Signed-out users go to sign-in; anyone but the system administrator gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_system_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _subject(request, user_uuid):
    user = selectors.get_user_by_uuid(actor=request.user, user_uuid=user_uuid)
    if user is None:
        raise Http404
    return user


def _form_errors(form) -> list[tuple[str | None, str]]:
    """A form's errors for the page's error summary, each linked to its field."""
    errors: list[tuple[str | None, str]] = [(None, e) for e in form.non_field_errors()]
    for field in form:
        errors += [(field.id_for_label, e) for e in field.errors]
    return errors


@role_required(Role.ADMIN)
def user_list(request):
    search = request.GET.get("q", "")
    page_obj = paginate(request, selectors.user_list(actor=request.user, search=search))
    return render(request, "accounts/user_list.html", {"page_obj": page_obj, "search": search})


@role_required(Role.ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create_by_admin(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                rank=data["rank"],
                team=data["team"],
                role=data["role"],
                scope=data["scope"],
                collar_number=data["collar_number"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The user has been created. They set up their authenticator app and choose their own password when they first sign in."
                ),
            )
            return redirect("accounts:user-detail", user_uuid=user.uuid)
    return render(request, "accounts/user_create.html", {"form": form})


@role_required(Role.ADMIN)
def user_detail(request, user_uuid):
    user = _subject(request, user_uuid)
    action = request.POST.get("form") if request.method == "POST" else None
    membership_form = MembershipForm(
        request.POST if action == "membership" else None, actor=request.user
    )
    reason_form = ReasonForm(request.POST if action == "active" else None)
    reset_form = SecondFactorResetForm(
        request.POST if action == "second_factor" else None, prefix="second-factor"
    )
    password_form = TemporaryPasswordForm(request.POST if action == "password" else None)
    error_list = []
    if action:
        try:
            if action == "membership" and membership_form.is_valid():
                d = membership_form.cleaned_data
                services.membership_add_by_admin(
                    actor=request.user, user=user, team=d["team"], role=d["role"], scope=d["scope"]
                )
                messages.success(request, _("The role has been added."))
                return redirect("accounts:user-detail", user_uuid=user.uuid)
            if action == "active" and reason_form.is_valid():
                services.user_set_active(
                    actor=request.user,
                    user=user,
                    active=not user.is_active,
                    reason=reason_form.cleaned_data["reason"],
                )
                messages.success(request, _("The account has been updated."))
                return redirect("accounts:user-detail", user_uuid=user.uuid)
            if action == "second_factor" and reset_form.is_valid():
                # Re-authentication first: a wrong password counts toward the lock-out.
                services.reauthenticate(
                    user=request.user, password=reset_form.cleaned_data["password"]
                )
                services.totp_reset(
                    actor=request.user, user=user, reason=reset_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _(
                        "The second factor has been reset. The user sets it up again at their next sign-in."
                    ),
                )
                return redirect("accounts:user-detail", user_uuid=user.uuid)
            if action == "password" and password_form.is_valid():
                services.user_set_temporary_password(
                    actor=request.user, user=user, password=password_form.cleaned_data["password"]
                )
                messages.success(
                    request,
                    _(
                        "The temporary password has been set. Give it to the user in person: they choose their own when they next sign in."
                    ),
                )
                return redirect("accounts:user-detail", user_uuid=user.uuid)
            if action == "unlock":
                services.user_unlock(actor=request.user, user=user)
                messages.success(request, _("The account has been unlocked."))
                return redirect("accounts:user-detail", user_uuid=user.uuid)
        except services.AccountLocked:
            return _locked_out(request)
        except VigilError as exc:
            if action == "password" and exc.errors:
                add_service_errors(password_form, exc)
            elif action == "second_factor" and exc.errors:
                add_service_errors(reset_form, exc)
            else:
                error_list = [(None, m) for _f, m in (exc.errors or [(None, exc.message)])]
        bound = {
            "membership": membership_form,
            "active": reason_form,
            "second_factor": reset_form,
            "password": password_form,
        }.get(action)
        if bound is not None and bound.is_bound:
            error_list += _form_errors(bound)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "membership_form": membership_form,
            "reason_form": reason_form,
            "reset_form": reset_form,
            "password_form": password_form,
            "error_list": error_list,
            "locked": services.is_locked(user),
            "is_self": user.pk == request.user.pk,
        },
    )


@role_required(Role.ADMIN)
def user_edit(request, user_uuid):
    user = _subject(request, user_uuid)
    form = UserEditForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "email": user.email,
            "collar_number": user.collar_number,
            "rank": user.rank,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=user,
                full_name=d["full_name"],
                email=d["email"],
                collar_number=d["collar_number"],
                rank=d["rank"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The user's details have been saved."))
            return redirect("accounts:user-detail", user_uuid=user.uuid)
    return render(request, "accounts/user_edit.html", {"subject": user, "form": form})


@require_POST
@role_required(Role.ADMIN)
def membership_remove(request, membership_uuid):
    membership = selectors.get_membership(actor=request.user, membership_uuid=membership_uuid)
    if membership is None:
        raise Http404
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except VigilError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role has been removed."))
    return redirect("accounts:user-detail", user_uuid=membership.user.uuid)


@role_required(Role.ADMIN)
def team_list(request):
    form = TeamCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.team_create(
                actor=request.user,
                force=d["force"],
                name=d["name"],
                name_cy=d["name_cy"],
                kind=d["kind"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The team has been created."))
            return redirect("accounts:teams")
    return render(
        request,
        "accounts/team_list.html",
        {"teams": selectors.team_list(actor=request.user), "form": form},
    )


@system_admin_required
def force_list(request):
    form = ForceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.force_create(
                actor=request.user, code=d["code"], name=d["name"], name_cy=d["name_cy"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The force has been added. Now add its teams, then its users.")
            )
            return redirect("accounts:forces")
    return render(
        request, "accounts/force_list.html", {"forces": selectors.force_list(), "form": form}
    )
