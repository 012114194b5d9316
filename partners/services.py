"""Writes for partners and people. One function per use case; forms, API and imports call these."""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from knox.models import AuthToken

from core import clock
from core.events import event_record
from core.words import join_words

from . import access
from .models import Association, Individual, Partner, Territory

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


def _field_words(name: str) -> str:
    """A partner field as a person names it ("legal name", "countries")."""
    if name == "territories":
        return "countries"
    field = Partner._meta.get_field(name)
    return str(getattr(field, "verbose_name", name.replace("_", " ")))


def partner_create(
    *,
    legal_name: str,
    vendor_partner_id: str,
    is_registered: bool = False,
    registered_on: date | None = None,
    territories: Iterable[Territory] = (),
    actor: access.Actor,
) -> Partner:
    access.require(actor, "partner.create")
    partner = Partner(
        legal_name=legal_name,
        vendor_partner_id=vendor_partner_id,
        is_registered=is_registered,
        registered_on=registered_on,
    )
    partner.full_clean()
    with transaction.atomic():
        partner.save()
        partner.territories.set(territories)
        event_record(
            kind="partner.created", summary=f"Partner {partner.legal_name} created", partner=partner, actor=actor
        )
    return partner


def partner_update(
    *, partner: Partner, actor: access.Actor, territories: Iterable[Territory] | None = None, **fields: Any
) -> Partner:
    access.require(actor, "partner.update", partner=partner)
    changed = {k: v for k, v in fields.items() if getattr(partner, k) != v}
    for key, value in changed.items():
        setattr(partner, key, value)
    partner.full_clean()
    with transaction.atomic():
        partner.save()
        if territories is not None:
            partner.territories.set(territories)
            changed["territories"] = sorted(t.code for t in territories)
        if changed:
            event_record(
                kind="partner.updated",
                summary=f"Partner details changed: {join_words([_field_words(k) for k in changed])}",
                partner=partner,
                payload={k: str(v) for k, v in changed.items()},
                actor=actor,
            )
    return partner


def individual_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    testing_number: str,
    partner: Partner | None = None,
    start: date | None = None,
    actor: access.Actor,
) -> Individual:
    """Create an individual and, when a partner is given, associate them from `start` (default today)."""
    access.require(actor, "individual.create", partner=partner)  # no partner: staff only
    individual = Individual(first_name=first_name, last_name=last_name, email=email, testing_number=testing_number)
    individual.full_clean()
    with transaction.atomic():
        try:
            individual.save()
        except IntegrityError:
            raise ValidationError(
                {"testing_number": "An individual with this testing number already exists."}
            ) from None
        if partner is not None:
            individual_associate(individual=individual, partner=partner, start=start or clock.today(), actor=actor)
    return individual


def individual_associate(*, individual: Individual, partner: Partner, start: date, actor: access.Actor) -> Association:
    """Associate an individual with a partner from `start`.

    An individual works for one partner at a time: an open association with another partner is
    closed the day before `start` (a move keeps history). Overlapping a closed period is refused.
    """
    access.require(actor, "individual.create", partner=partner)
    with transaction.atomic():
        # Lock the individual so two concurrent moves cannot both open an association.
        Individual.objects.select_for_update().get(pk=individual.pk)
        open_assoc = Association.objects.filter(individual=individual, end__isnull=True).first()
        if open_assoc and open_assoc.partner_id == partner.pk:
            raise ValidationError({"partner": f"{individual} is already associated with {partner}."})
        if open_assoc:
            if open_assoc.start >= start:
                raise ValidationError(
                    {
                        "start": f"The move must start after {open_assoc.start}, when the "
                        f"current association with {open_assoc.partner} began."
                    }
                )
            open_assoc.end = date.fromordinal(start.toordinal() - 1)
            open_assoc.save(update_fields=["end"])
        overlap = Association.objects.filter(individual=individual, end__isnull=False, end__gte=start)
        if open_assoc is not None:
            overlap = overlap.exclude(pk=open_assoc.pk)
        if overlap.exists():
            raise ValidationError({"start": "This overlaps an earlier association of this individual."})
        assoc = Association.objects.create(individual=individual, partner=partner, start=start)
        event_record(
            kind="individual.associated",
            summary=f"{individual} joined {partner} on {start}",
            individual=individual,
            partner=partner,
            actor=actor,
            payload={"individual": individual.pk, "start": str(start)},
        )
        if open_assoc:
            event_record(
                kind="individual.left",
                summary=f"{individual} left {open_assoc.partner} on {open_assoc.end}",
                individual=individual,
                partner=open_assoc.partner,
                actor=actor,
                payload={"individual": individual.pk},
                dedupe_key=f"individual.left:{open_assoc.pk}",
            )
    return assoc


def individual_update(*, individual: Individual, actor: access.Actor, **fields: Any) -> Individual:
    access.require(actor, "individual.update", obj=individual)
    for key, value in fields.items():
        setattr(individual, key, value)
    individual.full_clean()
    individual.save()
    return individual


def territory_resolve(codes: Iterable[str]) -> list[Territory]:
    """Territories by code; unknown codes are a validation error naming them."""
    codes = [c.strip().upper() for c in codes if c and c.strip()]
    found = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({"territories": f"Unknown country or group: {', '.join(missing)}."})
    return [found[c] for c in codes]


def partner_lock(*, partner_id: int) -> None:
    """Lock the partner's row until the transaction ends: one bulk import per partner at a time."""
    Partner.objects.select_for_update().filter(pk=partner_id).first()


def user_access_revoke(*, user_id: int, sessions: bool = True) -> tuple[int, int]:
    """Revoke what lets a user in without their password: every API token (knox) and, with `sessions`, every
    signed-in session. Called when the password changes, the user is deactivated, or their role (profile role or
    partner, staff flags) changes or goes (partners/signals.py). Returns (tokens, sessions) deleted.

    Sessions are found by reading the session table (database-backed session engines); a password change leaves
    them to Django, whose session auth hash already logs out every other session and keeps the current one."""
    tokens, _ = AuthToken.objects.filter(user_id=user_id).delete()
    ended = 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if sessions and hasattr(store, "get_model_class"):
        model = store.get_model_class()
        mine = [
            s.session_key
            for s in model.objects.filter(expire_date__gt=clock.now()).iterator(chunk_size=2000)
            if str(s.get_decoded().get(SESSION_KEY)) == str(user_id)
        ]
        ended, _ = model.objects.filter(session_key__in=mine).delete()
    return tokens, ended
