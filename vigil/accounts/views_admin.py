"""User and team administration pages (administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts import selectors, services
from vigil.accounts.choices import Role
from vigil.accounts.forms import MembershipForm, ReasonForm, TeamCreateForm, UserCreateForm
from vigil.accounts.models import Membership
from vigil.core.decorators import role_required
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate


@role_required(Role.ADMIN)
def user_list(request):
    search = request.GET.get("q", "")
    page_obj = paginate(request, selectors.user_list(search=search))
    return render(request, "accounts/user_list.html", {"page_obj": page_obj, "search": search})


@role_required(Role.ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None)
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
                    "The user has been created. They set up their authenticator app when they first sign in."
                ),
            )
            return redirect("accounts:user-detail", user_uuid=user.uuid)
    return render(request, "accounts/user_create.html", {"form": form})


@role_required(Role.ADMIN)
def user_detail(request, user_uuid):
    user = selectors.get_user_by_uuid(user_uuid)
    if user is None:
        raise Http404
    membership_form = MembershipForm(
        request.POST if request.POST.get("form") == "membership" else None
    )
    reason_form = ReasonForm(
        request.POST if request.POST.get("form") in {"active", "second_factor"} else None
    )
    error_list = []
    if request.method == "POST":
        action = request.POST.get("form")
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
            if action == "second_factor" and reason_form.is_valid():
                services.totp_reset(
                    actor=request.user, user=user, reason=reason_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _(
                        "The second factor has been reset. The user sets it up again at their next sign-in."
                    ),
                )
                return redirect("accounts:user-detail", user_uuid=user.uuid)
            if action == "unlock":
                services.user_unlock(actor=request.user, user=user)
                messages.success(request, _("The account has been unlocked."))
                return redirect("accounts:user-detail", user_uuid=user.uuid)
        except VigilError as exc:
            error_list = [(None, m) for _f, m in (exc.errors or [(None, exc.message)])]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "membership_form": membership_form,
            "reason_form": reason_form,
            "error_list": error_list,
            "locked": services.is_locked(user),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def membership_remove(request, membership_uuid):
    membership = (
        Membership.objects.select_related("user", "team").filter(uuid=membership_uuid).first()
    )
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
    form = TeamCreateForm(request.POST or None)
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
        request, "accounts/team_list.html", {"teams": selectors.team_list(), "form": form}
    )
