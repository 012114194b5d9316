"""Read helpers over every credential model (concrete subclasses of core.models.CredentialBase): the
registry, their references and URLs, the verdicts the compliance engine gives them, the policy in force."""

from __future__ import annotations

import logging
from datetime import date
from typing import cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance.selectors import credential_verdicts, stored_verdicts_current
from core.models import CredentialBase
from partners.access import TenantQuerySet

from . import rules
from .models import RenewalApplication, RenewalPolicy

logger = logging.getLogger(__name__)


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


def retired_path(model) -> str | None:
    """The lookup to the retirement date of what the credential is of (specializations retire)."""
    try:
        related = model._meta.get_field("specialization").related_model
        related._meta.get_field("retired_on")
    except Exception:
        return None
    return "specialization__retired_on"


def retired_on(credential) -> date | None:
    path = retired_path(type(credential))
    if path is None:
        return None
    if hasattr(credential, "_retired_on"):
        return credential._retired_on
    return credential.specialization.retired_on


def renewal_url(credential) -> str:
    return reverse("renewal-detail", kwargs={"kind": credential._meta.model_name, "pk": credential.pk})


def verdicts_for(*, credentials, as_of, for_renewal: bool = False) -> dict:
    """The verdict contract of the compliance engine: {(label_lower, pk): Verdict}. `for_renewal`: judged
    by the requirements of the coming renewal (submissions, and what the renewal notices list)."""
    if not credentials:
        return {}

    return credential_verdicts(credentials=credentials, as_of=as_of, for_renewal=for_renewal)


def current_verdicts(*, credentials, as_of: date, partner_range: tuple[int, int] | None = None) -> dict:
    """Compliant or not (and what is unmet) for each credential on `as_of`, keyed like `verdicts_for`: the stored
    verdict where it still holds on that day (compliance says which), computed live for the others (none stored
    yet, stale, another cycle's, or a past or future day). `partner_range`: the partners the credentials are of."""
    stored = stored_verdicts_current(on=as_of, partner_range=partner_range)
    out, live = {}, []
    for c in credentials:
        verdict = stored.get(credential_key(c))
        if verdict is not None and verdict.anniversary == c.anniversary:
            out[credential_key(c)] = verdict
        else:
            live.append(c)
    out.update(verdicts_for(credentials=live, as_of=as_of))
    return out


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


def has_policy(as_of: date) -> bool:
    """False before the renewal policy's first row: no credential is up for renewal then."""
    return RenewalPolicy.objects.in_force(as_of) is not None


def policy_in_force(as_of: date) -> rules.Policy:
    row = RenewalPolicy.objects.in_force(as_of)
    if row is None:
        raise ValidationError({"as_of": f"No renewal policy is in force on {as_of:%Y-%m-%d}."})
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
