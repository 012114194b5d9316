"""Scoped reads for pages and the API: what the user may see."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from core import status
from specializations import selectors as specialization_selectors

from .. import facts
from ..evidence_selectors import partner_records
from ..models import (
    CredentialVerdict,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
    VerdictChange,
)
from .live import credential_verdicts, key_of
from .stored import NotMetYet, UnmetLabels

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from core.models import CredentialBase
    from partners import access
    from partners.models import Partner


def certification_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[PartnerCertification]:
    qs = PartnerCertification.objects.visible_to(user).select_related("tier", "territory", "partner")
    return qs.filter(partner=partner) if partner is not None else qs


def certification_get(*, user: access.Actor, pk: int | str) -> PartnerCertification:
    return get_object_or_404(certification_list(user=user), pk=pk)


def partner_credentials(*, user: access.Actor, partner: Partner) -> list:
    """Every credential the partner holds (certifications first), as visible to the user."""

    specs = specialization_selectors.partner_holdings(user=user, partner=partner).select_related(
        "specialization", "territory"
    )
    return list(certification_list(user=user, partner=partner)) + list(specs)


def partner_verdicts(*, user: access.Actor, partner: Partner, as_of: date) -> list[tuple[object, facts.Verdict]]:
    credentials = partner_credentials(user=user, partner=partner)
    verdicts = credential_verdicts(credentials=credentials, as_of=as_of)
    return [(c, verdicts[key_of(c)]) for c in credentials]


def verdict_history(
    *, user: access.Actor, partner: Partner, credential: CredentialBase | None = None
) -> QuerySet[VerdictChange]:
    qs = VerdictChange.objects.visible_to(user).filter(partner=partner)
    if credential is not None:
        qs = qs.filter(credential_type=key_of(credential)[0], credential_id=credential.pk)
    return qs.order_by("-as_of", "name")


# The portfolio's order, from the sort keys on the row; the index verdict_portfolio_order serves it.
PORTFOLIO_ORDER = ("partner_name", "territory_name", "name", "id")


def portfolio(*, user: access.Actor) -> QuerySet[CredentialVerdict]:
    """The stored verdicts the user may see, in portfolio order (the sort keys are on the row: no join to sort;
    the territory joins for its code)."""
    return CredentialVerdict.objects.visible_to(user).select_related("territory").order_by(*PORTFOLIO_ORDER)


def portfolio_rows(*, user: access.Actor) -> QuerySet[CredentialVerdict]:
    """`portfolio` for the API's pages: on PostgreSQL the labels of the unmet requirements (`unmet_labels`) and
    whether one is not met yet (`not_met_yet`) come from the database, and the requirements JSON (about 1 KB a
    row) stays there."""
    qs = portfolio(user=user)
    if connection.vendor != "postgresql":
        return qs
    return qs.defer("requirements").annotate(
        unmet_labels=UnmetLabels("requirements"), not_met_yet=NotMetYet("requirements")
    )


def portfolio_chart(qs: QuerySet[CredentialVerdict]) -> dict:
    """Counts for the chart in core.status's words: compliant or on track (told apart only by the requirements), at
    risk, not compliant."""
    counts = qs.order_by().aggregate(
        n_ok=Count("pk", filter=Q(compliant=True, at_risk=False)),
        n_risk=Count("pk", filter=Q(compliant=True, at_risk=True)),
        n_bad=Count("pk", filter=Q(compliant=False)),
    )
    return {
        "labels": status.chart_labels(),
        "values": [counts["n_ok"], counts["n_risk"], counts["n_bad"]],
    }


def hybrid_services(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[HybridITService]:
    return partner_records(HybridITService, user, partner)  # with their evidence documents


def support_agreements(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[SupportAgreement]:
    return partner_records(SupportAgreement, user, partner)  # with their evidence documents


def support_capabilities(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[SupportCapability]:
    return partner_records(SupportCapability, user, partner)  # with their evidence documents
