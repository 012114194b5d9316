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


# --- recording the same completion twice through the form ----------------------------------------------------


def _record(client, partner, individual, session, day, **extra):
    data = {
        "individual": individual.pk,
        "session": session.pk,
        "occurred_on": day,
        "how": "viewed",
        "client_record_id": extra.pop("client_record_id", f"form:{day}-{len(extra)}"),
        **extra,
    }
    return client.post(reverse("learning-record-add", args=[partner.pk]), data)


def test_recording_a_completion_again_warns_and_saves_only_when_confirmed(
    client, admin_a, partner_a, individual_a, session
):
    client.force_login(admin_a)
    assert _record(client, partner_a, individual_a, session, "2017-01-10").status_code == 302
    first = LearningRecord.objects.get()
    warned = _record(client, partner_a, individual_a, session, "2017-02-01", client_record_id="form:second")
    page = warned.content.decode()
    assert warned.status_code == 200 and LearningRecord.objects.count() == 1  # nothing saved yet
    assert (
        "already has “Firewall basics” on record" in page
        and f"2017-01-10 (viewed (started), entry #{first.pk})" in page
    )
    assert "would count 0 points" in page and "Record anyway" in page
    key = f"{individual_a.pk}:{session.pk}"
    assert f'name="record_anyway" value="{key}"' in page
    saved = _record(
        client, partner_a, individual_a, session, "2017-02-01", client_record_id="form:second", record_anyway=key
    )
    assert saved.status_code == 302 and LearningRecord.objects.count() == 2


def test_a_confirmation_holds_only_for_the_person_and_session_it_was_given_for(
    client, admin_a, partner_a, individual_a, session
):
    client.force_login(admin_a)
    other = KnowledgeSessionFactory(code="S6", title="Routing basics")
    LearningRecordFactory(partner=partner_a, individual=individual_a, session=other, how="viewed")
    stale = f"{individual_a.pk}:{session.pk}"  # confirmed for another session
    page = _record(client, partner_a, individual_a, other, "2017-02-01", record_anyway=stale)
    assert page.status_code == 200 and "already has “Routing basics” on record" in page.content.decode()
    assert LearningRecord.objects.count() == 1


def test_no_warning_for_a_reversed_or_non_counting_earlier_line_or_the_same_form_sent_twice(
    client, admin_a, partner_a, individual_a, session
):
    client.force_login(admin_a)
    LearningRecordFactory(partner=partner_a, individual=individual_a, session=session, how="downloaded")
    assert _record(client, partner_a, individual_a, session, "2017-01-10", client_record_id="form:a").status_code == 302
    again = _record(client, partner_a, individual_a, session, "2017-01-10", client_record_id="form:a")
    assert again.status_code == 302  # a double submit of one form: the first record, no warning
    viewed = LearningRecord.objects.get(client_record_id="form:a")
    client.post(reverse("learning-record-reverse", args=[viewed.pk]), {"reason": "Wrong person"})
    assert _record(client, partner_a, individual_a, session, "2017-01-12", client_record_id="form:b").status_code == 302


def test_the_form_shows_no_label_for_its_hidden_record_id(client, admin_a, partner_a, individual_a, session):
    client.force_login(admin_a)
    page = client.get(reverse("learning-record-add", args=[partner_a.pk])).content.decode()
    assert 'type="hidden" name="client_record_id"' in page and "Client record id" not in page
