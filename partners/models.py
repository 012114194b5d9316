from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import UpdatedAt, UpdatedAtQuerySet

from .access import ROLE_CHOICES, TenantQuerySet, partner_ids_q, role_of


class Territory(models.Model):
    """A country, or a grouping of countries; credentials are held per territory (RULES 1.2)."""

    COUNTRY = "country"
    GROUP = "group"

    code = models.CharField(max_length=10, unique=True, help_text="ISO 3166 alpha-2 for countries")
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=[(COUNTRY, "Country"), (GROUP, "Country group")], default=COUNTRY)
    countries = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        limit_choices_to={"kind": COUNTRY},
        help_text="For a group: its member countries",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "territories"

    def __str__(self):
        return self.name


class PartnerQuerySet(UpdatedAtQuerySet):
    def visible_to(self, user):
        if role_of(user) is None:
            return self.none()
        q = partner_ids_q(user)
        return self if q is None else self.filter(q).distinct()


class Partner(UpdatedAt):
    legal_name = models.CharField(max_length=200)
    vendor_partner_id = models.CharField(
        "vendor partner ID", max_length=40, unique=True, help_text="The vendor's id for this partner"
    )
    is_registered = models.BooleanField(default=False, help_text="Registered Partner (RULES 1.1)")
    registered_on = models.DateField(null=True, blank=True)
    territories = models.ManyToManyField(Territory, blank=True, related_name="partners", help_text="Where it operates")
    territory_ids: set[int]  # not a field: set on the partners that partners.selectors.partners_by_vendor_id returns
    account_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_partners",
        limit_choices_to={"profile__role": "account_manager"},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]

    def __str__(self):
        return self.legal_name


class IndividualQuerySet(TenantQuerySet):
    partner_lookup = "associations__partner"
    individual_lookup = "pk"

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class Individual(UpdatedAt):
    """A person employed by a partner, identified across the program by the vendor testing number."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    testing_number = models.CharField(
        max_length=40,
        unique=True,
        help_text="Vendor testing number, unique per person across partners",
        error_messages={"unique": "An individual with this testing number already exists."},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IndividualQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self):
        return str(self)


class AssociationQuerySet(TenantQuerySet):
    individual_lookup = "individual"

    def current(self, as_of):
        return self.filter(Q(start__lte=as_of), Q(end__isnull=True) | Q(end__gte=as_of))


class Association(models.Model):
    """An individual works for a partner from `start` to `end` (inclusive; open when empty)."""

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="associations")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="associations")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["individual"],
                condition=Q(end__isnull=True),
                name="one_open_association_per_individual",
                violation_error_message="This individual is already associated with a partner.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="association_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.individual} at {self.partner} from {self.start}"


class Profile(models.Model):
    """A user's role in the program and, for partner users, their partner (and individual)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="users")
    individual = models.OneToOneField(
        Individual, null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    vendor_login_id = models.CharField(
        "vendor login ID", max_length=60, blank=True, help_text="The vendor login ID (CCO id), if any"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["staff", "account_manager"], partner__isnull=True)
                | Q(role__in=["partner_admin", "partner_member"], partner__isnull=False)
                | Q(role="customer", partner__isnull=True),
                name="partner_users_have_partner",
                violation_error_message="Partner admins and members belong to a partner; vendor users and customers do not.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
