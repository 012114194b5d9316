"""The ledger pages: the form, the CSV upload with its preview, corrections; tenancy."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import LearningRecord
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2017-03-01 12:00 -08:00", tick=False):
        yield


@pytest.fixture
def session():
    return KnowledgeSessionFactory(code="S5", points=5, title="Firewall basics")


def upload(client, partner, text):
    return client.post(
        reverse("learning-record-upload", args=[partner.pk]),
        {"file": SimpleUploadedFile("learning.csv", text.encode(), content_type="text/csv")},
    )


def test_csv_upload_previews_then_saves_and_a_second_upload_adds_nothing(
    client, admin_a, partner_a, individual_a, session
):
    client.force_login(admin_a)
    text = f"testing_number,session_code,occurred_on,how\n{individual_a.testing_number},S5,2017-01-10,viewed\n"
    preview = upload(client, partner_a, text)
    assert (
        preview.status_code == 200 and b"Will be added" in preview.content and b"Save these records" in preview.content
    )
    assert LearningRecord.objects.count() == 0
    saved = client.post(reverse("learning-record-upload", args=[partner_a.pk]), {"content": text, "confirm": "on"})
    assert saved.status_code == 302 and LearningRecord.objects.count() == 1
    again = upload(client, partner_a, text)
    assert b"Already recorded" in again.content
    client.post(reverse("learning-record-upload", args=[partner_a.pk]), {"content": text, "confirm": "on"})
    assert LearningRecord.objects.count() == 1


def test_csv_upload_with_a_bad_line_lists_it_and_offers_no_save(client, admin_a, partner_a, individual_a, session):
    client.force_login(admin_a)
    text = (
        f"testing_number,session_code,occurred_on,how\n{individual_a.testing_number},S5,2017-01-10,viewed\n"
        f"{individual_a.testing_number},S5,2017-01-11,glanced\n"
    )
    page = upload(client, partner_a, text)
    assert b"1 line cannot be saved: nothing was saved" in page.content
    assert b"Save these records" not in page.content and b"glanced" in page.content


def test_record_form_and_reversal(client, admin_a, partner_a, individual_a, session):
    client.force_login(admin_a)
    url = reverse("learning-record-add", args=[partner_a.pk])
    form = client.get(url)
    assert form.status_code == 200 and individual_a.last_name.encode() in form.content
    response = client.post(
        url,
        {
            "individual": individual_a.pk,
            "session": session.pk,
            "occurred_on": "2017-02-01",
            "how": "viewed",
            "client_record_id": "form:abc",
        },
    )
    assert response.status_code == 302
    record = LearningRecord.objects.get()
    page = client.get(reverse("learning-record-list", args=[partner_a.pk]))
    assert b"Firewall basics" in page.content and b"Reverse" in page.content
    client.post(reverse("learning-record-reverse", args=[record.pk]), {"reason": "Wrong date"})
    page = client.get(reverse("learning-record-list", args=[partner_a.pk]))
    assert b"Wrong date" in page.content and b"Reversed by" in page.content


def test_other_partners_ledger_is_a_404_and_members_cannot_write(
    client, admin_a, member_a, partner_a, partner_b, session
):
    theirs = LearningRecordFactory(partner=partner_b, session=session)
    client.force_login(admin_a)
    assert client.get(reverse("learning-record-list", args=[partner_b.pk])).status_code == 404
    assert client.get(reverse("learning-record-upload", args=[partner_b.pk])).status_code == 404
    assert client.get(reverse("learning-record-reverse", args=[theirs.pk])).status_code == 404
    client.force_login(member_a)
    assert client.get(reverse("learning-record-list", args=[partner_a.pk])).status_code == 200
    assert client.get(reverse("learning-record-add", args=[partner_a.pk])).status_code == 403
