"""HTML pages over the specializations a partner holds, with their Continuous Learning points: the list with progress, one specialization's ledger, chart, forecast and
plan, and the catalogue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import clock
from core.views import apply_validation_error, as_of_from, paginate
from partners import access
from partners import selectors as partner_selectors
from partners.selectors import partner_get
from specializations import selectors, services
from specializations.forms import AsOfForm, RoleAllocationForm

from .filters import KnowledgeSessionFilterSet
from .models import KnowledgeSession
from .rules import points_requirement, renewed_cycle_day
from .selectors import (
    assigned_pairs,
    points_progress,
    session_list,
    specialization_ledger,
    specialization_outlook,
)
from .services import session_assign


def _as_of(request):
    """The day asked for (a date the page cannot read: today, and a message saying so) and the form showing it."""
    as_of = as_of_from(request)
    return AsOfForm(initial={"as_of": as_of}), as_of


@login_required
def partner_specializations(request, pk):
    partner = partner_get(user=request.user, pk=pk)
    form, as_of = _as_of(request)
    holdings = list(selectors.partner_specialization_list(user=request.user, partner=partner))
    progress = points_progress(partner_specializations=holdings, as_of=as_of)
    rows = [(ps, progress[ps.pk], _requirement(ps, progress[ps.pk], as_of)) for ps in holdings]
    return render(
        request,
        "specializations/partner_specializations.html",
        {"partner": partner, "rows": rows, "as_of": as_of, "as_of_form": form},
    )


def _requirement(ps, progress, as_of):
    """The points requirement as the compliance verdict counts it, for its badge (Met / Not met yet / Missed)."""
    return points_requirement(progress, name=ps.specialization.name, anniversary=ps.anniversary, as_of=as_of)


def _renewed_cycle(ps, window):
    """The renewed cycle as history, while the page shows the current one: its points as they stood on the last
    day it was shown (the day before an early approval), and that day for `?as_of=`."""
    day = renewed_cycle_day(last_renewed_on=ps.last_renewed_on, renewed_on=ps.renewed_on)
    if day is None or window.end != ps.anniversary:
        return None
    return {"day": day, "progress": points_progress(partner_specializations=[ps], as_of=day)[ps.pk]}


def _allocation_form(request, ps, data=None):
    people = partner_selectors.individual_list(user=request.user, partner=ps.partner, as_of=clock.today())
    return RoleAllocationForm(data, roles=ps.specialization.roles.all(), individuals=people)


def _plan_rows(ps, plan, *, can_assign):
    """The plan's lines with, for the current renewal, whether each was already assigned (None: cannot assign)."""
    asked = assigned_pairs(ps=ps, due=ps.anniversary) if can_assign else set()
    return [
        (item, ((item.session_id, item.individual_id) in asked) if can_assign and item.individual_id else None)
        for item in plan.items
    ]


@login_required
def partner_specialization_detail(request, pk, allocation_form=None):
    ps = selectors.partner_specialization_get(user=request.user, pk=pk)
    form, as_of = _as_of(request)
    outlook = specialization_outlook(ps=ps, as_of=as_of)
    can_manage = access.can(request.user, "role.allocate", partner=ps.partner)
    progress, window = outlook.progress, outlook.window
    origin = window.start or (outlook.timeline[0][0] if outlook.timeline else window.counted_until)
    # Right after an early renewal the new cycle has not opened yet: the chart starts at 0 on its first day.
    steps = [(origin, 0), *outlook.timeline, (max(window.counted_until, origin), progress.collected)]
    chart = {
        "origin": origin.isoformat(),
        "end": (window.end - origin).days,
        "required": progress.required,
        "points": [{"x": (day - origin).days, "y": total} for day, total in steps],
    }
    return render(
        request,
        "specializations/partner_specialization_detail.html",
        {
            "ps": ps,
            "partner": ps.partner,
            "outlook": outlook,
            "progress": outlook.progress,
            "requirement": _requirement(ps, outlook.progress, as_of),
            "renewed": _renewed_cycle(ps, window),
            "as_of": as_of,
            "as_of_form": form,
            "chart": chart,
            "can_manage": can_manage,
            "ledger": paginate(request, specialization_ledger(user=request.user, ps=ps, window=outlook.window), 50),
            "allocation_form": allocation_form or (_allocation_form(request, ps) if can_manage else None),
            "plan_rows": _plan_rows(ps, outlook.plan, can_assign=can_manage and window.end == ps.anniversary),
        },
    )


@login_required
@require_POST
def role_allocate(request, pk):
    ps = selectors.partner_specialization_get(user=request.user, pk=pk)
    access.require(request.user, "role.allocate", partner=ps.partner)  # before reading the form's choices
    form = _allocation_form(request, ps, request.POST)
    if form.is_valid():
        try:
            services.role_allocate(partner_specialization=ps, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['individual']} allocated as {form.cleaned_data['role'].name}."
            )
            return redirect("partner-specialization-detail", pk=ps.pk)
    return partner_specialization_detail(request, pk=ps.pk, allocation_form=form)


@login_required
@require_POST
def plan_assign(request, pk):
    """Ask an individual to take a session of the plan (an email), once per renewal."""
    ps = selectors.partner_specialization_get(user=request.user, pk=pk)
    access.require(request.user, "learning.assign", partner=ps.partner)  # before saying what is wrong with the choice
    session = KnowledgeSession.objects.filter(pk=request.POST.get("session") or 0).first()
    individual = partner_selectors.individual_visible(user=request.user, pk=request.POST.get("individual"))
    if session is None or individual is None:
        messages.error(request, "Choose a session and an individual from the plan.")
    else:
        try:
            session_assign(
                partner_specialization=ps,
                session=session,
                individual=individual,
                due=ps.anniversary,
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{individual} has been asked to take {session.title} before {ps.anniversary}.")
    return redirect("partner-specialization-detail", pk=ps.pk)


@login_required
@require_POST
def role_release(request, pk):
    allocation = selectors.role_allocation_get(user=request.user, pk=pk)
    ps = allocation.partner_specialization
    services.role_release(allocation=allocation, actor=request.user)
    messages.success(request, f"{allocation.individual} no longer fills {allocation.role.name}.")
    return redirect("partner-specialization-detail", pk=ps.pk)


@login_required
def catalogue(request):
    sessions = KnowledgeSessionFilterSet(request.GET, queryset=session_list())
    return render(
        request,
        "specializations/catalogue.html",
        {
            "architectures": selectors.architecture_list(),
            "specializations": selectors.specialization_list(),
            "filter": sessions,
            "page": paginate(request, sessions.qs, 50),
            "today": clock.today(),
        },
    )
