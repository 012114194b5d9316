from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.models import Event
from partners.access import SYSTEM
from specializations import services
from tests.factories import IndividualFactory, PartnerFactory, TerritoryFactory
from tests.specializations.factories import (
    PartnerSpecializationFactory,
    SpecializationFactory,
    SpecializationRoleFactory,
)

pytestmark = pytest.mark.django_db


def test_granting_needs_a_registered_partner_and_a_specialization_on_sale():
    spec = SpecializationFactory(
        name="Borderless Network Architecture", end_of_sale=date(2014, 7, 1), retired_on=date(2015, 7, 1)
    )
    de = TerritoryFactory(code="DE")
    with pytest.raises(ValidationError) as err:
        services.partner_specialization_create(
            partner=PartnerFactory(is_registered=False),
            specialization=spec,
            territory=de,
            certified_on=date(2014, 7, 1),
            anniversary=date(2015, 7, 1),
            actor=SYSTEM,
        )
    assert set(err.value.message_dict) == {"partner", "specialization"}
    partner = PartnerFactory()
    ps = services.partner_specialization_create(
        partner=partner,
        specialization=spec,
        territory=de,
        certified_on=date(2014, 6, 30),
        anniversary=date(2015, 6, 30),
        actor=SYSTEM,
    )
    assert Event.objects.filter(kind="specialization.granted", partner=partner).exists()
    with pytest.raises(ValidationError, match="already holds"):
        services.partner_specialization_create(
            partner=partner,
            specialization=spec,
            territory=de,
            certified_on=date(2014, 6, 30),
            anniversary=date(2015, 6, 30),
            actor=SYSTEM,
        )
    assert ps.specialization.is_retired(date(2015, 7, 1)) and not ps.specialization.is_retired(date(2015, 6, 30))


@time_machine.travel("2017-03-01 12:00 -08:00", tick=False)
def test_role_allocation_needs_the_specializations_role_and_a_current_employee(partner_a, individual_a):
    ps = PartnerSpecializationFactory(partner=partner_a)
    role = SpecializationRoleFactory(specialization=ps.specialization, name="Field Engineer")
    other_role = SpecializationRoleFactory(name="Elsewhere")
    with pytest.raises(ValidationError) as err:
        services.role_allocate(partner_specialization=ps, role=other_role, individual=IndividualFactory(), actor=SYSTEM)
    assert set(err.value.message_dict) == {"role", "individual"}
    services.role_allocate(partner_specialization=ps, role=role, individual=individual_a, actor=SYSTEM)
    with pytest.raises(ValidationError, match="already fills"):
        services.role_allocate(partner_specialization=ps, role=role, individual=individual_a, actor=SYSTEM)
