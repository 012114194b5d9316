"""Partner A's admin never sees partner B's specializations or learning, on pages or in the API."""

import pytest
from django.urls import reverse

from tests.learning.factories import build_partner_data as learning_data
from tests.specializations.factories import build_partner_data as specialization_data

pytestmark = pytest.mark.django_db


def test_partner_b_objects_never_come_back_to_partner_a(client, api, admin_a, partner_a, partner_b):
    learning_data(partner_a), specialization_data(partner_a)
    (record_b,), (ps_b, allocation_b) = learning_data(partner_b), specialization_data(partner_b)
    client.force_login(admin_a)
    for url in [
        reverse("partner-specializations", args=[partner_a.pk]),
        reverse("learning-record-list", args=[partner_a.pk]),
        "/api/v1/learning-records/",
        "/api/v1/partner-specializations/",
        f"/api/v1/learning-records/?partner={partner_b.pk}",
        f"/api/v1/partner-specializations/?partner={partner_b.pk}",
    ]:
        body = client.get(url).content.decode()
        assert partner_b.legal_name not in body, url
    assert "record of Alpha Networks" in client.get("/api/v1/learning-records/").content.decode()
    for url in [
        reverse("partner-specialization-detail", args=[ps_b.pk]),
        reverse("learning-record-reverse", args=[record_b.pk]),
        f"/api/v1/learning-records/{record_b.pk}/",
        f"/api/v1/partner-specializations/{ps_b.pk}/",
        f"/api/v1/partner-specializations/{ps_b.pk}/outlook/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("role-release", args=[allocation_b.pk])).status_code == 404
