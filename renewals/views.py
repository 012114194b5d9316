"""Thin HTML views over the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.views import apply_validation_error, paginate
from partners import access
from partners.selectors import partner_get

from . import selectors
from .filters import IncidentFilterSet, NoticeFilterSet, RenewalsDueFilter
from .forms import DecisionForm, ExtensionForm, SubmitRenewalForm
from .services import applications, incidents


@login_required
def renewals_due(request):
    today = clock.today()
    form = RenewalsDueFilter(request.GET or None)
    rows = selectors.renewals_due(user=request.user, as_of=today, **form.params())
    return render(
        request, "renewals/renewals_due.html", {"form": form, "page": paginate(request, rows, 50), "today": today}
    )


@login_required
@require_http_methods(["GET", "POST"])
def renewal_detail(request, kind, pk):
    credential = selectors.credential_get(user=request.user, kind=kind, pk=pk)
    today = clock.today()
    form = SubmitRenewalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.renewal_submit(credential=credential, actor=request.user, as_of=today)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Renewal submitted. Your account manager will review it.")
            return redirect("renewal-detail", kind=kind, pk=pk)
    view = selectors.renewal_view(user=request.user, credential=credential, as_of=today)
    return render(
        request,
        "renewals/renewal_detail.html",
        {"v": view, "form": form, "decision_form": DecisionForm(), "today": today, "kind": kind},
    )


@login_required
@require_POST
def application_decide(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("decision") == "approve":
            applications.renewal_approve(application=application, actor=request.user, note=note)
            messages.success(request, "Renewal approved.")
        else:
            applications.renewal_reject(application=application, actor=request.user, note=note)
            messages.success(request, "Renewal rejected.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("renewal-detail", kind=application.content_type.model, pk=application.object_id)


@login_required
def incident_list(request):
    filterset = IncidentFilterSet(request.GET, queryset=selectors.incident_list(user=request.user))
    return render(
        request,
        "renewals/incident_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs), "today": clock.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, pk):
    incident = selectors.incident_get(user=request.user, pk=pk)
    extension_form = ExtensionForm(request.POST if request.POST.get("action") == "extend" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                incidents.incident_acknowledge(incident=incident, actor=request.user)
                messages.success(request, "Non-compliance acknowledged.")
            elif action == "extend":
                if not extension_form.is_valid():
                    raise ValidationError({"until": "Give the last day of the extension."})
                incidents.incident_extend(
                    incident=incident, actor=request.user, until=extension_form.cleaned_data["until"]
                )
                messages.success(request, "Extension granted.")
            elif action == "revoke":
                incidents.revocation_confirm(incident=incident, actor=request.user)
                messages.success(request, "Credential revoked.")
            else:
                raise PermissionDenied
        except ValidationError as exc:
            if extension_form.is_bound:
                extension_form.is_valid()
                apply_validation_error(extension_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            return redirect("incident-detail", pk=pk)
    user, partner = request.user, incident.partner
    return render(
        request,
        "renewals/incident_detail.html",
        {
            "incident": incident,
            "extension_form": extension_form,
            "today": clock.today(),
            "can_acknowledge": incident.is_open
            and not incident.acknowledged_at
            and access.can(user, "incident.acknowledge", partner=partner),
            "can_extend": incident.is_open
            and incident.acknowledged_at
            and access.can(user, "incident.extend", partner=partner),
            "can_revoke": incident.is_open
            and incident.flagged_for_revocation_on
            and access.can(user, "revocation.confirm", partner=partner),
        },
    )


@login_required
def partner_notices(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    filterset = NoticeFilterSet(request.GET, queryset=selectors.notice_list(user=request.user, partner=partner))
    return render(
        request,
        "renewals/partner_notices.html",
        {"partner": partner, "filter": filterset, "page": paginate(request, filterset.qs, 50)},
    )
