"""Writes to the points ledger. The form, the CSV upload and the API bulk endpoint all call
`learning_records_import`; a record is identified by its client record id, so re-sending adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import clock
from core.events import event_record
from core.notices import notice_queue
from core.recompute import recompute_queue
from partners import access
from partners import selectors as partner_selectors
from partners import services as partner_services
from partners.models import Individual, Partner

from . import rules
from .models import KnowledgeSession, LearningHow, LearningRecord
from .selectors import ASSIGNED_PREFIX, connected_sessions

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from core.models import Event
    from specializations.models import PartnerSpecialization

BULK_MAX = 10_000
REVERSAL_PREFIX = "reversal:"
FIELDS = ("client_record_id", "testing_number", "session_code", "occurred_on", "how")


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one submitted record.

    status: "created" (saved), "new" (valid, not saved: dry run or another record failed),
    "duplicate" (already recorded with this client record id: nothing added), "error".
    """

    line: int
    client_record_id: str
    status: str
    errors: dict = field(default_factory=dict)
    record_id: int | None = None
    note: str = ""


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    dry_run: bool
    saved: bool

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]


def _parse_day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _clean(raw: dict) -> dict:
    row = {name: raw.get(name) for name in FIELDS}
    row["unknown"] = sorted(set(raw) - set(FIELDS) - {"line"})
    for name in ("client_record_id", "testing_number", "session_code", "how"):
        row[name] = str(row[name] or "").strip()
    return row


def _validate(
    rows: list[dict[str, Any]], *, partner: Partner, today: date
) -> Iterator[tuple[dict[str, Any], Outcome, LearningRecord | None]]:
    """Check every row against the catalogue, the partner's people and the ledger with a fixed number of
    queries. Yields (row, outcome, new LearningRecord or None)."""
    people = partner_selectors.partner_people_by_testing_number(
        partner=partner, numbers=(r["testing_number"] for r in rows)
    )
    sessions = {s.code: s for s in KnowledgeSession.objects.filter(code__in={r["session_code"] for r in rows})}
    spans = partner_selectors.employment_spans(partner=partner, individuals=people.values())
    existing = {
        r.client_record_id: r
        for r in LearningRecord.objects.filter(
            partner=partner, client_record_id__in={r["client_record_id"] for r in rows}
        )
    }
    seen: dict[str, tuple[int, tuple[object, ...]]] = {}
    for row in rows:
        errors = {name: "Unknown field." for name in row["unknown"]}
        cid, person, session = (
            row["client_record_id"],
            people.get(row["testing_number"]),
            sessions.get(row["session_code"]),
        )
        day = _parse_day(row["occurred_on"])
        if not cid:
            errors["client_record_id"] = "A client record id is required."
        elif len(cid) > 100:
            errors["client_record_id"] = "The client record id is longer than 100 characters."
        elif cid.startswith(REVERSAL_PREFIX):
            errors["client_record_id"] = f"Client record ids starting '{REVERSAL_PREFIX}' are reserved for corrections."
        if session is None:
            errors["session_code"] = f"No knowledge session has the code '{row['session_code']}'."
        if day is None:
            errors["occurred_on"] = f"'{row['occurred_on'] or ''}' is not a date (use YYYY-MM-DD)."
        elif day > today:
            errors["occurred_on"] = f"{day} is in the future."
        if row["how"] not in LearningHow.values:
            errors["how"] = f"'{row['how']}' is not one of: {', '.join(LearningHow.values)}."
        elif session and row["how"] == LearningHow.ASSESSMENT_PASSED and not session.via_assessment:
            errors["how"] = f"The session '{session.code}' has no online assessment."
        if person is None or (day and not any(s <= day and (e is None or day <= e) for s, e in spans[person.pk])):
            # One message for "unknown" and "not ours": it must not tell whether the number exists elsewhere.
            on = f" on {day}" if day else ""
            errors["testing_number"] = f"No individual with this testing number works for {partner}{on}."
        key = (getattr(person, "pk", None), getattr(session, "pk", None), day, row["how"])
        outcome = Outcome(line=row["line"], client_record_id=cid, status="new")
        if errors or person is None or session is None or day is None:  # (any None is in `errors`)
            outcome.status, outcome.errors = "error", errors
            yield row, outcome, None
            continue
        outcome.note = rules.how_note(row["how"], session.via_assessment, session.points)
        earlier = existing.get(cid)
        if earlier is not None or cid in seen:
            same = (
                (earlier.individual_id, earlier.session_id, earlier.occurred_on, earlier.how) == key
                if earlier
                else seen[cid][1] == key
            )
            if same:
                outcome.status, outcome.record_id = "duplicate", getattr(earlier, "pk", None)
                outcome.note = (
                    f"Already recorded (entry #{earlier.pk}): nothing added."
                    if earlier
                    else f"Same record as line {seen[cid][0]}: added once."
                )
            else:
                where = f"entry #{earlier.pk}" if earlier else f"line {seen[cid][0]}"
                outcome.status = "error"
                outcome.errors = {
                    "client_record_id": f"The client record id '{cid}' is already used by {where} "
                    f"for a different record."
                }
            yield row, outcome, None
            continue
        seen[cid] = (row["line"], key)
        yield (
            row,
            outcome,
            LearningRecord(
                partner=partner,
                individual=person,
                session=session,
                occurred_on=day,
                how=row["how"],
                client_record_id=cid,
            ),
        )


def learning_records_import(
    *,
    partner: Partner,
    records: Iterable[dict[str, Any]],
    actor: access.Actor,
    source: str = "api",
    dry_run: bool = False,
    all_or_nothing: bool = True,
) -> ImportResult:
    """Record learning for one partner: the one path for the form, the CSV upload and the API.

    `records`: dicts with client_record_id, testing_number, session_code, occurred_on, how (and `line`,
    the line number to report; default the position from 1). A dry run saves nothing. With
    `all_or_nothing` one bad record saves nothing; otherwise the good ones are saved. A known client
    record id is a duplicate and adds nothing. A recompute of the partner is queued after commit.
    """
    access.require(actor, "learning.record", partner=partner)
    records = list(records)
    if len(records) > BULK_MAX:
        raise ValidationError({"records": f"At most {BULK_MAX:,} records per request; this one has {len(records):,}."})
    rows = [{**_clean(raw), "line": raw.get("line") or n} for n, raw in enumerate(records, start=1)]
    with transaction.atomic():
        if not dry_run:
            # One import per partner at a time: the duplicate check below then sees every committed record.
            partner_services.partner_lock(partner_id=partner.pk)
        checked = list(_validate(rows, partner=partner, today=clock.today()))
        outcomes = [outcome for _, outcome, _ in checked]
        failed = any(o.status == "error" for o in outcomes)
        if dry_run or (failed and all_or_nothing):
            return ImportResult(outcomes=outcomes, dry_run=dry_run, saved=False)
        new = [(outcome, record) for _, outcome, record in checked if record is not None]
        now = clock.now()
        for _, record in new:
            record.source, record.recorded_at, record.recorded_by = source, now, access.person(actor)
        try:
            created = LearningRecord.objects.bulk_create([r for _, r in new], batch_size=1000)
        except IntegrityError:
            raise ValidationError(
                {"records": "These records were being saved at the same time; send them again."}
            ) from None
        for (outcome, _), record in zip(new, created, strict=True):
            outcome.status, outcome.record_id = "created", record.pk
        if created:
            event_record(
                kind="learning.recorded",
                partner=partner,
                actor=actor,
                summary=f"{len(created)} learning record{'s' if len(created) != 1 else ''} recorded ({source})",
                payload={"count": len(created), "source": source, "ids": [created[0].pk, created[-1].pk]},
            )
            recompute_queue(partner_id=partner.pk)
    return ImportResult(outcomes=outcomes, dry_run=False, saved=bool(created))


def learning_record_create(
    *,
    partner: Partner,
    individual: Individual,
    session: KnowledgeSession,
    occurred_on: date,
    how: str,
    client_record_id: str,
    actor: access.Actor,
    source: str = "form",
) -> LearningRecord:
    """Record one completion (the form). A repeated client record id returns the first record."""
    result = learning_records_import(
        partner=partner,
        actor=actor,
        source=source,
        records=[
            {
                "client_record_id": client_record_id,
                "testing_number": individual.testing_number,
                "session_code": session.code,
                "occurred_on": occurred_on,
                "how": how,
            }
        ],
    )
    outcome = result.outcomes[0]
    if outcome.status == "error":
        errors = {
            {"testing_number": "individual", "session_code": "session"}.get(k, k): v for k, v in outcome.errors.items()
        }
        raise ValidationError(errors)
    assert outcome.record_id is not None  # a line without errors is saved
    return LearningRecord.objects.get(pk=outcome.record_id)


def learning_record_reverse(*, record: LearningRecord, reason: str, actor: access.Actor) -> LearningRecord:
    """Correct the ledger: a new entry that cancels `record`, with a reason. Nothing is deleted."""
    access.require(actor, "learning.record", partner=record.partner)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this entry is reversed."})
    if record.reversal_of_id:
        raise ValidationError({"reason": "A reversal cannot itself be reversed; record the completion again."})
    with transaction.atomic():
        LearningRecord.objects.select_for_update().filter(pk=record.pk).first()
        if record.reversals.exists():
            raise ValidationError({"reason": "This entry has already been reversed."})
        reversal = LearningRecord.objects.create(
            partner_id=record.partner_id,
            individual_id=record.individual_id,
            session_id=record.session_id,
            occurred_on=clock.today(),
            how=record.how,
            client_record_id=f"{REVERSAL_PREFIX}{record.pk}",
            reversal_of=record,
            reason=reason[:300],
            source="form",
            recorded_at=clock.now(),
            recorded_by=access.person(actor),
        )
        event_record(
            kind="learning.reversed",
            partner=record.partner,
            actor=actor,
            summary=f"Learning entry #{record.pk} reversed: {reason}"[:300],
            payload={"record": record.pk, "reversal": reversal.pk, "reason": reason},
            dedupe_key=f"learning.reversed:{record.pk}",
        )
        recompute_queue(partner_id=record.partner_id)
    return reversal


def session_assign(
    *,
    partner_specialization: PartnerSpecialization,
    session: KnowledgeSession,
    individual: Individual,
    due: date,
    actor: access.Actor,
) -> Event:
    """Ask an individual to take a planned session before `due` (the anniversary): an event and an email.
    Once per individual, session and renewal: assigning again sends nothing more."""

    ps = partner_specialization
    access.require(actor, "learning.assign", partner=ps.partner)
    errors = {}
    if not connected_sessions(ps.specialization).filter(pk=session.pk, is_active=True).exists():
        errors["session"] = f"{session.title} is not an available session connected to {ps.specialization}."
    if not partner_selectors.is_current_member(partner_id=ps.partner_id, individual=individual, as_of=clock.today()):
        errors["individual"] = f"This individual does not work for {ps.partner} today."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event, created = event_record(
            kind="learning.assigned",
            partner=ps.partner,
            actor=actor,
            individual=individual,
            summary=f"{individual} asked to take {session.title} for {ps.specialization} before {due}",
            payload={"partner_specialization": ps.pk, "session": session.pk, "individual": individual.pk},
            dedupe_key=f"{ASSIGNED_PREFIX}{ps.pk}:{session.pk}:{individual.pk}:{due}",
        )
        if created:
            notice_queue(
                event=event,
                recipients=[individual.email],
                template="learning_assigned",
                context={
                    "individual": individual,
                    "session": session,
                    "specialization": ps.specialization,
                    "partner": ps.partner,
                    "due": due,
                },
            )
    return event
