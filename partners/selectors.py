"""Reads for partners and people, always scoped to the asking user."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Count, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404

from core import selectors as core_selectors

from . import access
from .models import Association, Individual, Partner, Profile, Territory

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.db.models import QuerySet

    from core.models import Event


def partner_list(*, user: access.Actor, search: str = "") -> QuerySet[Partner]:
    qs = (
        Partner.objects.visible_to(user)
        .annotate(
            territory_count=Count("territories", distinct=True),
        )
        .prefetch_related("territories", "account_managers")
    )
    if search:
        qs = qs.filter(Q(legal_name__icontains=search) | Q(vendor_partner_id__icontains=search))
    return qs.order_by("legal_name")


def partner_get(*, user: access.Actor, pk: int | str) -> Partner:
    """The partner, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(Partner.objects.visible_to(user), pk=pk)


def individual_list(
    *, user: access.Actor, partner: Partner | None = None, as_of: date | None = None
) -> QuerySet[Individual]:
    qs = Individual.objects.visible_to(user)
    if partner is not None:
        assoc = Association.objects.filter(partner=partner)
        if as_of is not None:
            assoc = assoc.current(as_of)
        qs = qs.filter(pk__in=assoc.values("individual"))
    visible_assoc = Association.objects.visible_to(user).select_related("partner")
    return (
        qs.prefetch_related(Prefetch("associations", queryset=visible_assoc))
        .annotate(
            contact_visible=Case(
                When(pk__in=access.contact_visible_individuals(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("last_name", "first_name")
    )


def individual_get(*, user: access.Actor, pk: int | str) -> Individual:
    return get_object_or_404(individual_list(user=user), pk=pk)


def partner_timeline(*, user: access.Actor, partner: Partner, limit: int = 200) -> QuerySet[Event]:
    return access.events_visible(core_selectors.events(), user).filter(partner=partner).select_related("actor")[:limit]


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.prefetch_related("countries").order_by("name")


# --- Reads other apps use (they read partners' data only through these) -------------------------------


def territory_by_code(code: str) -> Territory | None:
    """The country (or group) with this code, any case; None when unknown."""
    return Territory.objects.filter(code__iexact=(code or "").strip()).first()


def territories_by_code() -> dict[str, Territory]:
    return {t.code.upper(): t for t in Territory.objects.all()}


def territory_names() -> dict[int, str]:
    return dict(Territory.objects.values_list("pk", "name"))


def partner_names(partner_ids: Iterable[int] | None = None) -> dict[int, str]:
    qs = Partner.objects.all() if partner_ids is None else Partner.objects.filter(pk__in=list(partner_ids))
    return dict(qs.values_list("pk", "legal_name"))


def partner_territory_ids(partner: Partner) -> set[int]:
    return set(partner.territories.values_list("pk", flat=True))


def partners_by_vendor_id(vendor_ids: Iterable[str]) -> dict[str, Partner]:
    """Partners by the vendor's id, each with `territory_ids` (the territories it operates in)."""
    partners = {
        p.vendor_partner_id: p
        for p in Partner.objects.filter(vendor_partner_id__in=set(vendor_ids)).prefetch_related("territories")
    }
    for p in partners.values():
        p.territory_ids = {t.pk for t in p.territories.all()}
    return partners


def individuals_by_testing_number(numbers: Iterable[str]) -> dict[str, Individual]:
    return {i.testing_number: i for i in Individual.objects.filter(testing_number__in=set(numbers))}


def partner_people_by_testing_number(*, partner: Partner, numbers: Iterable[str]) -> dict[str, Individual]:
    """The individuals who work or worked for `partner`, by testing number. Another partner's people are left
    out, so that what a caller says about a number never tells whether it exists elsewhere, or whose it is."""
    return {
        i.testing_number: i
        for i in Individual.objects.filter(
            testing_number__in=set(numbers), pk__in=Association.objects.filter(partner=partner).values("individual")
        )
    }


def individual_visible(*, user: access.Actor, pk: object) -> Individual | None:
    """The individual if the user may see it, else None (for choices posted by a form)."""
    if not str(pk or "").isdigit():
        return None
    return Individual.objects.visible_to(user).filter(pk=pk).first()


def employment_spans(
    *, partner: Partner, individuals: Iterable[Individual]
) -> dict[int, list[tuple[date, date | None]]]:
    """(start, end) of each individual's associations with the partner."""
    spans: defaultdict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for a in Association.objects.filter(partner=partner, individual__in=list(individuals)):
        spans[a.individual_id].append((a.start, a.end))
    return spans


def current_member_ids(
    *, as_of: date, partner_id: int | None = None, partner: Q | None = None
) -> QuerySet[Association, dict[str, Any]]:
    """A subquery of the ids of the individuals working on `as_of` for the partner `partner_id`, or for the partners
    matching `partner` (a Q over Association, core.filters.partner_q)."""
    return (
        Association.objects.current(as_of)
        .filter(partner if partner is not None else Q(partner_id=partner_id))
        .values("individual")
    )


def is_current_member(*, partner_id: int, individual: Individual, as_of: date) -> bool:
    return Association.objects.current(as_of).filter(partner_id=partner_id, individual=individual).exists()


def current_associations(
    *, as_of: date, partner_id: int | None = None, individual_ids: Iterable[int] | None = None
) -> QuerySet[Association]:
    """The associations open on `as_of` (with their partner and individual), optionally of one partner or
    of some individuals."""
    qs = Association.objects.current(as_of).select_related("partner", "individual")
    if partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    if individual_ids is not None:
        qs = qs.filter(individual_id__in=individual_ids)
    return qs


def current_partner(*, individual: Individual | int, as_of: date) -> Partner | None:
    assoc = current_associations(
        as_of=as_of, individual_ids=[individual.pk if isinstance(individual, Individual) else individual]
    ).first()
    return assoc.partner if assoc else None


def partner_contacts(partner_ids: Iterable[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Active partner admins' and account managers' e-mail addresses per partner (two queries)."""
    admins: defaultdict[int, list[str]] = defaultdict(list)
    managers: defaultdict[int, list[str]] = defaultdict(list)
    for pid, email in Profile.objects.filter(
        role=access.PARTNER_ADMIN, partner_id__in=partner_ids, user__is_active=True
    ).values_list("partner_id", "user__email"):
        admins[pid].append(email)
    through = Partner.account_managers.through
    for pid, email in through.objects.filter(partner_id__in=partner_ids).values_list("partner_id", "user__email"):
        managers[pid].append(email)
    return admins, managers


def person_get(*, user: access.Actor, pk: int | str) -> Individual:
    """An individual whose personal records (certifications, CE) the user may see, or 404."""
    return get_object_or_404(Individual.objects.filter(pk__in=access.visible_individuals(user)), pk=pk)


def people_openable(*, user: access.Actor, ids: Iterable[int]) -> set[int]:
    """Which of these individuals' pages (person_get) the user may open: pages link only those."""
    people = Individual.objects.filter(pk__in=access.visible_individuals(user)).filter(pk__in=list(ids))
    return set(people.values_list("pk", flat=True))


def current_people(*, user: access.Actor, partner: Partner, as_of: date) -> QuerySet[Individual]:
    """The partner's individuals on `as_of` that the user may see, in name order."""
    return (
        Individual.objects.visible_to(user)
        .filter(pk__in=current_member_ids(partner_id=partner.pk, as_of=as_of))
        .order_by("last_name", "first_name", "pk")
    )
