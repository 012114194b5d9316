"""Read helpers over every credential model (concrete subclasses of core.models.CredentialBase): the
registry, their references and URLs, the verdicts the compliance engine gives them, the policy in force."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any, NamedTuple, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.urls import reverse

from compliance.selectors import credential_verdicts, stored_verdicts_current
from core import status
from core.models import CredentialBase
from partners.access import TenantQuerySet

from . import rules
from .models import RenewalApplication, RenewalPolicy

logger = logging.getLogger(__name__)

BIG_IN = 2000  # above this many ids, read a range of ids and pick in Python


def credential_models() -> list[type[CredentialBase]]:
    """Every concrete credential model (partner specializations, partner certifications, ...)."""
    return [m for m in apps.get_models() if issubclass(m, CredentialBase)]


def credential_objects(model: type[CredentialBase]) -> TenantQuerySet:
    """`model.objects.all()`: every concrete credential model's manager is a TenantQuerySet's (the abstract base
    declares none, so the type checker cannot see it)."""
    return cast(TenantQuerySet, model._default_manager.all())


def credential_model(kind: str):
    """The credential model named by its model name in URLs (e.g. `partnerspecialization`)."""
    for model in credential_models():
        if model._meta.model_name == kind:
            return model
    return None


def credential_ref(credential) -> str:
    return f"{credential._meta.label_lower}:{credential.pk}"


def credential_key(credential) -> tuple[str, int]:
    """The key of the verdict contract: (label_lower, pk)."""
    return credential._meta.label_lower, credential.pk


@cache
def retired_path(model) -> str | None:
    """The lookup to the retirement date of what the credential is of (specializations retire)."""
    try:
        related = model._meta.get_field("specialization").related_model
        related._meta.get_field("retired_on")
    except Exception:
        return None
    return "specialization__retired_on"


def retired_on(credential) -> date | None:
    if hasattr(credential, "_retired_on"):  # annotated (with_retired_on), or a Held row
        return credential._retired_on
    if retired_path(credential._meta.model) is None:
        return None
    return credential.specialization.retired_on


def with_retired_on(model: type[CredentialBase]) -> QuerySet:
    """The model's credentials, each with its retirement date (if its kind retires) as `_retired_on`."""
    path = retired_path(model)
    qs = model._default_manager.all()
    return qs.annotate(_retired_on=F(path)) if path else qs


class Held(NamedTuple):
    """A credential as a batch job first reads it: a row, not a model instance (`instances` loads those for the
    few it acts on). Keyed, referenced and judged by the renewal rules like an instance."""

    model: type[CredentialBase]
    pk: int
    partner_id: int
    status: str
    anniversary: date
    status_changed_on: date | None
    retired: date | None

    @property
    def _meta(self):  # what credential_key and credential_ref read
        return self.model._meta

    @property
    def _retired_on(self) -> date | None:
        return self.retired


HELD_FIELDS = ("pk", "partner_id", "status", "anniversary", "status_changed_on")


def held_rows(qs_of: Callable[[QuerySet], QuerySet]) -> list[Held]:
    """Every credential model's credentials that `qs_of(with_retired_on(model))` selects, as Held rows (one query
    per model)."""
    rows = []
    for model in credential_models():
        qs = qs_of(with_retired_on(model))
        retires = retired_path(model) is not None
        rows += [
            Held(model, pk, partner_id, status, anniversary, changed_on, retired[0] if retired else None)
            for pk, partner_id, status, anniversary, changed_on, *retired in qs.values_list(
                *HELD_FIELDS, *(["_retired_on"] if retires else [])
            )
        ]
    return rows


def instances(credentials: Iterable[Any], known: dict | None = None) -> dict[tuple[str, int], CredentialBase]:
    """The model instances of these credentials (Held rows are loaded unless `known` has them, instances kept),
    keyed by credential_key, with `_retired_on`: one query per model, by a range of ids when there are many."""
    out, ids, known = {}, defaultdict(set), known or {}
    for c in credentials:
        key = credential_key(c)
        if not isinstance(c, Held):
            out[key] = c
        elif key in known:
            out[key] = known[key]
        else:
            ids[c.model].add(c.pk)
    for model, wanted in ids.items():
        qs = with_retired_on(model)
        qs = qs.filter(pk__in=wanted) if len(wanted) <= BIG_IN else qs.filter(pk__range=(min(wanted), max(wanted)))
        out.update((credential_key(obj), obj) for obj in qs if obj.pk in wanted)
    return out


def renewal_url(credential) -> str:
    return reverse("renewal-detail", kwargs={"kind": credential._meta.model_name, "pk": credential.pk})


def verdicts_for(*, credentials, as_of, for_renewal: bool = False) -> dict:
    """The verdict contract of the compliance engine: {(label_lower, pk): Verdict}. `for_renewal`: judged
    by the requirements of the coming renewal (submissions, and what the renewal notices list)."""
    if not credentials:
        return {}

    return credential_verdicts(credentials=credentials, as_of=as_of, for_renewal=for_renewal)


def trusted_verdicts(
    *, credentials: list, as_of: date, partner_range: tuple[int, int] | None = None
) -> tuple[dict, list]:
    """The stored verdicts of these credentials that still hold on `as_of` (compliance says which, and they judged
    the same cycle), keyed like `verdicts_for` (compliant or not, and what is unmet); and the credentials left to
    judge live (none stored yet, stale, or a past or future day). `partner_range`: the partners they are of."""
    stored = stored_verdicts_current(on=as_of, partner_range=partner_range)
    trusted, live = {}, []
    for c in credentials:
        key = credential_key(c)
        verdict = stored.get(key)
        if verdict is not None and verdict.anniversary == c.anniversary:
            trusted[key] = verdict
        else:
            live.append(c)
    return trusted, live


def verdict_snapshot(verdict) -> dict:
    if verdict is None:
        return {}
    return {"compliant": bool(verdict.compliant), "unmet": unmet_list(verdict)}


def unmet_list(verdict) -> list[dict]:
    if verdict is None:
        return []
    return [
        {"label": str(r.label), "missing": r.missing if isinstance(r.missing, str) else "; ".join(map(str, r.missing))}
        for r in verdict.unmet
    ]


def missing_words(verdict: Any) -> list[dict]:
    """The unmet requirements for a notice: label, what is missing, and its status word (core.status), as the
    renewal page shows them: "Not met yet" while there is time, "Missed" once due."""
    return [
        {**item, "state": status.label(status.REQUIREMENT, status.requirement_value(r))}
        for r, item in zip(verdict.unmet if verdict else [], unmet_list(verdict), strict=True)
    ]


def has_policy(as_of: date) -> bool:
    """False before the renewal policy's first row: no credential is up for renewal then."""
    return RenewalPolicy.objects.in_force(as_of) is not None


def policy_in_force(as_of: date) -> rules.Policy:
    policy = policy_on(as_of)
    if policy is None:
        raise ValidationError({"as_of": f"No renewal policy is in force on {as_of:%Y-%m-%d}."})
    return policy


def policy_on(as_of: date) -> rules.Policy | None:
    """The renewal policy in force on `as_of`; None before its first row (no credential is up for renewal)."""
    row = RenewalPolicy.objects.in_force(as_of)
    if row is None:
        return None
    return rules.Policy(
        id=row.pk,
        effective_from=row.effective_from,
        recert_window_days=row.recert_window_days,
        reminder_days=tuple(int(d) for d in row.reminder_days),
        lapse_after_days=row.lapse_after_days,
        acknowledge_days=row.acknowledge_days,
    )


def live_renewal(credential):
    ct = ContentType.objects.get_for_model(credential)
    return RenewalApplication.objects.filter(
        content_type=ct,
        object_id=credential.pk,
        cycle_anniversary=credential.anniversary,
        status=RenewalApplication.SUBMITTED,
    ).first()


def credential_facts(credential, *, has_live_renewal: bool) -> rules.CredentialFacts:
    return rules.CredentialFacts(
        status=credential.status,
        anniversary=credential.anniversary,
        status_changed_on=credential.status_changed_on,
        has_live_renewal=has_live_renewal,
        retired_on=retired_on(credential),
    )
