"""HTML pages for the points ledger: the list, the form, the CSV upload and corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import clock
from core.views import apply_validation_error, paginate
from core.words import plural
from partners import access
from partners import selectors as partner_selectors
from partners.selectors import partner_get

from . import selectors, services
from .filters import LearningRecordFilterSet
from .forms import GENERATED_ID, LearningRecordForm, LearningUploadForm, ReverseForm


def _manageable_partner(request, pk):
    """The partner whose learning a form records: refused before the form is shown."""
    partner = partner_get(user=request.user, pk=pk)
    access.require(request.user, "learning.record", partner=partner)
    return partner


@login_required
def record_list(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    filterset = LearningRecordFilterSet(
        request.GET,
        queryset=selectors.learning_record_list(user=request.user, partner=partner).prefetch_related("reversals"),
    )
    return render(
        request,
        "learning/record_list.html",
        {
            "partner": partner,
            "filter": filterset,
            "page": paginate(request, filterset.qs, 50),
            "can_manage": access.can(request.user, "learning.record", partner=partner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_add(request, pk):
    partner = _manageable_partner(request, pk)
    people = partner_selectors.individual_list(user=request.user, partner=partner, as_of=clock.today())
    form = LearningRecordForm(request.POST or None, individuals=people)
    earlier = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not form.confirmed():  # the same completion again would count 0 in its cycle: say so before saving
            earlier = [
                r
                for r in selectors.completions_standing(
                    user=request.user, individual=data["individual"], session=data["session"]
                )
                if r.client_record_id != data["client_record_id"]  # not this very form sent twice
            ]
        if not earlier:
            try:
                record = services.learning_record_create(partner=partner, actor=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Recorded: {record}.")
                return redirect("learning-record-list", pk=partner.pk)
    return render(
        request,
        "learning/record_form.html",
        {"partner": partner, "form": form, "earlier": earlier, "record_key": form.record_key() if earlier else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_upload(request, pk):
    """Upload a CSV: a dry run shows every row's outcome; confirming saves all rows or none."""
    partner = _manageable_partner(request, pk)
    form = LearningUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["confirm"]
        try:
            result = services.learning_records_import(
                partner=partner,
                records=form.cleaned_data["rows"],
                actor=request.user,
                source="csv",
                dry_run=not confirm,
            )
        except ValidationError as exc:  # e.g. more records than one upload takes
            apply_validation_error(form, exc)
        if result and (result.saved or (confirm and not result.errors)):
            added, repeated = result.count("created"), result.count("duplicate")
            messages.success(
                request,
                f"{plural(added, 'record')} added; {plural(repeated, 'record')} "
                f"{'was' if repeated == 1 else 'were'} already recorded.",
            )
            return redirect("learning-record-list", pk=partner.pk)
    return render(
        request,
        "learning/upload.html",
        {
            "partner": partner,
            "form": form,
            "result": result,
            "counts": {s: result.count(s) for s in ("new", "duplicate", "error")} if result else {},
            "content": form.cleaned_data.get("content", "") if form.is_bound and form.is_valid() else "",
            "own_ids": bool(result) and any(not o.client_record_id.startswith(GENERATED_ID) for o in result.outcomes),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_reverse(request, pk):
    record = selectors.learning_record_get(user=request.user, pk=pk)
    access.require(request.user, "learning.record", partner=record.partner)  # the form too, not only the POST
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_record_reverse(record=record, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"Entry #{record.pk} reversed: its {record.session.points} points are taken back."
            )
            return redirect("learning-record-list", pk=record.partner_id)
    return render(request, "learning/reverse.html", {"record": record, "partner": record.partner, "form": form})
