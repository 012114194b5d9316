"""Reads for certifications, exams and CE claims, always scoped to the asking user."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Case, Prefetch, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from core.models import CredentialStatus
from core.policy import row_in_force
from partners import access
from partners import selectors as partner_selectors
from partners.models import Individual, Partner
from specializations import selectors as specialization_selectors
from specializations.models import RoleAllocation

from . import rules
from .models import (
    CeActivity,
    CeClaim,
    CePolicy,
    CeRenewalPath,
    CertificationPeriod,
    ExamPass,
    IndividualCertification,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

# Program data ---------------------------------------------------------------------------------


def policy_for(on: date) -> CePolicy:
    policy = CePolicy.objects.in_force(on)
    if policy is None:
        raise ValidationError(f"No CE policy is in force on {on}.")
    return policy


def path_rows(paths: Iterable[CeRenewalPath], *, level: str, on: date) -> list[rules.PathRow]:
    """The renewal paths of `level` in force on `on`, from already loaded path rows."""
    return [
        rules.PathRow(
            pk=p.pk,
            level=p.level,
            ce_credits=p.ce_credits,
            exam_kind=p.exam_kind,
            exam_count=p.exam_count,
            effective_from=p.effective_from,
        )
        for p in paths
        if p.level == level and p.effective_from <= on and (p.effective_to is None or p.effective_to >= on)
    ]


def renewal_path_list(*, user: access.Actor) -> QuerySet[CeRenewalPath]:
    return CeRenewalPath.objects.visible_to(user).order_by("level", "position", "pk")


def activity_list(*, user: access.Actor) -> QuerySet[CeActivity]:
    return CeActivity.objects.visible_to(user).order_by("title", "expires_on")


# Who may act for an individual ----------------------------------------------------------------


def current_partner(individual: Individual, as_of: date) -> Partner | None:
    return partner_selectors.current_partner(individual=individual, as_of=as_of)


def individual_get(*, user: access.Actor, pk: int | str) -> Individual:
    """An individual the user may see CE records of (404 otherwise)."""
    return partner_selectors.person_get(user=user, pk=pk)


# Certifications and progress ------------------------------------------------------------------


def certification_list(*, user: access.Actor) -> QuerySet[IndividualCertification]:
    return (
        IndividualCertification.objects.visible_to(user)
        .select_related("individual")
        .prefetch_related(Prefetch("periods", queryset=CertificationPeriod.objects.order_by("starts_on")))
        .order_by("expires_on", "pk")
    )


def certification_get(*, user: access.Actor, pk: int | str) -> IndividualCertification:
    return get_object_or_404(certification_list(user=user), pk=pk)


def exam_list(*, user: access.Actor) -> QuerySet[ExamPass]:
    return ExamPass.objects.visible_to(user).select_related("individual").order_by("-passed_on", "pk")


def claim_list(*, user: access.Actor) -> QuerySet[CeClaim]:
    return (
        CeClaim.objects.visible_to(user)
        .select_related("individual", "activity", "reviewed_by")
        .order_by("-submitted_at", "-pk")
    )


def claim_get(*, user: access.Actor, pk: int | str) -> CeClaim:
    return get_object_or_404(claim_list(user=user), pk=pk)


def certificate_response(claim: CeClaim) -> FileResponse:
    """The claim's certificate as a PDF download (404 if the file has gone from storage)."""
    try:
        handle = claim.certificate.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The certificate file is no longer available.") from None
    return FileResponse(handle, content_type="application/pdf", filename=f"ce-claim-{claim.pk}.pdf")


@dataclass(frozen=True)
class CertificationView:
    certification: IndividualCertification
    progress: rules.Progress


def progress_for(certifications: Iterable[IndividualCertification], *, as_of: date) -> list[CertificationView]:
    """Progress of many certifications with a constant number of queries.

    The certifications must come with their periods prefetched (certification_list does that).
    """
    certifications = list(certifications)
    people = {c.individual_id for c in certifications}
    credits, exams = defaultdict(list), defaultdict(list)
    for row in CeClaim.objects.filter(individual__in=people, status=CeClaim.Status.EARNED).values(
        "individual_id", "ended_on", "credits", "earned_on"
    ):
        if row["earned_on"] is not None:  # always, on an earned claim (a check constraint)
            credits[row["individual_id"]].append(
                rules.Credit(ended_on=row["ended_on"], credits=row["credits"], earned_on=row["earned_on"])
            )
    for exam in ExamPass.objects.filter(individual__in=people).values("individual_id", "kind", "passed_on"):
        exams[exam["individual_id"]].append(rules.Exam(kind=exam["kind"], passed_on=exam["passed_on"]))
    paths = list(CeRenewalPath.objects.order_by("position", "pk")) if certifications else []
    views = []
    for cert in certifications:
        periods = [rules.Period(starts_on=p.starts_on, expires_on=p.expires_on) for p in cert.periods.all()]
        period, _ = rules.period_for(periods, as_of)
        rows = path_rows(paths, level=cert.level, on=period.expires_on) if period else []
        views.append(
            CertificationView(
                cert,
                rules.progress(
                    periods=periods,
                    credits=credits[cert.individual_id],
                    exams=exams[cert.individual_id],
                    paths=rows,
                    as_of=as_of,
                ),
            )
        )
    return views


def certification_progress(certification: IndividualCertification, *, as_of: date) -> rules.Progress:
    return progress_for([certification], as_of=as_of)[0].progress


# The partner admin's view ---------------------------------------------------------------------


def partner_people(*, user: access.Actor, partner: Partner, as_of: date) -> QuerySet[Individual]:
    """The partner's current individuals the user may see, in name order (paginate, then attach)."""
    return partner_selectors.current_people(user=user, partner=partner, as_of=as_of)


def with_certifications(
    *, user: access.Actor, people: Iterable[Individual], as_of: date
) -> list[tuple[Individual, list[CertificationView]]]:
    """[(individual, [CertificationView])] for a page of people, with a constant number of queries."""
    people = list(people)
    by_person = defaultdict(list)
    certs = certification_list(user=user).filter(individual__in=people)
    for view in progress_for(certs, as_of=as_of):
        by_person[view.certification.individual_id].append(view)
    return [(person, by_person[person.pk]) for person in people]


def expiring(
    *, user: access.Actor, partner: Partner, as_of: date, within_days: int | None = None
) -> QuerySet[IndividualCertification]:
    """Certifications of the partner's current people whose period ends within the window (today included)."""
    within = policy_for(as_of).expiring_window_days if within_days is None else within_days
    return certification_list(user=user).filter(
        individual__in=partner_selectors.current_member_ids(partner_id=partner.pk, as_of=as_of),
        expires_on__gte=as_of,
        expires_on__lte=as_of + timedelta(days=within),
    )


def review_queue(*, user: access.Actor) -> QuerySet[CeClaim]:
    """Claims for staff reviewers, pending first and oldest first."""
    if not access.is_staff(user):
        return CeClaim.objects.none()
    return (
        claim_list(user=user)
        .annotate(waiting=Case(When(status=CeClaim.Status.PENDING, then=Value(0)), default=Value(1)))
        .order_by("waiting", "submitted_at", "pk")
    )


# Specialization roles that depend on expiring certifications ----------------------------------


@dataclass(frozen=True)
class RoleAtRisk:
    """A role allocation whose individual has a certification expiring within the window."""

    allocation: RoleAllocation
    certifications: tuple  # the individual's certifications expiring in the window, soonest first
    days_left: int  # until the soonest expiry
    required: int  # individuals the role needs
    remaining: int  # allocations to the role left if every expiring certification lapsed
    left_unfilled: bool

    @property
    def sentence(self) -> str:
        cert = self.certifications[0]
        role = self.allocation.role
        what = (
            f"{role.name} would be left unfilled ({self.remaining}/{self.required})"
            if self.left_unfilled
            else f"{role.name} stays filled ({self.remaining}/{self.required})"
        )
        return (
            f"{self.allocation.individual}'s {cert.track} expires on {cert.expires_on} "
            f"({self.days_left} days left): {what} if it lapsed."
        )


def roles_at_risk(
    *,
    as_of: date,
    partner: Partner | None = None,
    partner_ids: Iterable[int] | None = None,
    within_days: int | None = None,
    user: access.Actor | None = None,
) -> list[RoleAtRisk]:
    """Role allocations of live specializations (of `partner`, of `partner_ids`, or of everyone) whose
    individual holds a certification expiring in [as_of, as_of + within_days] (default: the policy's
    window, 90 days). A role is left unfilled when the allocations not at risk are fewer than it
    requires. Three queries, whatever the number of partners."""

    if within_days is None:
        policy = CePolicy.objects.in_force(as_of)
        if policy is None:  # before the CE program's first policy row no certification is tracked: none at risk
            return []
        within_days = policy.expiring_window_days
    within = within_days
    allocations = specialization_selectors.role_allocations(user=user)
    allocations = allocations.filter(
        partner_specialization__status__in=[CredentialStatus.APPROVED, CredentialStatus.RECERT]
    )
    if partner is not None:
        allocations = allocations.filter(partner_specialization__partner=partner)
    elif partner_ids is not None:
        allocations = allocations.filter(partner_specialization__partner_id__in=list(partner_ids))
    expiring = defaultdict(list)
    for cert in IndividualCertification.objects.filter(
        individual__in=allocations.values("individual_id"),
        expires_on__gte=as_of,
        expires_on__lte=as_of + timedelta(days=within),
    ).order_by("expires_on", "pk"):
        expiring[cert.individual_id].append(cert)
    rows = list(
        allocations.select_related(
            "role",
            "individual",
            "partner_specialization__specialization",
            "partner_specialization__territory",
        ).order_by("partner_specialization", "role__name", "pk")
    )
    safe: defaultdict[tuple[int, int], int] = defaultdict(int)
    for a in rows:
        if not expiring[a.individual_id]:
            safe[(a.partner_specialization_id, a.role_id)] += 1
    result = []
    for a in rows:
        certs = expiring[a.individual_id]
        if certs:
            remaining = safe[(a.partner_specialization_id, a.role_id)]
            result.append(
                RoleAtRisk(
                    allocation=a,
                    certifications=tuple(certs),
                    days_left=(certs[0].expires_on - as_of).days,
                    required=a.role.required_count,
                    remaining=remaining,
                    left_unfilled=remaining < a.role.required_count,
                )
            )
    return result


def role_risk_days(*, as_of: date, partner_ids: Iterable[int] | None = None) -> dict[int, date]:
    """Per partner: the first day after `as_of` on which `roles_at_risk` can answer otherwise by the date alone (an
    allocated individual's certification enters or leaves the expiring window, a CE policy row starts or ends).
    Partners with no allocation are left out: none of their roles is ever at risk. Three queries."""
    policies = list(CePolicy.objects.all())
    policy = row_in_force(policies, as_of)
    within = timedelta(days=policy.expiring_window_days if policy else 0)
    policy_days = [p.effective_from for p in policies] + [
        p.effective_to + timedelta(days=1) for p in policies if p.effective_to
    ]
    allocations = specialization_selectors.role_allocations().filter(
        partner_specialization__status__in=[CredentialStatus.APPROVED, CredentialStatus.RECERT]
    )
    if partner_ids is not None:
        allocations = allocations.filter(partner_specialization__partner_id__in=list(partner_ids))
    partners_of = defaultdict(set)
    for partner_id, individual_id in allocations.values_list("partner_specialization__partner_id", "individual_id"):
        partners_of[individual_id].add(partner_id)
    days: dict[int, list[date]] = {pid: list(policy_days) for pids in partners_of.values() for pid in pids}
    for individual_id, expires in IndividualCertification.objects.filter(
        individual__in=allocations.values("individual_id"), expires_on__gte=as_of
    ).values_list("individual_id", "expires_on"):
        for partner_id in partners_of[individual_id]:
            days[partner_id] += [expires - within, expires + timedelta(days=1)]
    return {pid: min((d for d in found if d > as_of), default=date.max) for pid, found in days.items()}


def partner_specializations_at_risk(
    *,
    as_of: date,
    partner: Partner | None = None,
    partner_ids: Iterable[int] | None = None,
    within_days: int | None = None,
    user: access.Actor | None = None,
) -> dict:
    """{partner specialization id: [RoleAtRisk left unfilled]}: the holdings a lapse would leave short,
    for the compliance pages and the recompute to mark at risk."""
    at_risk = defaultdict(list)
    for row in roles_at_risk(partner=partner, partner_ids=partner_ids, as_of=as_of, within_days=within_days, user=user):
        if row.left_unfilled:
            at_risk[row.allocation.partner_specialization_id].append(row)
    return dict(at_risk)
