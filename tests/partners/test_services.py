from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import Event
from partners import services
from partners.access import SYSTEM
from partners.models import Association, Individual
from tests.factories import IndividualFactory, PartnerFactory


@pytest.mark.django_db
def test_individual_create_associates_and_logs_event():
    partner = PartnerFactory()
    person = services.individual_create(
        first_name="Ann",
        last_name="Lee",
        email="ann@example.com",
        testing_number="X1",
        partner=partner,
        start=date(2026, 1, 5),
        actor=SYSTEM,
    )
    assoc = person.associations.get()
    assert (assoc.partner, assoc.start, assoc.end) == (partner, date(2026, 1, 5), None)
    assert Event.objects.filter(partner=partner, kind="individual.associated").count() == 1


@pytest.mark.django_db
def test_duplicate_testing_number_is_refused_and_nothing_saved():
    partner = PartnerFactory()
    IndividualFactory(testing_number="DUP1")
    with pytest.raises(ValidationError) as err:
        services.individual_create(
            first_name="B", last_name="C", email="b@example.com", testing_number="DUP1", partner=partner, actor=SYSTEM
        )
    assert "testing number already exists" in str(err.value)
    assert Individual.objects.count() == 1
    assert not Association.objects.filter(partner=partner).exists()


@pytest.mark.django_db
def test_moving_to_another_partner_closes_the_old_association_and_keeps_history():
    a, b = PartnerFactory(), PartnerFactory()
    person = services.individual_create(
        first_name="M",
        last_name="V",
        email="m@example.com",
        testing_number="MV",
        partner=a,
        start=date(2020, 3, 1),
        actor=SYSTEM,
    )
    services.individual_associate(individual=person, partner=b, start=date(2026, 2, 1), actor=SYSTEM)
    rows = list(person.associations.order_by("start").values_list("partner", "start", "end"))
    assert rows == [(a.pk, date(2020, 3, 1), date(2026, 1, 31)), (b.pk, date(2026, 2, 1), None)]
    assert Event.objects.filter(partner=a, kind="individual.left").exists()


@pytest.mark.django_db
def test_individual_cannot_be_linked_twice_or_backdated_into_an_overlap():
    a, b = PartnerFactory(), PartnerFactory()
    person = services.individual_create(
        first_name="M",
        last_name="V",
        email="m@example.com",
        testing_number="MV",
        partner=a,
        start=date(2020, 3, 1),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError, match="already associated"):
        services.individual_associate(individual=person, partner=a, start=date(2021, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError, match="must start after"):
        services.individual_associate(individual=person, partner=b, start=date(2020, 3, 1), actor=SYSTEM)
    assert person.associations.count() == 1


@pytest.mark.django_db
def test_event_record_is_idempotent_on_dedupe_key():
    from core.events import event_record

    partner = PartnerFactory()
    first, created = event_record(kind="partner.updated", summary="once", dedupe_key="k1", partner=partner)
    again, created_again = event_record(kind="partner.updated", summary="twice", dedupe_key="k1", partner=partner)
    assert created and not created_again and first.pk == again.pk
    assert Event.objects.filter(dedupe_key="k1").count() == 1
