"""Writes for certifications, exams and CE claims. Forms, API, admin actions and tasks call these."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from core import clock
from core.dates import add_years
from core.events import event_record, events_record_many
from core.models import Event
from core.notices import notice_queue, notices_cancel, notices_queue_many
from core.selectors import existing_event_keys
from core.words import plural, with_article
from partners import access
from partners import selectors as partner_selectors
from partners.models import Individual

from . import rules, selectors
from .models import (
    CeActivity,
    CeClaim,
    CePolicy,
    CertificationPeriod,
    ExamKind,
    ExamPass,
    IndividualCertification,
    Level,
)

if TYPE_CHECKING:
    from typing import Any


def _not_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise ValidationError({field: f"This date cannot be in the future (today is {today})."})


def ce_certification_create(
    *, individual: Individual, track: str, level: str, certified_on: date, actor: access.Actor
) -> IndividualCertification:
    """Record a certification; it expires `period_years` after `certified_on` (29 Feb -> 28 Feb)."""
    access.require(actor, "ce.record", obj=individual)
    track = (track or "").strip()
    if not track:
        raise ValidationError({"track": "Name the certification track, e.g. CCNP Enterprise."})
    if level not in Level.values:
        raise ValidationError({"level": f"Choose one of: {', '.join(Level.labels)}."})
    _not_future("certified_on", certified_on, clock.today())
    years = selectors.policy_for(certified_on).period_years
    expires_on = add_years(certified_on, years)
    with transaction.atomic():
        if IndividualCertification.objects.filter(individual=individual, track=track, level=level).exists():
            raise ValidationError({"track": "This individual already holds this certification."})
        cert = IndividualCertification.objects.create(
            individual=individual,
            track=track,
            level=level,
            certified_on=certified_on,
            period_starts_on=certified_on,
            expires_on=expires_on,
        )
        CertificationPeriod.objects.create(certification=cert, starts_on=certified_on, expires_on=expires_on)
        event_record(
            kind="ce_certification.added",
            partner=selectors.current_partner(individual, clock.today()),
            individual=individual,
            summary=f"{individual} certified {cert} on {certified_on}, expires {expires_on}",
            payload={"individual": individual.pk, "certification": cert.pk},
            actor=actor,
        )
    return cert


def ce_exam_record(
    *, individual: Individual, kind: str, passed_on: date, exam_code: str = "", actor: access.Actor
) -> ExamPass:
    access.require(actor, "ce.record", obj=individual)
    if kind not in ExamKind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(ExamKind.values)}."})
    _not_future("passed_on", passed_on, clock.today())
    with transaction.atomic():
        exam = ExamPass.objects.create(
            individual=individual, kind=kind, passed_on=passed_on, exam_code=(exam_code or "").strip()
        )
        event_record(
            kind="ce_exam.recorded",
            partner=selectors.current_partner(individual, clock.today()),
            individual=individual,
            summary=f"{individual} passed {with_article(str(kind))} exam on {passed_on}",
            payload={"individual": individual.pk, "exam": exam.pk},
            actor=actor,
        )
    return exam


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def _certificate_problem(upload: Any, max_bytes: int) -> str:
    if upload is None:
        return "Attach the completion certificate (PDF)."
    size = upload.size
    if size > max_bytes:  # refuse before reading a byte
        return rules.certificate_problem(size=size, head=b"", tail=b"", max_bytes=max_bytes)
    upload.seek(0)
    head = upload.read(len(rules.PDF_MAGIC))
    upload.seek(max(0, size - rules.PDF_TAIL_BYTES))
    tail = upload.read()
    upload.seek(0)
    return rules.certificate_problem(size=size, head=head, tail=tail, max_bytes=max_bytes)


def ce_claim_submit(
    *,
    individual: Individual,
    started_on: date,
    ended_on: date,
    validation_code: str,
    certificate: Any,
    activity: CeActivity | None = None,
    course_name: str = "",
    credits: int | None = None,
    attended_in_full: bool = False,
    actor: access.Actor,
) -> CeClaim:
    """Submit a CE item for review. Every refusal is reported at once, and nothing is stored."""
    access.require(actor, "ce.claim.submit", obj=individual)
    today = clock.today()
    code = normalize_code(validation_code)
    course_name = (course_name or "").strip()
    errors = {}
    if not code:
        errors["validation_code"] = "Give the certificate validation code printed on the certificate."
    if activity is None and not course_name:
        errors["activity"] = "Choose an activity from the catalogue or give the course name."
    if activity is not None:
        credits = activity.credits
    elif not credits or credits < 1:
        errors["credits"] = "Say how many CE credits the course is worth."
    errors.update(
        rules.claim_refusals(
            rules.ClaimFacts(
                started_on=started_on,
                ended_on=ended_on,
                activity_expires_on=activity.expires_on if activity else None,
                code_already_claimed=bool(code) and CeClaim.objects.filter(validation_code=code).exists(),
                attended_in_full=attended_in_full,
            ),
            today=today,
        )
    )
    problem = _certificate_problem(certificate, selectors.policy_for(today).certificate_max_bytes)
    if problem:
        errors["certificate"] = problem
    if errors:
        raise ValidationError(errors)
    assert credits is not None  # the activity's, or refused above
    claim = CeClaim(
        individual=individual,
        activity=activity,
        course_name="" if activity else course_name,
        started_on=started_on,
        ended_on=ended_on,
        validation_code=code,
        credits=credits,
        submitted_at=clock.now(),
        submitted_by=access.person(actor),
    )
    try:
        with transaction.atomic():
            claim.certificate.save("certificate.pdf", certificate, save=False)
            claim.save()
            event_record(
                kind="ce_claim.submitted",
                partner=selectors.current_partner(individual, today),
                individual=individual,
                summary=f"CE claim #{claim.pk} submitted for {individual}: “{claim.title}”, {plural(credits, 'CE credit')}",
                payload={"individual": individual.pk, "claim": claim.pk},
                actor=actor,
            )
    except IntegrityError:
        if claim.certificate:
            claim.certificate.delete(save=False)
        raise ValidationError(
            {"validation_code": "This certificate validation code has already been claimed."}
        ) from None
    except Exception:
        if claim.certificate:
            claim.certificate.delete(save=False)
        raise
    return claim


def ce_claim_review(
    *, claim: CeClaim, decision: str, reason: str = "", credits: int | None = None, actor: access.Actor
) -> CeClaim:
    """Mark a pending claim Earned or Rejected (with a reason) and tell the individual, once."""
    access.require(actor, "ce.claim.review")
    reason = (reason or "").strip()
    if decision not in (CeClaim.Status.EARNED, CeClaim.Status.REJECTED):
        raise ValidationError({"decision": "Choose Earned or Rejected."})
    if decision == CeClaim.Status.REJECTED and not reason:
        raise ValidationError({"reason": "Say why the claim is rejected; the individual will read it."})
    if credits is not None and credits < 1:
        raise ValidationError({"credits": "Credits must be at least 1."})
    with transaction.atomic():
        claim = (
            CeClaim.objects.select_for_update(of=("self",)).select_related("individual", "activity").get(pk=claim.pk)
        )
        if claim.status != CeClaim.Status.PENDING:
            raise ValidationError({"decision": f"This claim was already reviewed ({claim.get_status_display()})."})
        claim.status = decision
        claim.reviewed_at = clock.now()
        claim.reviewed_by = access.person(actor)
        if decision == CeClaim.Status.EARNED:
            claim.earned_on = clock.today()
            claim.credits = credits or claim.credits
        else:
            claim.rejection_reason = reason
        claim.save()
        person = claim.individual
        event, created = event_record(
            kind="ce_claim.reviewed",
            partner=selectors.current_partner(person, clock.today()),
            individual=person,
            summary=f"CE claim #{claim.pk} of {person} (“{claim.title}”) reviewed: {claim.get_status_display()}",
            payload={"individual": person.pk, "claim": claim.pk, "status": claim.status},
            actor=actor,
            dedupe_key=f"ce.claim.reviewed:{claim.pk}",
        )
        if created:
            notice_queue(
                event=event,
                recipients=[person.email],
                template="ce_claim_reviewed",
                context={"claim": claim, "individual": person},
            )
    return claim


def ce_certification_renew(
    *, certification: IndividualCertification, renewed_on: date | None = None, actor: access.Actor
) -> IndividualCertification:
    """Renew when a path is met: from the old expiry, or from the renewal date after a lapse."""
    access.require(actor, "ce.certification.renew", obj=certification.individual)
    today = clock.today()
    renewed_on = renewed_on or today
    _not_future("renewed_on", renewed_on, today)
    with transaction.atomic():
        cert = (
            IndividualCertification.objects.select_for_update(of=("self",))
            .select_related("individual")
            .get(pk=certification.pk)
        )
        current = cert.periods.order_by("-starts_on").first()
        if current is None:
            raise ValidationError({"certification": f"{cert} has no certification period to renew."})
        if renewed_on < current.starts_on:
            raise ValidationError(
                {
                    "renewed_on": f"The current period started on {current.starts_on}; "
                    f"a renewal cannot be dated before it."
                }
            )
        progress = selectors.certification_progress(cert, as_of=renewed_on)
        closest = progress.closest
        if not progress.renewable or closest is None:
            paths = "; ".join(p.text for p in progress.paths) or "no path is in force"
            detail = closest.missing if closest else ""
            raise ValidationError(
                {"certification": f"{cert} cannot be renewed yet: no renewal path is met ({paths}). {detail}".strip()}
            )
        years = selectors.policy_for(renewed_on).period_years
        new = rules.renewed_period(
            current=rules.Period(current.starts_on, current.expires_on), renewed_on=renewed_on, years=years
        )
        current.renewed_on = renewed_on
        current.renewal_path_id = closest.path.pk
        current.save(update_fields=["renewed_on", "renewal_path"])
        CertificationPeriod.objects.create(certification=cert, starts_on=new.starts_on, expires_on=new.expires_on)
        cert.period_starts_on, cert.expires_on = new.starts_on, new.expires_on
        cert.save(update_fields=["period_starts_on", "expires_on"])
        lapsed = " after a lapse" if progress.lapsed else ""
        event_record(
            kind="ce_certification.renewed",
            partner=selectors.current_partner(cert.individual, today),
            individual=cert.individual,
            summary=f"{cert.individual} renewed {cert}{lapsed} by {closest.path.label}: "
            f"new period {new.starts_on} to {new.expires_on}",
            payload={
                "certification": cert.pk,
                "path": closest.path.pk,
                "starts_on": str(new.starts_on),
                "expires_on": str(new.expires_on),
            },
            actor=actor,
            dedupe_key=f"ce.certification.renewed:{cert.pk}:{new.starts_on}",
        )
        notices_cancel(events_q=Q(dedupe_key__startswith=f"ce.reminder:{cert.pk}:{current.expires_on}:"))
    return cert


def ce_reminders_send(*, as_of: date) -> int:
    """The daily scan: remind individuals 90 and 30 days before a certification expires (once each).

    A missed day catches up the next day; only the most urgent reminder due is sent.
    """
    policy = CePolicy.objects.in_force(as_of)
    if policy is None:  # before the CE program's first policy row there is nothing to remind of
        return 0
    days = [policy.first_reminder_days, policy.second_reminder_days]
    due = {}
    for cert in IndividualCertification.objects.filter(
        expires_on__gte=as_of, expires_on__lte=as_of + timedelta(days=max(days))
    ).select_related("individual"):
        reminder = rules.reminder_due(expires_on=cert.expires_on, as_of=as_of, reminder_days=days)
        if reminder is not None:
            due[f"ce.reminder:{cert.pk}:{cert.expires_on}:{reminder}"] = (cert, reminder)
    done = existing_event_keys(due)
    todo = {key: value for key, value in due.items() if key not in done}
    progress = {
        v.certification.pk: v.progress
        for v in selectors.progress_for(
            IndividualCertification.objects.filter(pk__in=[c.pk for c, _ in todo.values()]).prefetch_related("periods"),
            as_of=as_of,
        )
    }
    partners = {
        a.individual_id: a.partner
        for a in partner_selectors.current_associations(
            as_of=as_of, individual_ids={cert.individual_id for cert, _ in todo.values()}
        )
    }
    now = clock.now()
    events = [
        Event(
            kind="ce_certification.reminded",
            partner=partners.get(cert.individual_id),
            individual=cert.individual,
            dedupe_key=key,
            summary=f"{cert.individual}: {cert} expires on {cert.expires_on} ({reminder}-day reminder)"[:300],
            payload={"certification": cert.pk, "days": reminder, "expires_on": str(cert.expires_on)},
            occurred_at=now,
        )
        for key, (cert, reminder) in todo.items()
    ]
    with transaction.atomic():  # the events and their notices together; a reminder recorded meanwhile is skipped
        created = {e.dedupe_key: e for e in events_record_many(events)}
        notices_queue_many(
            [
                (
                    created[key],
                    [cert.individual.email],
                    "ce_certification_reminder",
                    {
                        "certification": cert,
                        "individual": cert.individual,
                        "days": reminder,
                        "progress": progress[cert.pk],
                    },
                    (),
                )
                for key, (cert, reminder) in todo.items()
                if key in created
            ]
        )
    return len(created)
