"""The one place that decides who may see and change what.

Roles: program staff (everything), account managers (their assigned partners), partner admins
(their own partner), partner members (their own individual's records, and their partner's
partner-level data read-only). Events and notices about one individual (`Event.individual`) are personal
records: a member sees only her own (events_visible, notices_visible). Every tenant-owned queryset inherits TenantQuerySet, and every
selector starts from `Model.objects.visible_to(user)`.

Who may DO what is the table ACTIONS below; nothing else decides it.

- Every service that changes data on behalf of someone takes a keyword-only `actor` and starts with
  `access.require(actor, "<action>", partner=..., obj=...)`, which raises Django's PermissionDenied
  with a clear message (the API answers 403; HTML views show the 403 page).
- Views and API views fetch the object through a selector scoped with `visible_to` (another
  partner's object is a 404), then call the service, which refuses what the user may see but not
  change (403). A page asks `access.can(...)` for the flags it renders (whether to show a button).
  A view that would show a form, or read a request body, before reaching the service first calls
  `access.require(...)` with the service's action, so a refusal still comes before any 400.
- The convention for work without a person (jobs, commands, demo data, the daily scan): pass
  `actor=access.SYSTEM`. SYSTEM is the program itself: it may do everything program staff may do,
  and it is recorded as no one (`person(actor)` is None). `actor=None` is never "the system": it
  is nobody, and every action refuses it. Job-only services (daily_scan, verdicts_recompute,
  tiers_place, awards_issue, lots_expire, expiry_warnings_send, ce_reminders_send) take no actor.
- An integration (a CRM's service account, integrations/) acts as an IntegrationActor: the whole program with
  staff's rights, or its partners with a partner admin's; a read-only one may do nothing (`can` is False).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, cast

from django.core.exceptions import PermissionDenied
from django.db import models

from core import clock
from core.models import UpdatedAtQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from partners.models import Partner

STAFF = "staff"
ACCOUNT_MANAGER = "account_manager"
PARTNER_ADMIN = "partner_admin"
PARTNER_MEMBER = "partner_member"
CUSTOMER = "customer"  # a vendor's customer, e.g. a loyalty Team Captain (see loyalty/): no partner
INTEGRATION = "integration"  # an integration token limited to some partners (IntegrationActor); never a profile role
ROLE_CHOICES = [
    (STAFF, "Program staff"),
    (ACCOUNT_MANAGER, "Account manager"),
    (PARTNER_ADMIN, "Partner admin"),
    (PARTNER_MEMBER, "Partner member"),
    (CUSTOMER, "Customer"),
]


class _System:
    """The program itself acting (a job, a command, demo data): program-staff rights, recorded as no one."""

    pk = None
    is_authenticated = True
    is_active = is_staff = is_superuser = True

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "the system"


SYSTEM = _System()


@dataclass(frozen=True, eq=False)
class IntegrationActor:
    """An integration (integrations.models.Integration) acting through its token: not a person (recorded as no
    one). `partner_ids` None: the whole program, with program staff's rights; else those partners, with a partner
    admin's rights over them. `read_only`: every action refuses it (and the API refuses unsafe methods)."""

    integration_id: int
    name: str
    partner_ids: frozenset[int] | None
    read_only: bool
    pk = None
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = is_superuser = False

    def __str__(self) -> str:
        return f"integration {self.name}"


# Who acts, or looks: a signed-in user, an anonymous visitor, SYSTEM, or an integration (services' keyword-only
# `actor`, selectors' `user`). `actor=None` is nobody (every action refuses it), so services do not accept it.
Actor: TypeAlias = "User | AnonymousUser | _System | IntegrationActor"


def person(actor: Actor | None) -> User | None:
    """The user to record as having acted (None for SYSTEM or nobody)."""
    return cast("User", actor) if getattr(actor, "pk", None) else None  # only a saved user has a pk


def profile_of(user):
    if not getattr(user, "is_authenticated", False) or isinstance(user, IntegrationActor):
        return None
    try:
        return user.profile
    except Exception:  # no profile row: a user with no role sees nothing
        return None


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if isinstance(user, IntegrationActor):
        return STAFF if user.partner_ids is None else INTEGRATION
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
    if role == INTEGRATION:
        return models.Q(pk__in=user.partner_ids)
    profile = profile_of(user)
    if role in (PARTNER_ADMIN, PARTNER_MEMBER) and profile and profile.partner_id:
        return models.Q(pk=profile.partner_id)
    return models.Q(pk__in=[])


def may_see_partner(user, partner_id: int) -> bool:
    """Whether `user` may see this partner (partner_ids_q holds it), without a query unless the role needs one (an
    account manager's partners are rows)."""
    q = partner_ids_q(user)
    if q is None:
        return True
    role = role_of(user)
    if role == INTEGRATION:
        return partner_id in user.partner_ids
    if role in (PARTNER_ADMIN, PARTNER_MEMBER):
        profile = profile_of(user)
        return bool(profile and profile.partner_id == partner_id)
    # partners.models imports this module (roles, TenantQuerySet), so Partner is imported when first needed.
    from partners.models import Partner

    return Partner.objects.filter(q, pk=partner_id).exists()


def can_manage_partner(user, partner) -> bool:
    """May `user` change `partner`'s data (record learning, submit renewals, ...)?"""
    role = role_of(user)
    if role == STAFF:
        return True
    if role == ACCOUNT_MANAGER:
        return partner.account_managers.filter(pk=user.pk).exists()
    if role == INTEGRATION:
        return partner.pk in user.partner_ids
    profile = profile_of(user)
    return role == PARTNER_ADMIN and profile.partner_id == partner.pk


def _current_partner(individual):
    # partners.models imports this module, so its models are imported when first needed.
    from partners.models import Association

    assoc = Association.objects.current(clock.today()).filter(individual=individual).select_related("partner").first()
    return assoc.partner if assoc else None


def can_manage_individual(user, individual) -> bool:
    """Record certifications and exams: staff, or whoever may manage the individual's partner today."""
    if is_staff(user):
        return True
    partner = _current_partner(individual)
    return partner is not None and can_manage_partner(user, partner)


def can_act_for(user, individual) -> bool:
    """Submit CE claims and renew certifications: the individual themselves, or whoever may manage them."""
    profile = profile_of(user)
    if profile and profile.individual_id == individual.pk and role_of(user) is not None:
        return True
    return can_manage_individual(user, individual)


def can_manage_account(user, account) -> bool:
    """A loyalty customer account: staff, its account manager, and its Team Captain."""
    if is_staff(user):
        return True
    if role_of(user) == ACCOUNT_MANAGER:
        return account.account_manager_id == user.pk
    return account.captain_id is not None and account.captain_id == getattr(user, "pk", None)


def _staff(user, partner, obj):
    return is_staff(user)


def _manager(user, partner, obj):
    return can_manage_partner(user, partner) if partner is not None else is_staff(user)


def _vendor_manager(user, partner, obj):
    return is_vendor(user) and can_manage_partner(user, partner)


def _individual_manager(user, partner, obj):
    return can_manage_individual(user, obj)


def _individual_or_manager(user, partner, obj):
    return can_act_for(user, obj)


def _any_current_partner(user, partner, obj):
    return any(can_manage_partner(user, a.partner) for a in obj.associations.all() if a.end is None)


def _account(user, partner, obj):
    return can_manage_account(user, obj)


def _captain(user, partner, obj):
    return obj.captain_id is not None and obj.captain_id == user.pk


def _integration_manager(user, partner, obj):
    """Staff (any integration), a partner admin (her partner's); never an integration itself."""
    if isinstance(user, IntegrationActor):
        return False
    if partner is None:
        return is_staff(user)
    return is_staff(user) or (role_of(user) == PARTNER_ADMIN and profile_of(user).partner_id == partner.pk)


def _webhook_owner(user, partner, obj):
    """Staff, for the whole program or any partner; a partner admin, for her own partner's events only."""
    if is_staff(user):
        return True
    return partner is not None and role_of(user) == PARTNER_ADMIN and can_manage_partner(user, partner)


# Every action a person (or SYSTEM) may be refused: action -> (rule(user, partner, obj), message when refused).
# `partner`: the partner whose data changes; `obj`: the individual (ce.*, individual.update) or the customer
# account (loyalty.*) it is about.
ACTIONS = {
    # partners and people
    "partner.create": (_staff, "Only program staff can create partners."),
    "partner.update": (_staff, "Only program staff can change partner details."),
    "partner.manage": (_manager, "You cannot change this partner's data."),  # pages' can_manage flag
    "individual.create": (_manager, "You cannot manage this partner's people."),  # and associate
    "individual.update": (_any_current_partner, "You cannot change this individual."),
    # specializations and learning
    "specialization.grant": (_staff, "Only program staff grant specializations."),
    "role.allocate": (_manager, "You cannot allocate this partner's specialization roles."),  # and release
    "learning.record": (_manager, "You cannot record learning for this partner."),  # import, record, reverse
    "learning.assign": (_manager, "You cannot assign sessions to this partner's people."),
    # individual certifications and CE credits
    "ce.record": (_individual_manager, "You cannot act for this individual."),  # certifications, exams
    "ce.claim.submit": (_individual_or_manager, "You cannot act for this individual."),
    "ce.certification.renew": (_individual_or_manager, "You cannot renew this certification."),
    "ce.claim.review": (_staff, "Only program staff review CE claims."),
    # customer satisfaction
    "csat.record": (_staff, "Only program staff record survey responses."),  # create, mark (in)valid
    "csat.import": (_staff, "Only program staff record survey responses."),
    "csat.followup": (_manager, "You cannot record follow-ups for this partner."),
    "csat.measurement_date": (_staff, "Only program staff publish measurement dates."),
    # compliance
    "certification.grant": (_staff, "Only program staff grant certifications."),  # grant and end
    "record.save": (_manager, "You cannot change this partner's compliance records."),  # save and delete
    "record.verify": (_staff, "Only program staff can verify."),
    # renewals
    "renewal.submit": (_manager, "You cannot renew this partner's credentials."),
    "renewal.decide": (_vendor_manager, "Only program staff or the partner's account manager can decide renewals."),
    "incident.acknowledge": (_manager, "You cannot acknowledge this partner's incidents."),
    "incident.extend": (_vendor_manager, "Only program staff or the partner's account manager can grant an extension."),
    "revocation.confirm": (_staff, "Only program staff can revoke a credential."),
    # loyalty (customer accounts, no partner)
    "loyalty.account.create": (_staff, "Only program staff create loyalty accounts."),
    "loyalty.terms.accept": (_captain, "Only the account's Team Captain can accept the terms."),
    "loyalty.booking.record": (_staff, "Only program staff record bookings."),
    "loyalty.redeem": (_account, "You cannot redeem this account's credits."),
    "loyalty.redemption.reverse": (_account, "You cannot return this account's credits."),  # as loyalty.redeem
    # integrations (CRM service accounts): `partner` is the partner owning it, None for a staff integration
    "integration.manage": (_integration_manager, "Only program staff or the partner's admins manage its integrations."),
    # webhooks (partner: whose events the endpoint receives; None: the whole program)
    "webhook.manage": (
        _webhook_owner,
        "Only program staff, or a partner's admin for the partner's own events, manage webhooks.",
    ),  # create, edit, disable, rotate the secret, send again, send a test event
}


def can(actor: Actor | None, action: str, *, partner: Partner | None = None, obj: object = None) -> bool:
    """May `actor` (a user, or SYSTEM) do `action` (a key of ACTIONS) to `partner`'s data or to `obj`?"""
    rule, _ = ACTIONS[action]
    if isinstance(actor, IntegrationActor) and actor.read_only:
        return False
    return role_of(actor) is not None and bool(rule(actor, partner, obj))


def require(actor: Actor | None, action: str, *, partner: Partner | None = None, obj: object = None) -> None:
    """Raise PermissionDenied, saying why, unless `actor` may do `action`."""
    if can(actor, action, partner=partner, obj=obj):
        return
    if isinstance(actor, IntegrationActor) and actor.read_only:
        raise PermissionDenied("This integration's token is read-only.")
    if role_of(actor) is None:
        raise PermissionDenied(f"No one with a role is acting ({action}); a job passes actor=access.SYSTEM.")
    raise PermissionDenied(ACTIONS[action][1])


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


def _personal_rows_q(user, individual_lookup: str) -> models.Q:
    """For a partner member: the rows about no one in particular, and those about her own individual."""
    mine = profile_of(user).individual_id
    q = models.Q(**{f"{individual_lookup}__isnull": True})
    return q | models.Q(**{individual_lookup: mine}) if mine else q


def events_visible(qs, user):
    """Events (core.Event) that `user` may see on timelines: those of the partners she may see; an event about
    one individual (`Event.individual`) only by that individual, the partner's admins, its account managers
    and staff, never by the partner's other members."""
    qs = visible(qs, user, partner_lookup="partner")
    if role_of(user) == PARTNER_MEMBER:
        qs = qs.filter(_personal_rows_q(user, "individual"))
    return qs


def notices_visible(qs, user):
    """Notices (core.Notice) that `user` may see: as their event (a notice about one individual is hers), and a
    member also sees the notices addressed to her."""
    qs = visible(qs, user, partner_lookup="event__partner")
    if role_of(user) == PARTNER_MEMBER:
        q = _personal_rows_q(user, "event__individual")
        if getattr(user, "email", ""):
            q |= models.Q(recipient__iexact=user.email)
        qs = qs.filter(q)
    return qs


class TenantQuerySet(UpdatedAtQuerySet):
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
        partner__in=Partner.objects.visible_to(user).values("pk")
    )
    if role == PARTNER_MEMBER:
        current = current.filter(individual=profile_of(user).individual_id)
    return current.values("individual")


def contact_visible_individuals(user):
    """Ids of the individuals whose contact details (email, testing number) `user` may see: staff all; account
    managers and partner admins the people who work, or will work, for their partners (not those who left: a
    former partner sees their name and the dates they worked for it only); a partner member herself."""
    # partners.models imports this module, so its models are imported when first needed.
    from partners.models import Association, Individual, Partner

    role = role_of(user)
    if role is None:
        return Individual.objects.none().values("pk")
    if role == STAFF:
        return Individual.objects.values("pk")
    assoc = Association.objects.filter(
        models.Q(end__isnull=True) | models.Q(end__gte=clock.today()),
        partner__in=Partner.objects.visible_to(user).values("pk"),
    )
    if role == PARTNER_MEMBER:
        assoc = assoc.filter(individual=profile_of(user).individual_id)
    return assoc.values("individual")


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
    if role == INTEGRATION:  # customer accounts belong to no partner
        return qs.none()
    return qs.filter(**{f"{prefix}captain": user})
