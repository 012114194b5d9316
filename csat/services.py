"""Writes for customer satisfaction: responses (one by one or by CSV), follow-ups, measurement dates."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.events import event_record
from core.recompute import recompute_queue
from core.selectors import policy_book
from core.words import plural
from partners import access
from partners import selectors as partner_selectors

from .models import FollowUp, MeasurementDate, SurveyResponse

if TYPE_CHECKING:
    from partners.models import Partner, Territory


def _check_territory(partner: Partner, territory: Territory) -> None:
    if not partner.territories.filter(pk=territory.pk).exists():
        raise ValidationError({"territory": f"{partner} does not operate in {territory}."})


def _build_response(
    *,
    partner: Partner,
    territory: Territory,
    customer: str,
    received_on: date,
    score: int | None = None,
    valid: bool = True,
    reference: str = "",
    check_constraints: bool = True,
) -> SurveyResponse:
    if received_on > clock.today():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    response = SurveyResponse(
        partner=partner,
        territory=territory,
        customer=customer,
        received_on=received_on,
        score=score,
        valid=valid,
        reference=reference or "",
    )
    # The import resolves partners and checks references for the whole file at once: no query per row.
    response.full_clean(
        exclude=None if check_constraints else ["partner", "territory"],
        validate_unique=check_constraints,
        validate_constraints=check_constraints,
    )
    return response


@transaction.atomic
def response_create(
    *,
    partner: Partner,
    territory: Territory,
    customer: str,
    received_on: date,
    score: int | None = None,
    valid: bool = True,
    reference: str = "",
    actor: access.Actor,
) -> SurveyResponse:
    access.require(actor, "csat.record", partner=partner)
    _check_territory(partner, territory)
    response = _build_response(
        partner=partner,
        territory=territory,
        customer=customer,
        received_on=received_on,
        score=score,
        valid=valid,
        reference=reference,
    )
    response.save()
    event_record(
        kind="csat.response_recorded",
        partner=partner,
        actor=actor,
        summary=f"CSAT response from {customer} ({score or 'unrated'}) received {received_on}",
    )
    recompute_queue(partner_id=partner.pk)
    return response


@transaction.atomic
def response_set_validity(*, response: SurveyResponse, valid: bool, actor: access.Actor) -> SurveyResponse:
    """Program staff mark a response valid or invalid (invalid ones do not count)."""
    access.require(actor, "csat.record", partner=response.partner)
    response.valid = valid
    response.save(update_fields=["valid"])
    event_record(
        kind="csat.validity_changed",
        partner=response.partner,
        actor=actor,
        summary=f"CSAT response from {response.customer} marked {'valid' if valid else 'invalid'}",
    )
    recompute_queue(partner_id=response.partner_id)
    return response


@transaction.atomic
def followup_record(
    *, response: SurveyResponse, recorded_on: date | None = None, note: str, actor: access.Actor
) -> FollowUp:
    """Record the follow-up of a low-score response (RULES 5.5)."""
    access.require(actor, "csat.followup", partner=response.partner)

    recorded_on = recorded_on or clock.today()
    low = policy_book().value("csat.low_score_max", response.received_on)
    errors = {}
    if response.score is None or response.score > low:
        errors["response"] = f"Only a low-score response (score {low} or less) needs a follow-up."
    elif FollowUp.objects.filter(response=response).exists():
        errors["response"] = "This response already has a follow-up."
    if recorded_on > clock.today():
        errors["recorded_on"] = "The follow-up cannot be dated in the future."
    elif recorded_on < response.received_on:
        errors["recorded_on"] = "The follow-up cannot be before the response was received."
    if not (note or "").strip():
        errors["note"] = "Say what was done."
    if errors:
        raise ValidationError(errors)
    follow = FollowUp.objects.create(
        response=response, recorded_on=recorded_on, note=note.strip(), recorded_by=access.person(actor)
    )
    event_record(
        kind="csat.followup_recorded",
        partner=response.partner,
        actor=actor,
        summary=f"Follow-up of the low score from {response.customer} recorded on {recorded_on}",
    )
    recompute_queue(partner_id=response.partner_id)
    return follow


@transaction.atomic
def measurement_date_update(*, measurement_date: MeasurementDate, on: date, actor: access.Actor) -> MeasurementDate:
    """Staff publish the exact measurement date; it must fall in its fiscal year (August to July)."""
    access.require(actor, "csat.measurement_date")
    fy = measurement_date.fiscal_year
    if not date(fy - 1, 8, 1) <= on <= date(fy, 7, 31):
        raise ValidationError(
            {"date": f"A FY{fy} measurement date falls between {date(fy - 1, 8, 1)} and {date(fy, 7, 31)}."}
        )
    if MeasurementDate.objects.filter(date=on).exclude(pk=measurement_date.pk).exists():
        raise ValidationError({"date": "Another measurement date is already on that day."})
    old = measurement_date.date
    measurement_date.date = on
    measurement_date.save(update_fields=["date"])
    event_record(
        kind="csat.measurement_date_changed",
        actor=actor,
        summary=f"FY{fy} CSAT measurement date moved from {old} to {on}",
    )
    return measurement_date


# --- CSV import ---------------------------------------------------------------------------------------------

IMPORT_COLUMNS = ["partner", "country", "customer", "received_on", "score", "valid", "reference"]
REQUIRED_COLUMNS = ["partner", "country", "customer", "received_on"]
TRUE, FALSE = {"", "1", "true", "yes", "y", "valid"}, {"0", "false", "no", "n", "invalid"}


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    created: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line": n, "errors": {field: message}}

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_row(
    row: dict[str, str | None], partners: dict[str, Partner], territories: dict[str, Territory], seen_refs: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    partner = partners.get((row.get("partner") or "").strip())
    if partner is None:
        errors["partner"] = f"Unknown partner id “{row.get('partner', '')}”."
    territory = territories.get((row.get("country") or "").strip().upper())
    if territory is None:
        errors["country"] = f"Unknown country code “{row.get('country', '')}”."
    elif partner is not None and territory.pk not in partner.territory_ids:
        errors["country"] = f"{partner} does not operate in {territory}."
    try:
        values["received_on"] = date.fromisoformat((row.get("received_on") or "").strip())
    except ValueError:
        errors["received_on"] = "Use a date like 2026-01-31."
    score = (row.get("score") or "").strip()
    if score and not (score.isdigit() and 1 <= int(score) <= 10):
        errors["score"] = "The score is a whole number from 1 to 10, or empty for unrated."
    valid = (row.get("valid") or "").strip().lower()
    if valid not in TRUE | FALSE:
        errors["valid"] = "Use yes or no."
    reference = (row.get("reference") or "").strip()
    if reference and reference in seen_refs:
        errors["reference"] = "This reference appears twice in the file."
    seen_refs.add(reference)
    values.update(
        partner=partner,
        territory=territory,
        customer=(row.get("customer") or "").strip(),
        score=int(score) if score.isdigit() else None,
        valid=valid not in FALSE,
        reference=reference,
    )
    return values, errors


def responses_import(*, file: Any, dry_run: bool = True, actor: access.Actor) -> ImportResult:
    """Import survey responses from CSV (columns: partner, country, customer, received_on, score, valid,
    reference). Every row is checked; one bad row and nothing is saved. A dry run saves nothing either."""
    access.require(actor, "csat.import")
    text = file.read() if hasattr(file, "read") else file
    result = ImportResult(dry_run=dry_run)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = "The file is not UTF-8 text: save it as CSV UTF-8 (not compressed, not Latin-1)."
            result.errors.append({"line": 1, "errors": {"file": message}})
            return result
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        rows = [] if missing else list(reader)
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        result.errors.append({"line": reader.line_num, "errors": {"file": f"The file is not readable CSV: {exc}."}})
        return result
    if missing:
        result.errors.append({"line": 1, "errors": {"file": f"Missing column(s): {', '.join(missing)}."}})
        return result
    partners = partner_selectors.partners_by_vendor_id((r.get("partner") or "").strip() for r in rows)
    territories = partner_selectors.territories_by_code()
    existing = set(
        SurveyResponse.objects.filter(
            reference__in={(r.get("reference") or "").strip() for r in rows} - {""}
        ).values_list("reference", flat=True)
    )
    objects: list[SurveyResponse] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        result.rows += 1
        values, errors = _parse_row(row, partners, territories, seen)
        if values["reference"] in existing:
            errors["reference"] = "A response with this reference was imported before."
        if not errors:
            try:
                objects.append(_build_response(**values, check_constraints=False))
            except ValidationError as exc:
                errors = exc.message_dict
        if errors:
            result.errors.append(
                {"line": line, "errors": {k: " ".join(v) if isinstance(v, list) else v for k, v in errors.items()}}
            )
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(objects, batch_size=1000)
        result.created = len(objects)
        touched = sorted({o.partner_id for o in objects})
        for partner_id in touched:
            recompute_queue(partner_id=partner_id)
        event_record(
            kind="csat.imported",
            actor=actor,
            summary=f"{plural(result.created, 'CSAT response')} imported",
            payload={"partners": touched[:200], "created": result.created},
        )
    return result
