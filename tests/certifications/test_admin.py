"""Every CE model is in the admin, and its pages open for staff."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from certifications.models import (
    CeActivity,
    CeClaim,
    CePolicy,
    CeRenewalPath,
    CertificationPeriod,
    ExamPass,
    IndividualCertification,
)

from .factories import build_partner_data

pytestmark = pytest.mark.django_db


def test_admin_pages_open(partner_a):
    build_partner_data(partner_a)
    CeActivity.objects.create(
        title="Rev Up to Recert: Python", activity_type="online_videos", credits=15, expires_on="2023-04-20"
    )
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-secret"))
    for model in (CePolicy, CeRenewalPath, CeActivity, IndividualCertification, CertificationPeriod, ExamPass, CeClaim):
        opts = model._meta
        assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200, opts.model_name
        obj = model.objects.first()
        assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/").status_code == 200
