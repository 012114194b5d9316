"""The one place that decides who may see and change what.

Roles: program staff (everything), account managers (their assigned partners), partner admins
(their own partner), partner members (their own individual's records, and their partner's
partner-level data read-only). Every tenant-owned queryset inherits TenantQuerySet, and every
selector starts from `Model.objects.visible_to(user)`.
"""
from __future__ import annotations

from django.db import models

from core import clock

STAFF = "staff"
ACCOUNT_MANAGER = "account_manager"
PARTNER_ADMIN = "partner_admin"
PARTNER_MEMBER = "partner_member"
CUSTOMER = "customer"  # a vendor's customer, e.g. a loyalty Team Captain (see loyalty/): no partner
ROLE_CHOICES = [
    (STAFF, "Program staff"),
    (ACCOUNT_MANAGER, "Account manager"),
    (PARTNER_ADMIN, "Partner admin"),
    (PARTNER_MEMBER, "Partner member"),
    (CUSTOMER, "Customer"),
]


def profile_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Exception:  # no profile row: a user with no role sees nothing
        return None


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser or user.is_staff:
        return STAFF
    profile = profile_of(user)
    return profile.role if profile else None


def is_staff(user) -> bool:
    return role_of(user) == STAFF


def is_vendor(user) -> bool:
    """Vendor side: staff and account managers."""
    return role_of(user) in (STAFF, ACCOUNT_MANAGER)


def partner_ids_q(user):
    """A Q over Partner rows that `user` may see (None means all)."""
    role = role_of(user)
    if role == STAFF:
        return None
    if role == ACCOUNT_MANAGER:
        return models.Q(account_managers=user)
    profile = profile_of(user)
    if role in (PARTNER_ADMIN, PARTNER_MEMBER) and profile and profile.partner_id:
        return models.Q(pk=profile.partner_id)
    return models.Q(pk__in=[])


def can_manage_partner(user, partner) -> bool:
    """May `user` change `partner`'s data (record learning, submit renewals, ...)?"""
    role = role_of(user)
    if role == STAFF:
        return True
    if role == ACCOUNT_MANAGER:
        return partner.account_managers.filter(pk=user.pk).exists()
    profile = profile_of(user)
    return role == PARTNER_ADMIN and profile.partner_id == partner.pk


def visible(qs, user, *, partner_lookup: str = "partner", individual_lookup: str | None = None):
    """The rows of `qs` that `user` may see: staff all; others the rows of the partners they may see
    (`partner_lookup` is the path from the row to its Partner); a partner member, of personal rows
    (`individual_lookup` set), only her own."""
    # partners.models imports this module (roles, TenantQuerySet), so Partner is imported when first needed.
    from partners.models import Partner

    role = role_of(user)
    if role is None:
        return qs.none()
    if role == STAFF:
        return qs
    qs = qs.filter(**{f"{partner_lookup}__in": Partner.objects.visible_to(user).values("pk")})
    if role == PARTNER_MEMBER and individual_lookup:
        qs = qs.filter(**{individual_lookup: profile_of(user).individual_id})
    return qs


def events_visible(qs, user):
    """Events (core.Event) that `user` may see on timelines."""
    return visible(qs, user, partner_lookup="partner")


def notices_visible(qs, user):
    """Notices (core.Notice) that `user` may see."""
    return visible(qs, user, partner_lookup="event__partner")


class TenantQuerySet(models.QuerySet):
    """Base for tenant-owned rows.

    `partner_lookup` is the path from the model to its Partner; `individual_lookup`, when set,
    marks personal rows that a partner member sees only for their own individual.
    """

    partner_lookup = "partner"
    individual_lookup: str | None = None

    def visible_to(self, user):
        return visible(self, user, partner_lookup=self.partner_lookup, individual_lookup=self.individual_lookup)


def visible_individuals(user):
    """Ids of the individuals whose personal records (certifications, exams, CE claims) `user` may see: staff
    all; account managers and partner admins the people currently associated with their partners; a partner
    member only herself."""
    # partners.models imports this module, so its models are imported when first needed.
    from partners.models import Association, Individual, Partner

    role = role_of(user)
    if role is None:
        return Individual.objects.none().values("pk")
    if role == STAFF:
        return Individual.objects.values("pk")
    current = Association.objects.current(clock.today()).filter(
        partner__in=Partner.objects.visible_to(user).values("pk"))
    if role == PARTNER_MEMBER:
        current = current.filter(individual=profile_of(user).individual_id)
    return current.values("individual")


def personal_visible(qs, user, *, individual_lookup: str = "individual"):
    """Rows about one individual, seen through the individual's current partner (and by the individual)."""
    if role_of(user) == STAFF:
        return qs
    return qs.filter(**{f"{individual_lookup}__in": visible_individuals(user)})


def customer_accounts_visible(qs, user, *, account_lookup: str = "account"):
    """Loyalty rows, scoped by customer account (`account_lookup` is the path to it; "" for the account):
    staff see every account, an account manager the accounts she manages, a Team Captain her own."""
    role = role_of(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if role == STAFF:
        return qs
    prefix = f"{account_lookup}__" if account_lookup else ""
    if role == ACCOUNT_MANAGER:
        return qs.filter(**{f"{prefix}account_manager": user})
    return qs.filter(**{f"{prefix}captain": user})
