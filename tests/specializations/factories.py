"""Factories for the specialization catalogue and the specializations partners hold."""

from datetime import date

import factory

from specializations.models import (
    Architecture,
    FocusArea,
    PartnerSpecialization,
    RoleAllocation,
    Specialization,
    SpecializationKind,
    SpecializationRole,
)
from tests.factories import (
    AssociationFactory,
    IndividualFactory,
    PartnerFactory,
    TerritoryFactory,
)


class ArchitectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Architecture
        django_get_or_create = ("name",)

    name = "Security"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ("architecture", "name")

    architecture = factory.SubFactory(ArchitectureFactory)
    name = "Policy & Access"


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Advanced Specialization {n}")
    kind = SpecializationKind.ARCHITECTURE
    architecture = factory.SubFactory(ArchitectureFactory)


class SpecializationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecializationRole

    specialization = factory.SubFactory(SpecializationFactory)
    name = factory.Sequence(lambda n: f"Role {n}")
    required_count = 1


class PartnerSpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSpecialization

    partner = factory.SubFactory(PartnerFactory)
    territory = factory.SubFactory(TerritoryFactory, code="DE", name="Germany")
    specialization = factory.SubFactory(SpecializationFactory)
    certified_on = date(2015, 6, 30)
    anniversary = date(2017, 6, 30)
    last_renewed_on = None


class RoleAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAllocation

    partner_specialization = factory.SubFactory(PartnerSpecializationFactory)
    role = factory.LazyAttribute(
        lambda o: SpecializationRoleFactory(specialization=o.partner_specialization.specialization)
    )
    individual = factory.LazyAttribute(
        lambda o: (
            AssociationFactory(partner=o.partner_specialization.partner, individual=IndividualFactory()).individual
        )
    )


def build_partner_data(partner):
    """One of each tenant-owned object of this app for `partner` (for the tenancy walk). The catalogue is
    shared by everyone, so the distinctive text is the allocated individual's name."""
    ps = PartnerSpecializationFactory(partner=partner)
    person = AssociationFactory(
        partner=partner, individual=IndividualFactory(first_name="Allocated", last_name=f"At {partner.legal_name}")
    ).individual
    return [ps, RoleAllocationFactory(partner_specialization=ps, individual=person)]
