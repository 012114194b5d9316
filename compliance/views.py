"""Compliance pages: the partner's compliance checklist with its records, and the portfolio dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from certifications.selectors import partner_specializations_at_risk
from core import clock, status
from core.models import ACTIVE_STATUSES
from core.selectors import policy_book
from core.views import apply_validation_error, as_of_from
from partners import access
from partners.selectors import partner_get

from . import evidence_selectors, selectors
from .exports import portfolio_csv
from .filters import PortfolioFilterSet
from .forms import HybridITServiceForm, SupportAgreementForm, SupportCapabilityForm
from .models import HybridITService, SupportAgreement, SupportCapability
from .pagination import KeysFirstPaginator
from .rules import credential_at_risk
from .services import records

RECORDS = {
    "hybrid-it": (HybridITService, HybridITServiceForm, selectors.hybrid_services),
    "agreement": (SupportAgreement, SupportAgreementForm, selectors.support_agreements),
    "capability": (SupportCapability, SupportCapabilityForm, selectors.support_capabilities),
}


@login_required
def partner_compliance(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    today = clock.today()
    as_of = as_of_from(request)
    rows = selectors.partner_verdicts(user=request.user, partner=partner, as_of=as_of)
    roles_short = partner_specializations_at_risk(partner=partner, as_of=as_of, user=request.user)
    horizon = policy_book().get("compliance.at_risk_days", as_of) or 0
    credentials = []
    for c, v in rows:
        roles = roles_short.get(c.pk, []) if c._meta.model_name == "partnerspecialization" else []
        active = c.status in ACTIVE_STATUSES
        at_risk = credential_at_risk(v, active=active, horizon_days=horizon, roles_short=bool(roles))
        credentials.append(
            {
                "credential": c,
                "verdict": v,
                "compliance": status.compliance_value(
                    compliant=v.compliant, at_risk=at_risk, requirements=v.requirements
                ),
                "missed": [r.label for r in v.requirements if not r.met] if active else [],
                "days_left": (c.anniversary - as_of).days,
                "roles_at_risk": roles,
            }
        )
    return render(
        request,
        "compliance/partner_compliance.html",
        {
            "partner": partner,
            "as_of": as_of,
            "today": today,
            "credentials": credentials,
            "history": selectors.verdict_history(user=request.user, partner=partner)[:50],
            "services": selectors.hybrid_services(user=request.user, partner=partner),
            "agreements": selectors.support_agreements(user=request.user, partner=partner),
            "capabilities": selectors.support_capabilities(user=request.user, partner=partner),
            "can_manage": access.can(request.user, "record.save", partner=partner),
            "is_staff": access.can(request.user, "record.verify", partner=partner),
        },
    )


def _record_form(request, slug, partner, instance=None):
    model, form_class, _ = RECORDS[slug]
    access.require(request.user, "record.save", partner=partner)  # the form too, not only the POST
    post = request.method == "POST"
    form = form_class(
        request.POST if post else None, request.FILES if post else None, instance=instance, partner=partner
    )
    if post and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if name != "evidence"}
        try:
            records.partner_record_save(
                model=model,
                partner=partner,
                instance=instance,
                actor=request.user,
                evidence=form.cleaned_data["evidence"],
                **fields,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{model._meta.verbose_name.capitalize()} saved; program staff will verify it.")
            return redirect("compliance-partner", pk=partner.pk)
    if form.errors and request.FILES.getlist("evidence") and "evidence" not in form.errors:
        form.add_error("evidence", "Nothing was saved: choose the documents again (a browser does not keep them).")
    return render(
        request,
        "compliance/record_form.html",
        {
            "partner": partner,
            "form": form,
            "title": model._meta.verbose_name.capitalize(),
            "instance": instance,
            "evidence": instance.evidence.select_related("uploaded_by") if instance else [],
        },
    )


def _record(request, slug, pk):
    return get_object_or_404(RECORDS[slug][2](user=request.user), pk=pk)


def record_views(slug):
    @login_required
    @require_http_methods(["GET", "POST"])
    def add(request, pk):
        return _record_form(request, slug, partner_get(user=request.user, pk=pk))

    @login_required
    @require_http_methods(["GET", "POST"])
    def edit(request, pk):
        obj = _record(request, slug, pk)
        return _record_form(request, slug, obj.partner, instance=obj)

    @login_required
    @require_POST
    def verify(request, pk):
        obj = _record(request, slug, pk)
        records.partner_record_verify(obj=obj, actor=request.user)
        messages.success(request, f"“{obj}” verified.")
        return redirect("compliance-partner", pk=obj.partner_id)

    @login_required
    @require_POST
    def delete(request, pk):
        obj = _record(request, slug, pk)
        partner_id = obj.partner_id
        records.partner_record_delete(obj=obj, actor=request.user)
        messages.success(request, "Removed.")
        return redirect("compliance-partner", pk=partner_id)

    return add, edit, verify, delete


@login_required
def evidence_download(request, pk):
    """An evidence document, to whoever may see its record (another partner's is a 404)."""
    return evidence_selectors.evidence_response(evidence_selectors.evidence_get(user=request.user, pk=pk))


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence = evidence_selectors.evidence_get(user=request.user, pk=pk)
    record = evidence.record
    try:
        records.evidence_remove(evidence=evidence, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{evidence.name} removed.")
    slug = next(s for s, (model, _, _) in RECORDS.items() if isinstance(record, model))
    return redirect(f"compliance-{slug}-edit", pk=record.pk)


@login_required
def portfolio(request):
    if not access.is_vendor(request.user):
        raise Http404
    filterset = PortfolioFilterSet(request.GET, queryset=selectors.portfolio(user=request.user))
    qs = filterset.qs
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(portfolio_csv(qs, today=clock.today()), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="portfolio-{clock.today()}.csv"'
        return response
    today = clock.today()
    chart = selectors.portfolio_chart(qs)
    # The chart counts every row (compliant is never null): the paginator needs no COUNT of its own.
    page = KeysFirstPaginator(qs, 50, count=sum(chart["values"])).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.days_left = (row.anniversary - today).days
        row.unmet = [r["label"] for r in row.requirements if not r["met"]]
        row.short = [
            f"{r['label']}: {status.requirement_text(r)}"
            for r in row.requirements
            if status.requirement_value(r) == status.NOT_MET_YET
        ]
        row.compliance = status.compliance_value(
            compliant=row.compliant, at_risk=row.at_risk, requirements=row.requirements
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "compliance/portfolio.html",
        {
            "filter": filterset,
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "chart": chart,
            "sort": request.GET.get("sort", ""),
        },
    )
