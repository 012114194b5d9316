"""HTML pages: a partner's specializations with progress, one specialization's ledger, chart, forecast and
plan, and the catalogue."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config import clock
from config.views import apply_validation_error, paginate
from learning.filters import KnowledgeSessionFilterSet
from learning.selectors import points_progress, session_list, specialization_ledger, specialization_outlook
from partners import access
from partners.models import Association, Individual
from partners.selectors import partner_get

from . import selectors, services
from .forms import AsOfForm, RoleAllocationForm


def _as_of(request):
    form = AsOfForm(request.GET)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, as_of or clock.today()


@login_required
def partner_specializations(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    form, as_of = _as_of(request)
    holdings = list(selectors.partner_specialization_list(user=request.user, partner=partner))
    progress = points_progress(partner_specializations=holdings, as_of=as_of)
    rows = [(ps, progress[ps.pk]) for ps in holdings]
    return render(request, "specializations/partner_specializations.html", {
        "partner": partner, "rows": rows, "as_of": as_of, "as_of_form": form})


def _allocation_form(request, ps, data=None):
    people = Individual.objects.visible_to(request.user).filter(
        pk__in=Association.objects.current(clock.today()).filter(partner_id=ps.partner_id).values("individual"))
    return RoleAllocationForm(data, roles=ps.specialization.roles.all(), individuals=people)


@login_required
def partner_specialization_detail(request, pk, allocation_form=None):
    ps = selectors.partner_specialization_get(user=request.user, pk=pk)
    form, as_of = _as_of(request)
    outlook = specialization_outlook(ps=ps, as_of=as_of)
    can_manage = access.can_manage_partner(request.user, ps.partner)
    chart = {
        "labels": [d.isoformat() for d, _ in outlook.timeline],
        "points": [total for _, total in outlook.timeline],
        "required": outlook.progress.required,
    }
    if outlook.window.start:
        chart["labels"].insert(0, outlook.window.start.isoformat())
        chart["points"].insert(0, 0)
    chart["labels"].append(outlook.window.counted_until.isoformat())
    chart["points"].append(outlook.progress.collected)
    return render(request, "specializations/partner_specialization_detail.html", {
        "ps": ps, "partner": ps.partner, "outlook": outlook, "progress": outlook.progress, "as_of": as_of,
        "as_of_form": form, "chart": chart, "can_manage": can_manage,
        "ledger": paginate(request, specialization_ledger(user=request.user, ps=ps, window=outlook.window), 50),
        "allocation_form": allocation_form or (_allocation_form(request, ps) if can_manage else None),
    })


@login_required
@require_POST
def role_allocate(request, pk):
    ps = selectors.partner_specialization_get(user=request.user, pk=pk)
    if not access.can_manage_partner(request.user, ps.partner):
        raise PermissionDenied
    form = _allocation_form(request, ps, request.POST)
    if form.is_valid():
        try:
            services.role_allocate(partner_specialization=ps, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['individual']} allocated as {form.cleaned_data['role'].name}.")
            return redirect("partner-specialization-detail", pk=ps.pk)
    return partner_specialization_detail(request, pk=ps.pk, allocation_form=form)


@login_required
@require_POST
def role_release(request, pk):
    allocation = selectors.role_allocation_get(user=request.user, pk=pk)
    ps = allocation.partner_specialization
    if not access.can_manage_partner(request.user, ps.partner):
        raise PermissionDenied
    services.role_release(allocation=allocation, actor=request.user)
    messages.success(request, f"{allocation.individual} no longer fills {allocation.role.name}.")
    return redirect("partner-specialization-detail", pk=ps.pk)


@login_required
def catalogue(request):
    sessions = KnowledgeSessionFilterSet(request.GET, queryset=session_list())
    return render(request, "specializations/catalogue.html", {
        "architectures": selectors.architecture_list(), "specializations": selectors.specialization_list(),
        "filter": sessions, "page": paginate(request, sessions.qs, 50), "today": clock.today(),
    })
