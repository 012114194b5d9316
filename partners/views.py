"""Thin HTML views: parse, call the same services and selectors as the API, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import clock
from core.views import apply_validation_error, paginate

from . import access, selectors, services
from .filters import PartnerFilterSet
from .forms import IndividualForm


@login_required
def partner_list(request):
    filterset = PartnerFilterSet(request.GET, queryset=selectors.partner_list(user=request.user))
    page = paginate(request, filterset.qs)
    return render(request, "partners/partner_list.html", {"filter": filterset, "page": page})


@login_required
def partner_detail(request, pk):
    partner = selectors.partner_get(user=request.user, pk=pk)
    today = clock.today()
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "individuals": selectors.individual_list(user=request.user, partner=partner, as_of=today),
            "events": selectors.partner_timeline(user=request.user, partner=partner, limit=20),
            "can_manage": access.can(request.user, "partner.manage", partner=partner),
            "today": today,
        },
    )


@login_required
def partner_timeline(request, pk):
    partner = selectors.partner_get(user=request.user, pk=pk)
    page = paginate(request, selectors.partner_timeline(user=request.user, partner=partner, limit=None), 50)
    return render(request, "partners/partner_timeline.html", {"partner": partner, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def individual_add(request, pk):
    partner = selectors.partner_get(user=request.user, pk=pk)
    access.require(request.user, "individual.create", partner=partner)  # the form too, not only the POST
    form = IndividualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            individual = services.individual_create(**form.cleaned_data, partner=partner, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{individual} added.")
            return redirect("partner-detail", pk=partner.pk)
    return render(request, "partners/individual_form.html", {"partner": partner, "form": form})
