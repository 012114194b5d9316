"""Thin HTML views: the integrations page (list, create with the token shown once, revoke)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core import clock
from core.views import apply_validation_error
from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .forms import IntegrationForm


def _owner_partner(user):
    return access.profile_of(user).partner if access.role_of(user) == access.PARTNER_ADMIN else None


@login_required
def integration_list(request):
    access.require(request.user, "integration.manage", partner=_owner_partner(request.user))
    staff = access.is_staff(request.user)
    form = IntegrationForm(
        request.POST or None, partners=partner_selectors.partner_list(user=request.user), staff=staff
    )
    token, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                integration, token = services.integration_create(
                    actor=request.user, partners=list(fields.pop("partners", [])), **fields
                )
                messages.success(request, f"Integration “{integration}” created. Copy its token now.")
                form = IntegrationForm(partners=partner_selectors.partner_list(user=request.user), staff=staff)
            except ValidationError as exc:
                apply_validation_error(form, exc)
        if token is None:
            status = 400
    return render(
        request,
        "integrations/integration_list.html",
        {
            "integrations": selectors.integration_list(user=request.user),
            "form": form,
            "token": token,
            "now": clock.now(),
        },
        status=status,
    )


@login_required
@require_POST
def integration_revoke(request, pk):
    integration = get_object_or_404(selectors.integration_list(user=request.user), pk=pk)
    services.integration_revoke(integration=integration, actor=request.user)
    messages.success(request, f"The token of “{integration}” is revoked.")
    return redirect("integration-list")
