"""CSAT pages: a partner's responses and follow-ups, the CSV import, the measurement dates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.selectors import policy_book
from core.views import apply_validation_error, paginate
from core.words import plural
from partners import access
from partners.selectors import partner_get

from . import selectors, services
from .filters import ResponseFilterSet
from .forms import FollowUpForm, ImportForm, MeasurementDateForm


@login_required
def partner_responses(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    filterset = ResponseFilterSet(request.GET, queryset=selectors.response_list(user=request.user, partner=partner))
    return render(
        request,
        "csat/partner_responses.html",
        {
            "partner": partner,
            "filter": filterset,
            "page": paginate(request, filterset.qs.order_by("-received_on", "-id")),
            "can_manage": access.can(request.user, "csat.followup", partner=partner),
            "low_max": policy_book().value("csat.low_score_max", clock.today()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_add(request, pk):
    response = selectors.response_get(user=request.user, pk=pk)
    access.require(request.user, "csat.followup", partner=response.partner)  # the form too, not only the POST
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(response=response, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Follow-up of {response.customer} recorded.")
            return redirect("csat-partner", pk=response.partner_id)
    return render(request, "csat/followup_form.html", {"response": response, "partner": response.partner, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def responses_import(request):
    access.require(request.user, "csat.import")  # the form too, not only the POST
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.responses_import(
            file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], actor=request.user
        )
        if result.ok and not result.dry_run:
            messages.success(request, f"{plural(result.created, 'response')} imported.")
            return redirect("csat-import")
    return render(request, "csat/import.html", {"form": form, "result": result})


@login_required
def measurement_dates(request):
    dates = selectors.measurement_date_list()
    return render(
        request,
        "csat/measurement_dates.html",
        {
            "page": paginate(request, dates, 24),
            "can_edit": access.can(request.user, "csat.measurement_date"),
            "form": MeasurementDateForm(),
        },
    )


@login_required
@require_POST
def measurement_date_edit(request, pk):
    access.require(request.user, "csat.measurement_date")  # before reading the form
    md = get_object_or_404(selectors.measurement_date_list(), pk=pk)
    form = MeasurementDateForm(request.POST)
    if form.is_valid():
        try:
            services.measurement_date_update(measurement_date=md, on=form.cleaned_data["date"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"FY{md.fiscal_year} measurement date set to {md.date}.")
    else:
        messages.error(request, "Give a date.")
    return redirect("csat-measurement-dates")
