"""The specialization catalogue (RULES §2) and the specializations partners hold."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from core.models import CredentialBase
from partners.access import TenantQuerySet


class Architecture(models.Model):
    """Collaboration, Enterprise Networks, Security, Data Center, Service Provider (RULES 2.2)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    architecture = models.ForeignKey(Architecture, on_delete=models.PROTECT, related_name="focus_areas")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["architecture__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["architecture", "name"],
                name="unique_focus_area_per_architecture",
                violation_error_message="This architecture already has a focus area of that name.",
            ),
        ]

    def __str__(self):
        return f"{self.architecture}: {self.name}"


class SpecializationKind(models.TextChoices):
    EXPRESS = "express", "Express"
    TECHNOLOGY = "technology", "Advanced Technology"
    ARCHITECTURE = "architecture", "Advanced Architecture"


class Specialization(models.Model):
    """A specialization in the catalogue. End-of-sale: no new applications; retired: no renewals (RULES 2.3)."""

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=SpecializationKind.choices)
    architecture = models.ForeignKey(
        Architecture,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="specializations",
        help_text="Sessions connected to this architecture count towards it",
    )
    end_of_sale = models.DateField(null=True, blank=True, help_text="From this day no new applications")
    retired_on = models.DateField(null=True, blank=True, help_text="From this day no renewals; holders lose it")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True)
                | Q(end_of_sale__isnull=True)
                | Q(retired_on__gte=models.F("end_of_sale")),
                name="specialization_retired_after_end_of_sale",
                violation_error_message="A specialization cannot retire before its end of sale.",
            ),
        ]

    def __str__(self):
        return self.name

    def is_on_sale(self, as_of: date) -> bool:
        return self.end_of_sale is None or as_of < self.end_of_sale

    def is_retired(self, as_of: date) -> bool:
        return self.retired_on is not None and as_of >= self.retired_on


class SpecializationRole(models.Model):
    """A role a specialization needs filled, e.g. two Sales Engineers (RULES 1.5)."""

    specialization = models.ForeignKey(Specialization, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=100)
    required_count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["specialization__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialization", "name"],
                name="unique_role_per_specialization",
                violation_error_message="This specialization already has a role of that name.",
            ),
        ]

    def __str__(self):
        return f"{self.specialization}: {self.name} ×{self.required_count}"


class PartnerSpecializationQuerySet(TenantQuerySet):
    pass


class PartnerSpecialization(CredentialBase):
    """A specialization a partner holds in a country or grouping (status and anniversary from CredentialBase)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="specializations")
    territory = models.ForeignKey(
        "partners.Territory", on_delete=models.PROTECT, related_name="partner_specializations"
    )
    specialization = models.ForeignKey(Specialization, on_delete=models.PROTECT, related_name="holdings")

    objects = PartnerSpecializationQuerySet.as_manager()

    class Meta:
        ordering = ["anniversary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "specialization", "territory"],
                name="one_specialization_per_partner_territory",
                violation_error_message="The partner already holds this specialization there.",
            ),
        ]

    def __str__(self):
        return f"{self.specialization} ({self.territory.code})"

    @property
    def credential_name(self) -> str:
        return self.specialization.name


class RoleAllocationQuerySet(TenantQuerySet):
    partner_lookup = "partner_specialization__partner"


class RoleAllocation(models.Model):
    """An associated individual filling one of a specialization's roles for a partner."""

    partner_specialization = models.ForeignKey(
        PartnerSpecialization, on_delete=models.CASCADE, related_name="allocations"
    )
    role = models.ForeignKey(SpecializationRole, on_delete=models.PROTECT, related_name="allocations")
    individual = models.ForeignKey("partners.Individual", on_delete=models.CASCADE, related_name="role_allocations")

    objects = RoleAllocationQuerySet.as_manager()

    class Meta:
        ordering = ["role__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner_specialization", "role", "individual"],
                name="one_allocation_per_role_individual",
                violation_error_message="This individual already fills that role.",
            ),
        ]

    def __str__(self):
        return f"{self.individual} as {self.role.name}"
