"""What the lifecycle services share: recipients, the active credentials, status writes, events and notices."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, prefetch_related_objects

from compliance.services.credentials import credentials_status_set
from core import status
from core.events import events_record_many
from core.notices import notices_queue_many
from core.recompute import recompute_queue_many
from partners import access
from partners import selectors as partner_selectors

from .. import rules
from ..credentials import Held, credential_models, held_rows, missing_words, renewal_url, with_retired_on

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.db import models
    from django.db.models import QuerySet

    from core.models import CredentialBase

    _M = TypeVar("_M", bound=models.Model)

logger = logging.getLogger(__name__)

LOCK = "renewal-lifecycle"  # the lifecycle's jobs (scan, incidents) never overlap

PartnerRange = tuple[int, int]  # partner ids from lo (inclusive) to hi (exclusive)


def range_lock(partner_range: PartnerRange | None) -> str:
    """The job lock of a scan of these partners: one per range, so chunks of a night run side by side and two
    scans of the same range one after the other."""
    return LOCK if partner_range is None else f"{LOCK}:{partner_range[0]}-{partner_range[1]}"


def in_range(qs: QuerySet[_M], partner_range: PartnerRange | None) -> QuerySet[_M]:
    if partner_range is None:
        return qs
    return qs.filter(partner_id__gte=partner_range[0], partner_id__lt=partner_range[1])


def recipients(partner_ids: Iterable[int]) -> tuple[dict, dict]:
    """Partner admins' and account managers' e-mail addresses per partner (two queries)."""
    return partner_selectors.partner_contacts(partner_ids)


def staff_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(Q(is_staff=True) | Q(profile__role=access.STAFF), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def active_credentials(partner_ids: Iterable[int] | None = None) -> list:
    creds = []
    for model in credential_models():
        qs = with_retired_on(model).filter(status__in=rules.ACTIVE)
        if partner_ids is not None:
            qs = qs.filter(partner_id__in=partner_ids)
        creds += list(qs)
    return creds


def active_rows(partner_range: PartnerRange | None = None) -> list[Held]:
    """The active credentials (of these partners), as rows: one query per credential model."""
    return held_rows(lambda qs: in_range(qs.filter(status__in=rules.ACTIVE), partner_range))


def load_related(credentials: Iterable[CredentialBase]) -> None:
    """Fetch what names a credential (partner, territory, tier or specialization) for the few that need it:
    one query per foreign key and credential model, instead of joining them for every credential."""
    by_model = defaultdict(list)
    for c in credentials:
        by_model[type(c)].append(c)
    for model, items in by_model.items():
        prefetch_related_objects(items, *[f.name for f in model._meta.concrete_fields if f.many_to_one])


def set_status(credentials: list[CredentialBase], status: str, as_of: date) -> None:
    """Through the one writer of credential status (compliance.services.credentials). A credential no longer
    held, held again or renewed changes its partner's verdicts (a certification may need the specialization): they
    are queued for a recompute, so no stored verdict is trusted before it (entering Re-Cert changes none)."""
    credentials_status_set(credentials=list(credentials), status=status, on=as_of)
    if status != rules.RECERT:
        recompute_queue_many(partner_ids={c.partner_id for c in credentials})


def emit(items: list[Any]) -> int:
    """items: (Event, recipients, template, context, cc). Records the new events, queues their notices."""
    created = {e.dedupe_key for e in events_record_many([item[0] for item in items])}
    notices_queue_many([item for item in items if item[0].dedupe_key in created])
    return len(created)


def credential_context(credential: CredentialBase, policy: rules.Policy, verdict: Any = None) -> dict:
    """What a credential's notice says: `verdict` judges the renewal (what it still misses, with its status word);
    `status_words` are core.status's lifecycle labels by code."""
    return {
        "credential": credential.title,
        "partner": credential.partner.legal_name,
        "anniversary": credential.anniversary,
        "last_day": rules.last_day_to_submit(credential.anniversary, policy),
        "missing": missing_words(verdict),
        "status_words": {value: s.label for value, s in status.STATES[status.LIFECYCLE].items()},
        "renewal_url": settings.SITE_URL + renewal_url(credential),
    }
