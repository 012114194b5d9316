"""Writes to the points ledger. The form, the CSV upload and the API bulk endpoint all call
`learning_records_import`; a record is identified by its client record id, so re-sending adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import attrgetter, methodcaller
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from core import clock
from core.bulk import copy_into
from core.events import event_record
from core.notices import notice_queue
from core.recompute import recompute_queue
from core.words import plural, signed
from partners import access
from partners import selectors as partner_selectors
from partners import services as partner_services
from partners.models import Individual, Partner

from . import rules
from .models import SOURCES, KnowledgeSession, LearningHow, LearningRecord
from .selectors import ASSIGNED_PREFIX, connected_sessions

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from core.models import Event
    from specializations.models import PartnerSpecialization

BULK_MAX = 10_000
REVERSAL_PREFIX = "reversal:"
FIELDS = ("client_record_id", "testing_number", "session_code", "occurred_on", "how")
STATUSES = ("created", "new", "duplicate", "error")


@dataclass(slots=True)
class Outcome:
    """What happened (or, in a dry run, would happen) to one submitted record.

    status: "created" (saved), "new" (valid, not saved: dry run or another record failed),
    "duplicate" (already recorded with this client record id: nothing added), "error".
    `index` is the record's position in the request from 0; `line` the line to report (a CSV line).
    """

    index: int
    line: int
    client_record_id: str
    status: str
    errors: dict = field(default_factory=dict)
    record_id: int | None = None
    note: str = ""
    key: tuple = field(default=(), repr=False)  # (individual, session, day, how) of a valid record


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    dry_run: bool
    saved: bool
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = dict.fromkeys(STATUSES, 0)
        for o in self.outcomes:
            self.counts[o.status] += 1

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]

    @property
    def attention(self) -> list[Outcome]:
        """The records the sender should look at: rejected ones and duplicates."""
        return [o for o in self.outcomes if o.status in ("error", "duplicate")]


def _parse_day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _text(value: object) -> str:
    return str(value or "").strip()


def _texts(values: list[object]) -> list[str]:
    """_text of each value, a column at a time (in C when every value is text, as in a JSON request)."""
    return list(map(str.strip, values)) if set(map(type, values)) == {str} else list(map(_text, values))  # type: ignore[arg-type]


def _check(records: list[dict[str, Any]], *, partner: Partner, today: date) -> list[Outcome]:
    """Check every record against the catalogue, the partner's people and the rules, as a set: one query for
    the testing numbers, one for their employment, one for the session codes. Valid records get status "new"
    and their `key`; the ledger (duplicates) is not consulted here.

    The checks run a column at a time over the distinct values; only the records holding a value that fails
    one (the suspects) are checked one by one, for their messages, and the others are accepted as they are."""
    columns = [_texts(list(map(dict.get, records, repeat(name)))) for name in FIELDS]
    numbers, occurred = columns[1], columns[3]
    people = partner_selectors.partner_people_by_testing_number(partner=partner, numbers=set(numbers))
    spans = partner_selectors.employment_spans(partner=partner, individuals=people.values())
    person_ids = {number: person.pk for number, person in people.items()}
    sessions = {
        code: (pk, via, points)
        for code, pk, via, points in KnowledgeSession.objects.filter(code__in=set(columns[2])).values_list(
            "code", "pk", "via_assessment", "points"
        )
    }
    hows, known = LearningHow.values, {*FIELDS, "line"}
    days = {text: _parse_day(text) for text in set(occurred)}
    pairs = set(zip(columns[4], columns[2], strict=True))  # (how, session code)
    notes = {
        (how, code): rules.how_note(how, sessions[code][1], sessions[code][2])
        for how, code in pairs
        if code in sessions and how in hows
    }

    suspects = _suspects(records, columns, pairs, known=known, hows=hows, sessions=sessions, days=days, today=today)
    good_days = [d for d in days.values() if d is not None and d <= today]
    first, last = (min(good_days), max(good_days)) if good_days else (today, today)
    # Someone who works for the partner on every day given needs no closer look; anyone else does.
    settled = {n for n, p in person_ids.items() if any(s <= first and (e is None or last <= e) for s, e in spans[p])}
    if len(settled) < len(set(numbers)):
        suspects.update(i for i, n in enumerate(numbers) if n not in settled)
    lines = list(map(dict.get, records, repeat("line")))
    outcomes = [
        Outcome(
            index,
            lines[index] or index + 1,
            cid,
            "new",
            {},
            None,
            notes[how, code],
            (person_ids[number], sessions[code][0], days[day], how),
        )
        for index, (cid, number, code, day, how) in enumerate(zip(*columns, strict=True))
        if index not in suspects
    ]
    if not suspects:
        return outcomes
    works: dict[tuple[int, date], bool] = {}
    how_error = ", ".join(hows)
    nobody = f"No individual with this testing number works for {partner}"
    for index in sorted(suspects):  # each one checked in full: every message it deserves
        raw, (cid, number, code, occurred_text, how) = records[index], (column[index] for column in columns)
        errors = {} if known.issuperset(raw) else {name: "Unknown field." for name in raw.keys() - known}
        if not cid:
            errors["client_record_id"] = "A client record id is required."
        elif len(cid) > 100:
            errors["client_record_id"] = "The client record id is longer than 100 characters."
        elif cid.startswith(REVERSAL_PREFIX):
            errors["client_record_id"] = f"Client record ids starting '{REVERSAL_PREFIX}' are reserved for corrections."
        session = sessions.get(code)
        if session is None:
            errors["session_code"] = f"No knowledge session has the code '{code}'."
        day = days[occurred_text]
        if day is None:
            errors["occurred_on"] = f"'{raw.get('occurred_on') or ''}' is not a date (use YYYY-MM-DD)."
        elif day > today:
            errors["occurred_on"] = f"{day} is in the future."
        if how not in hows:
            errors["how"] = f"'{how}' is not one of: {how_error}."
        elif session and how == LearningHow.ASSESSMENT_PASSED and not session[1]:
            errors["how"] = f"The session '{code}' has no online assessment."
        person = person_ids.get(number)
        if person is not None and day is not None and (person, day) not in works:
            works[person, day] = any(s <= day and (e is None or day <= e) for s, e in spans[person])
        if person is None or (day is not None and not works[person, day]):
            # One message for "unknown" and "not ours": it must not tell whether the number exists elsewhere.
            errors["testing_number"] = f"{nobody} on {day}." if day else f"{nobody}."
        outcome = Outcome(index, lines[index] or index + 1, cid, "new")
        if errors or session is None or day is None or person is None:  # (any None is in `errors`)
            outcome.status, outcome.errors = "error", errors
        else:
            outcome.note, outcome.key = notes[how, code], (person, session[0], day, how)
        outcomes.append(outcome)
    outcomes.sort(key=attrgetter("index"))
    return outcomes


def _suspects(
    records: list[dict[str, Any]],
    columns: list[list[str]],
    pairs: set[tuple[str, str]],
    *,
    known: set[str],
    hows: list[str],
    sessions: dict[str, tuple[int, bool, int]],
    days: dict[str, date | None],
    today: date,
) -> set[int]:
    """The positions of the records holding a value that fails a check of its column alone (an unknown field, a
    bad client record id, session code, day or way of learning), or a way (of `pairs`) the session does not offer."""
    cids, _, codes, occurred, hows_given = columns
    cids_fine = (
        all(cids)
        and max(map(len, cids), default=0) <= 100
        and not any(map(methodcaller("startswith", REVERSAL_PREFIX), cids))
    )
    bad = [
        (cids, set() if cids_fine else {c for c in cids if not c or len(c) > 100 or c.startswith(REVERSAL_PREFIX)}),
        (codes, set(codes) - sessions.keys()),
        (occurred, {text for text, day in days.items() if day is None or day > today}),
        (hows_given, set(hows_given) - set(hows)),
    ]
    suspects = {i for column, values in bad if values for i, v in enumerate(column) if v in values}
    if not known.issuperset(set().union(*records)):
        suspects.update(i for i, raw in enumerate(records) if not known.issuperset(raw))
    offered = {
        (how, code) for how, code in pairs if how != LearningHow.ASSESSMENT_PASSED or sessions.get(code, (0, True))[1]
    }
    if len(offered) < len(pairs):
        suspects.update(i for i, pair in enumerate(zip(hows_given, codes, strict=True)) if pair not in offered)
    return suspects


def _existing(partner: Partner, cids: Iterable[str]) -> dict[str, tuple[int, tuple]]:
    """{client record id: (entry id, its key)} of the partner's ledger entries with these ids (one query, two when
    the first cannot tell)."""
    cids = list(cids)
    entries = LearningRecord.objects.filter(partner=partner)
    fields = ("client_record_id", "pk", "individual_id", "session_id", "occurred_on", "how")
    if connection.vendor == "postgresql":
        # First the partner's entries from the least of these ids to the greatest (as the database orders text):
        # one index range, where a sender's ids run in sequence. When there are more than twice as many as the
        # ids (ids scattered among many entries), each id is looked up instead: one array parameter.
        column = f"{connection.ops.quote_name(LearningRecord._meta.db_table)}.client_record_id"
        listed = json.dumps(cids)  # one text parameter: a list of 10,000 texts costs more to send than to look up
        ids = "SELECT jsonb_array_elements_text(%s::jsonb)"
        limit = 2 * len(cids) + 1
        between = f"{column} BETWEEN (SELECT min(c) FROM ({ids}) i(c)) AND (SELECT max(c) FROM ({ids}) i(c))"
        near = list(
            entries.filter(RawSQL(between, [listed, listed], output_field=BooleanField())).values_list(*fields)[:limit]
        )
        if len(near) < limit:
            wanted = set(cids)
            return {cid: (pk, tuple(key)) for cid, pk, *key in near if cid in wanted}
        entries = entries.filter(RawSQL(f"{column} = ANY(ARRAY({ids}))", [listed], output_field=BooleanField()))
    else:
        entries = entries.filter(client_record_id__in=cids)
    return {cid: (pk, tuple(key)) for cid, pk, *key in entries.values_list(*fields)}


def _insert(partner: Partner, records: list[Outcome], *, source: str, actor: access.Actor) -> dict[str, int]:
    """Add these records, whose client record ids are not in the ledger, in one COPY on PostgreSQL. Returns
    {client record id: new entry id}. An id added meanwhile outside the partner's lock fails the whole import."""
    same = {
        "partner_id": partner.pk,
        "reason": "",
        "source": source,
        "recorded_at": clock.now(),
        "recorded_by_id": getattr(access.person(actor), "pk", None),
    }
    columns = ["individual_id", "session_id", "occurred_on", "how", "client_record_id"]
    rows = [(*o.key, o.client_record_id) for o in records]  # o.key: (individual, session, day, how)
    try:
        ids = copy_into(LearningRecord, columns, rows, same=same)
    except IntegrityError as error:
        if "client_record_id" not in str(error):  # the unique constraint, on every backend
            raise
        raise ValidationError(
            {
                "records": "Another change recorded some of these client record ids meanwhile; nothing was saved. Send them again."
            }
        ) from error
    return {o.client_record_id: pk for o, pk in zip(records, ids, strict=True)}


def _failed(outcomes: list[Outcome]) -> bool:
    return any(o.status == "error" for o in outcomes)


def _settle(outcomes: list[Outcome], existing: dict[str, tuple[int, tuple]]) -> None:
    """The status of every valid record: new, or a duplicate of an entry or of an earlier line, or an error when
    its client record id already stands for a different record."""
    first: dict[str, Outcome] = {}
    for o in outcomes:
        if o.status == "error":
            continue
        cid = o.client_record_id
        if (earlier := existing.get(cid)) is not None:
            pk, key = earlier
            if key == o.key:
                o.status, o.record_id, o.note = "duplicate", pk, f"Already recorded (entry #{pk}): nothing added."
            else:
                o.status = "error"
                o.errors = {
                    "client_record_id": f"The client record id '{cid}' is already used by entry #{pk} for a different record."
                }
        elif (same := first.get(cid)) is not None:
            if same.key == o.key:
                o.status, o.note = "duplicate", f"Same record as line {same.line}: added once."
            else:
                o.status = "error"
                o.errors = {
                    "client_record_id": f"The client record id '{cid}' is already used by line {same.line} for a different record."
                }
        else:
            first[cid] = o


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
    record id is a duplicate and adds nothing. A constant number of queries whatever the number of records;
    one event and one recompute request of the partner (after commit) for a saved batch.
    """
    access.require(actor, "learning.record", partner=partner)
    records = list(records)
    if len(records) > BULK_MAX:
        raise ValidationError({"records": f"At most {BULK_MAX:,} records per request; this one has {len(records):,}."})
    with transaction.atomic():
        if not dry_run:
            # One import per partner at a time: the ledger then holds every record the checks below see.
            partner_services.partner_lock(partner_id=partner.pk)
        outcomes = _check(records, partner=partner, today=clock.today())
        valid: dict[str, Outcome] = {}
        for o in outcomes:
            if o.status == "new":
                valid.setdefault(o.client_record_id, o)  # the first record of each client record id
        # Under the partner's lock the ledger holds every entry these ids could meet: which, and the same record?
        _settle(outcomes, _existing(partner, valid.keys()) if valid else {})
        save = not dry_run and not (all_or_nothing and _failed(outcomes))
        fresh = [o for o in valid.values() if o.status == "new"]  # the first line of each id not in the ledger
        created = _insert(partner, fresh, source=source, actor=actor) if save and fresh else {}
        for o in outcomes:  # the created lines, and the record id of their repeats
            if o.status != "error" and o.record_id is None and o.client_record_id in created:
                o.record_id, o.status = created[o.client_record_id], "created" if o.status == "new" else o.status
        if created:
            ids = sorted(created.values())
            event_record(
                kind="learning.recorded",
                partner=partner,
                actor=actor,
                summary=f"{plural(len(ids), 'learning record')} recorded ({SOURCES.get(source, source)})",
                payload={"count": len(ids), "source": source, "ids": [ids[0], ids[-1]]},
            )
            recompute_queue(partner_id=partner.pk)
    return ImportResult(outcomes=outcomes, dry_run=dry_run, saved=bool(created))


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
            summary=(
                f"{record.individual}'s “{record.session.title}” of {record.occurred_on} reversed "
                f"({signed(-record.session.points)} {'point' if record.session.points == 1 else 'points'}): {reason}"
            )[:300],
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
