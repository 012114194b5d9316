"""CE pages: the individual's own page, the partner admin's people view, the reviewer's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.views import apply_validation_error, as_of_from, paginate
from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .filters import CeActivityFilterSet, CeClaimFilterSet
from .forms import CeClaimForm, CeClaimReviewForm, CertificationForm, ExamForm


@login_required
def ce_home(request):
    """Where "CE credits" in the menu leads: your own page, your partner's people, or the review queue."""
    profile = access.profile_of(request.user)
    if profile and profile.individual_id:
        return redirect("ce-individual", pk=profile.individual_id)
    if access.is_staff(request.user):
        return redirect("ce-review-queue")
    if profile and profile.partner_id:
        return redirect("ce-partner-people", pk=profile.partner_id)
    return redirect("partner-list" if access.is_vendor(request.user) else "home")


def _individual_context(request, individual):
    user, today = request.user, clock.today()
    as_of = as_of_from(request)
    certs = selectors.certification_list(user=user).filter(individual=individual)
    can_act = access.can(user, "ce.claim.submit", obj=individual)
    return {
        "as_of": as_of,
        "individual": individual,
        "partner": selectors.current_partner(individual, today),
        "certifications": selectors.progress_for(certs, as_of=as_of),
        "exams": selectors.exam_list(user=user).filter(individual=individual),
        "page": paginate(request, selectors.claim_list(user=user).filter(individual=individual), 20),
        "can_act": can_act,
        "can_act_today": can_act and as_of == today,
        "can_manage": access.can(user, "ce.record", obj=individual),
        "form": CeClaimForm(),
        "today": today,
        "window": selectors.policy_for(today).expiring_window_days,
    }


@login_required
def individual_page(request, pk):
    individual = selectors.individual_get(user=request.user, pk=pk)
    return render(request, "certifications/individual.html", _individual_context(request, individual))


@login_required
@require_http_methods(["GET", "POST"])
def claim_submit(request, pk):
    individual = selectors.individual_get(user=request.user, pk=pk)
    access.require(request.user, "ce.claim.submit", obj=individual)  # the form too, not only the POST
    form = CeClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.ce_claim_submit(
                individual=individual,
                actor=request.user,
                certificate=request.FILES.get("certificate"),
                **{k: v for k, v in form.cleaned_data.items() if k != "certificate"},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Claim for {claim.title} submitted: it is Pending until a reviewer checks it.")
            return redirect("ce-individual", pk=individual.pk)
    return render(request, "certifications/claim_form.html", {"individual": individual, "form": form})


def _record(request, pk, form_class, title, save):
    individual = selectors.individual_get(user=request.user, pk=pk)
    access.require(request.user, "ce.record", obj=individual)  # the form too, not only the POST
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(individual=individual, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{title} recorded for {individual}.")
            return redirect("ce-individual", pk=individual.pk)
    return render(request, "certifications/record_form.html", {"individual": individual, "form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def certification_add(request, pk):
    return _record(request, pk, CertificationForm, "Certification", services.ce_certification_create)


@login_required
@require_http_methods(["GET", "POST"])
def exam_add(request, pk):
    return _record(request, pk, ExamForm, "Exam", services.ce_exam_record)


@login_required
@require_POST
def certification_renew(request, pk):
    cert = selectors.certification_get(user=request.user, pk=pk)
    try:
        cert = services.ce_certification_renew(certification=cert, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{cert} renewed: the new period runs from {cert.period_starts_on} to {cert.expires_on}."
        )
    return redirect("ce-individual", pk=cert.individual_id)


@login_required
def partner_people(request, pk):
    """The partner admin's view: every current individual's certifications, and what expires soon."""
    partner = partner_selectors.partner_get(user=request.user, pk=pk)
    today = clock.today()
    window = selectors.policy_for(today).expiring_window_days
    page = paginate(request, selectors.partner_people(user=request.user, partner=partner, as_of=today), 50)
    soon = selectors.expiring(user=request.user, partner=partner, as_of=today, within_days=window)
    expiring = selectors.progress_for(soon, as_of=today)
    at_risk = selectors.roles_at_risk(partner=partner, as_of=today, within_days=window, user=request.user)
    shown = [
        *(p.pk for p in page.object_list),
        *(v.certification.individual_id for v in expiring),
        *(r.allocation.individual_id for r in at_risk),
    ]
    return render(
        request,
        "certifications/partner_people.html",
        {
            "partner": partner,
            "today": today,
            "window": window,
            "page": page,
            "people": selectors.with_certifications(user=request.user, people=page.object_list, as_of=today),
            "expiring": expiring,
            "roles_at_risk": at_risk,
            # A member sees her colleagues' names here but may open only her own page: link only what opens.
            "openable": partner_selectors.people_openable(user=request.user, ids=shown),
        },
    )


@login_required
def review_queue(request):
    access.require(request.user, "ce.claim.review")
    data = request.GET.copy()
    data.setdefault("status", "pending")
    filterset = CeClaimFilterSet(data, queryset=selectors.review_queue(user=request.user))
    return render(
        request, "certifications/review_queue.html", {"filter": filterset, "page": paginate(request, filterset.qs)}
    )


@login_required
def claim_detail(request, pk):
    claim = selectors.claim_get(user=request.user, pk=pk)
    reviewable = claim.status == claim.Status.PENDING and access.can(request.user, "ce.claim.review")
    return render(
        request,
        "certifications/claim_detail.html",
        {"claim": claim, "form": CeClaimReviewForm() if reviewable else None},
    )


@login_required
@require_POST
def claim_review(request, pk):
    claim = selectors.claim_get(user=request.user, pk=pk)
    access.require(request.user, "ce.claim.review")  # before an invalid form is shown back
    form = CeClaimReviewForm(request.POST)
    if form.is_valid():
        try:
            claim = services.ce_claim_review(claim=claim, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Claim #{claim.pk} marked {claim.get_status_display()}.")
            return redirect("ce-review-queue")
    return render(request, "certifications/claim_detail.html", {"claim": claim, "form": form}, status=400)


@login_required
def claim_certificate(request, pk):
    claim = selectors.claim_get(user=request.user, pk=pk)
    return selectors.certificate_response(claim)


@login_required
def activity_list(request):
    filterset = CeActivityFilterSet(request.GET, queryset=selectors.activity_list(user=request.user))
    return render(
        request,
        "certifications/activity_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs), "today": clock.today()},
    )
