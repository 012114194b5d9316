"""Evidence documents on Hybrid IT services, support agreements and capabilities: judged by content, size-limited,
stored under an unguessable name, downloaded only by those who may see the record."""

import threading
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from compliance import evidence_rules as rules
from compliance.models import EvidenceFile, HybridITService, SupportAgreement
from compliance.services import records
from core.models import Event
from partners.access import SYSTEM
from tests.compliance.factories import HybridITServiceFactory, SupportAgreementFactory, SupportCapabilityFactory
from tests.factories import TerritoryFactory, make_user

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def germany(partner_a, partner_b):
    t = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(t)
    partner_b.territories.add(t)
    return t


@pytest.fixture
def service(partner_a, germany):
    return HybridITServiceFactory(partner=partner_a, territory=germany, name="Managed WAN", verified_on=None)


@pytest.fixture
def member_a(partner_a):
    return make_user("partner_member", partner=partner_a, username="member-a")


SERVICE_FIELDS = {
    "name": "Managed Wi-Fi",
    "kind": "powered_managed",
    "provider_contract": "PC-77",
    "customer_sla": "SLA-77",
    "description": "Wi-Fi run for the customer",
    "lifecycle_process": "LCM-77",
}


# --- rules: the content decides ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (HTML, None),
        (EXE, None),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_evidence_type_is_told_by_the_first_bytes(head, expected):
    found = rules.evidence_type(head[: rules.EVIDENCE_HEAD_BYTES])
    assert (found[0] if found else None) == expected


def test_size_message_names_the_file_its_size_and_the_limit():
    limit = 10 * rules.MB
    assert (
        rules.evidence_problem(name="evidence.pdf", size=int(14.2 * rules.MB), head=PDF, max_bytes=limit)
        == "evidence.pdf is 14.2 MB; the limit is 10 MB."
    )
    # just over the limit never reads as the limit itself
    assert "is 10.1 MB" in rules.evidence_problem(name="a.pdf", size=limit + 1, head=PDF, max_bytes=limit)
    assert rules.evidence_problem(name="a.pdf", size=limit, head=PDF, max_bytes=limit) == ""
    assert rules.evidence_problem(name="a.pdf", size=0, head=b"", max_bytes=limit) == "a.pdf is empty."


@pytest.mark.parametrize(
    ("uploaded", "extension", "expected"),
    [
        ("../../etc/contract.pdf", ".pdf", "contract.pdf"),
        ("C:\\Users\\me\\Scan 12.PDF", ".pdf", "Scan 12.pdf"),
        ("scan.pdf", ".png", "scan.png"),  # the content is a PNG: the download opens as one
        ("photo.jpeg", ".jpg", "photo.jpeg"),
        ("report.v2", ".pdf", "report.v2.pdf"),
        ('<img src=x onerror="a">.pdf', ".pdf", "img src_x onerror_a.pdf"),
        ("...", ".pdf", "evidence.pdf"),
        ("Überweisung März.pdf", ".pdf", "Überweisung März.pdf"),
        ("a" * 300 + ".pdf", ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_evidence_name_is_made_safe(uploaded, extension, expected):
    assert rules.evidence_name(uploaded, extension) == expected


# --- the record form -----------------------------------------------------------------------------------------


def test_a_service_recorded_with_a_pdf_and_a_png_keeps_both(client, admin_a, partner_a, germany, settings):
    client.force_login(admin_a)
    form = client.get(f"/partners/{partner_a.pk}/compliance/hybrid-it/new/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="evidence"' in form and "multiple" in form
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {
            "territory": germany.pk,
            **SERVICE_FIELDS,
            "evidence": [upload("contract.pdf", PDF), upload("dashboard.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302
    service = HybridITService.objects.get()
    files = list(EvidenceFile.objects.order_by("name"))
    assert [(f.name, f.content_type, f.size, f.uploaded_by) for f in files] == [
        ("contract.pdf", "application/pdf", len(PDF), admin_a),
        ("dashboard.png", "image/png", len(PNG), admin_a),
    ]
    assert all(f.record == service and f.partner == partner_a for f in files)
    # stored under an unguessable name, nothing of the uploaded one
    for f in files:
        assert "contract" not in f.file.name and "dashboard" not in f.file.name
        assert f.file.name.startswith(f"evidence/{partner_a.pk}/") and len(Path(f.file.name).stem) == 32
    assert len(stored_files(settings)) == 2
    event = Event.objects.get(kind="hybrid_it_service.evidence_added")
    assert "Managed Wi-Fi" in event.summary and "contract.pdf" in event.summary and "dashboard.png" in event.summary


@pytest.mark.parametrize(
    ("content", "what"),
    [(HTML, "html"), (EXE, "exe")],
)
def test_a_pdf_that_is_not_one_is_refused_and_the_form_keeps_every_field(
    client, admin_a, partner_a, germany, settings, content, what
):
    client.force_login(admin_a)
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {"territory": germany.pk, **SERVICE_FIELDS, "evidence": [upload("evidence.pdf", content)]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "evidence.pdf is not a PDF or an image (PNG, JPEG, GIF, WebP)" in html
    for value in SERVICE_FIELDS.values():
        if value != "powered_managed":
            assert value in html  # nothing typed is lost
    assert f'<option value="{germany.pk}" selected>' in html
    assert not HybridITService.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(client, admin_a, partner_a, germany, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(admin_a)
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {
            "territory": germany.pk,
            **SERVICE_FIELDS,
            "evidence": [upload("ok.pdf", PDF), upload("big.pdf", PDF + b"0" * 2000)],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "big.pdf is 2 KB; the limit is 1000 bytes." in html and "Managed Wi-Fi" in html
    assert not HybridITService.objects.exists() and stored_files(settings) == []  # all or nothing


def test_the_limit_comes_from_the_setting(partner_a, service, settings):
    settings.EVIDENCE_MAX_BYTES = 10 * rules.MB
    with pytest.raises(ValidationError) as refused:
        records.evidence_add(
            record=service, files=[upload("evidence.pdf", PDF + b"0" * (int(14.2 * rules.MB) - len(PDF)))], actor=SYSTEM
        )
    assert refused.value.message_dict == {"evidence": ["evidence.pdf is 14.2 MB; the limit is 10 MB."]}


def test_a_field_error_asks_for_the_documents_again(client, admin_a, partner_a, germany):
    client.force_login(admin_a)
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {"territory": germany.pk, **SERVICE_FIELDS, "name": "", "evidence": [upload("contract.pdf", PDF)]},
    )
    assert response.status_code == 200
    assert "choose the documents again" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_the_verifier_sees_each_file_with_its_size_uploader_and_a_download_link(
    client, admin_a, staff_user, partner_a, germany, service
):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    agreement = SupportAgreementFactory(partner=partner_a, territory=germany, verified_on=None)
    capability = SupportCapabilityFactory(partner=partner_a, territory=germany, verified_on=None)
    records.evidence_add(record=agreement, files=[upload("agreement.pdf", PDF)], actor=admin_a)
    records.evidence_add(record=capability, files=[upload("desk.jpg", JPEG, "image/jpeg")], actor=admin_a)
    client.force_login(staff_user)
    html = client.get(f"/partners/{partner_a.pk}/compliance/").content.decode()
    assert f'href="/compliance/evidence/{doc.pk}/"' in html and "contract.pdf" in html
    assert f"{len(PDF)} bytes" in html and admin_a.username in html and doc.uploaded_at.strftime("%Y-%m-%d") in html
    assert "agreement.pdf" in html and "desk.jpg" in html and "Verify" in html


def test_the_compliance_page_reads_evidence_in_a_constant_number_of_queries(
    client, admin_a, partner_a, germany, django_assert_max_num_queries
):
    def load():
        client.get(f"/partners/{partner_a.pk}/compliance/")

    client.force_login(admin_a)
    service = HybridITServiceFactory(partner=partner_a, territory=germany)
    records.evidence_add(record=service, files=[upload("a.pdf", PDF)], actor=admin_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        load()
    for n in range(4):
        more = HybridITServiceFactory(partner=partner_a, territory=germany)
        records.evidence_add(record=more, files=[upload(f"b{n}.pdf", PDF), upload("c.png", PNG)], actor=admin_a)
    with django_assert_max_num_queries(len(one)):
        load()


# --- download ------------------------------------------------------------------------------------------------


def test_download_as_owner_member_and_staff_with_safe_headers(client, admin_a, member_a, staff_user, service):
    [doc] = records.evidence_add(record=service, files=[upload("scan.pdf", PNG, "application/pdf")], actor=admin_a)
    for user in (admin_a, member_a, staff_user):
        client.force_login(user)
        response = client.get(f"/compliance/evidence/{doc.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"  # the detected type, not the name's or the browser's
        assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PNG


def test_another_partners_file_is_404_and_anonymous_is_sent_to_login(client, admin_b, service, admin_a):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    client.force_login(admin_b)
    assert client.get(f"/compliance/evidence/{doc.pk}/").status_code == 404
    assert client.post(f"/compliance/evidence/{doc.pk}/remove/").status_code == 404
    client.logout()
    response = client.get(f"/compliance/evidence/{doc.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert EvidenceFile.objects.filter(pk=doc.pk).exists()


def test_media_is_never_served_from_media_url(client, admin_a, service, settings):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    client.force_login(admin_a)
    assert client.get(f"/{settings.MEDIA_URL}{doc.file.name}").status_code == 404
    assert client.get(f"/media/{doc.file.name}").status_code == 404


def test_no_url_pattern_serves_uploaded_files():
    from django.urls import URLResolver, get_resolver
    from django.views.static import serve

    def views(patterns):
        for p in patterns:
            yield from views(p.url_patterns) if isinstance(p, URLResolver) else [p.callback]

    assert serve not in list(views(get_resolver().url_patterns))


def test_admin_lists_a_records_evidence_with_the_protected_link(client, admin_a, staff_user, service):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    html = client.get(f"/admin/compliance/hybriditservice/{service.pk}/change/").content.decode()
    assert f'<a href="/compliance/evidence/{doc.pk}/">contract.pdf</a>' in html and doc.file.name not in html


def test_a_missing_file_is_a_404_not_a_500(client, admin_a, service):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    doc.file.storage.delete(doc.file.name)
    client.force_login(admin_a)
    assert client.get(f"/compliance/evidence/{doc.pk}/").status_code == 404


# --- remove --------------------------------------------------------------------------------------------------


def test_remove_before_verification_deletes_the_file_and_says_so(
    client, admin_a, service, settings, django_capture_on_commit_callbacks
):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    client.force_login(admin_a)
    page = client.get(f"/compliance/hybrid-it/{service.pk}/edit/").content.decode()
    assert f'action="/compliance/evidence/{doc.pk}/remove/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/compliance/evidence/{doc.pk}/remove/", follow=True)
    assert "contract.pdf removed." in response.content.decode()
    assert not EvidenceFile.objects.exists() and stored_files(settings) == []
    assert "evidence removed: contract.pdf" in Event.objects.get(kind="hybrid_it_service.evidence_removed").summary


def test_a_verified_records_evidence_cannot_be_removed_but_more_may_be_added(
    client, admin_a, staff_user, service, settings
):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    records.partner_record_verify(obj=service, actor=SYSTEM, on=date(2026, 1, 5))
    client.force_login(admin_a)
    page = client.get(f"/compliance/hybrid-it/{service.pk}/edit/").content.decode()
    assert "/remove/" not in page and "cannot be removed until the record is changed" in page
    for user in (admin_a, staff_user):
        client.force_login(user)
        response = client.post(f"/compliance/evidence/{doc.pk}/remove/", follow=True)
        assert "contract.pdf cannot be removed: Managed WAN was verified on 2026-01-05 with it." in (
            response.content.decode()
        )
    assert EvidenceFile.objects.filter(pk=doc.pk).exists() and len(stored_files(settings)) == 1
    records.evidence_add(record=service, files=[upload("extra.pdf", PDF)], actor=admin_a)
    service.refresh_from_db()
    assert service.verified_on == date(2026, 1, 5)  # adding keeps the verification


def test_a_member_may_download_but_not_remove(client, member_a, admin_a, service):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    client.force_login(member_a)
    assert client.post(f"/compliance/evidence/{doc.pk}/remove/").status_code == 403
    assert EvidenceFile.objects.filter(pk=doc.pk).exists()


def test_deleting_a_record_deletes_its_files_from_storage(
    admin_a, service, settings, django_capture_on_commit_callbacks
):
    records.evidence_add(record=service, files=[upload("a.pdf", PDF), upload("b.png", PNG)], actor=admin_a)
    assert len(stored_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        records.partner_record_delete(obj=service, actor=admin_a)
    assert not EvidenceFile.objects.exists() and stored_files(settings) == []
    assert "with its 2 evidence documents" in Event.objects.get(kind="hybrid_it_service.deleted").summary


# --- API -----------------------------------------------------------------------------------------------------


def test_api_upload_list_download_and_remove(
    api, admin_a, partner_a, germany, settings, django_capture_on_commit_callbacks
):
    agreement = SupportAgreementFactory(partner=partner_a, territory=germany, verified_on=None)
    client = api(admin_a)
    response = client.post(
        f"/api/v1/support-agreements/{agreement.pk}/evidence/",
        {"file": [upload("signed.pdf", PDF), upload("stamp.png", PNG, "image/png")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(f["name"], f["content_type"], f["size"]) for f in body] == [
        ("signed.pdf", "application/pdf", len(PDF)),
        ("stamp.png", "image/png", len(PNG)),
    ]
    assert body[0]["uploaded_by"] == admin_a.username
    record = client.get(f"/api/v1/support-agreements/{agreement.pk}/").json()
    assert [f["name"] for f in record["evidence"]] == ["signed.pdf", "stamp.png"]
    download = client.get(body[0]["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="signed.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert client.get(f"/api/v1/evidence-files/{body[1]['id']}/").json()["name"] == "stamp.png"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/evidence-files/{body[1]['id']}/").status_code == 204
    assert len(stored_files(settings)) == 1 and SupportAgreement.objects.get().evidence.count() == 1


def test_api_refuses_a_fake_pdf_and_a_missing_file_with_400(api, admin_a, service):
    client = api(admin_a)
    fake = client.post(
        f"/api/v1/hybrid-it-services/{service.pk}/evidence/",
        {"file": [upload("evidence.pdf", HTML)]},
        format="multipart",
    )
    assert fake.status_code == 400
    assert "evidence.pdf is not a PDF or an image" in fake.json()["evidence"][0]
    empty = client.post(f"/api/v1/hybrid-it-services/{service.pk}/evidence/", {}, format="multipart")
    assert empty.status_code == 400 and "file" in empty.json()
    assert not EvidenceFile.objects.exists()


def test_api_another_partner_is_404_a_member_403_anonymous_401(api, admin_a, admin_b, member_a, service, client):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    files = {"file": [upload("x.pdf", PDF)]}
    b = api(admin_b)
    assert b.post(f"/api/v1/hybrid-it-services/{service.pk}/evidence/", files, format="multipart").status_code == 404
    assert b.get(f"/api/v1/evidence-files/{doc.pk}/download/").status_code == 404
    assert b.get(f"/api/v1/evidence-files/{doc.pk}/").status_code == 404
    assert b.delete(f"/api/v1/evidence-files/{doc.pk}/").status_code == 404
    member = api(member_a)
    assert member.get(f"/api/v1/evidence-files/{doc.pk}/download/").status_code == 200
    files = {"file": [upload("x.pdf", PDF)]}
    assert (
        member.post(f"/api/v1/hybrid-it-services/{service.pk}/evidence/", files, format="multipart").status_code == 403
    )
    assert member.delete(f"/api/v1/evidence-files/{doc.pk}/").status_code == 403
    assert client.get(f"/api/v1/evidence-files/{doc.pk}/download/").status_code in (401, 403)
    assert EvidenceFile.objects.count() == 1


def test_api_remove_after_verification_is_400(api, admin_a, service):
    [doc] = records.evidence_add(record=service, files=[upload("contract.pdf", PDF)], actor=admin_a)
    records.partner_record_verify(obj=service, actor=SYSTEM)
    response = api(admin_a).delete(f"/api/v1/evidence-files/{doc.pk}/")
    assert response.status_code == 400 and "cannot be removed" in str(response.json())


def test_openapi_documents_the_multipart_upload_and_the_download(client):
    schema = client.get("/api/schema/?format=json").json()
    upload_op = schema["paths"]["/api/v1/hybrid-it-services/{id}/evidence/"]["post"]
    body = upload_op["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    download = schema["paths"]["/api/v1/evidence-files/{id}/download/"]["get"]
    assert "application/octet-stream" in download["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("n", "up", "text"),
    [
        (48, True, "48 bytes"),
        (3277, True, "3.3 KB"),
        (10 * rules.MB, False, "10 MB"),
        (10 * rules.MB + 1, True, "10.1 MB"),
    ],
)
def test_file_sizes_read_as_people_write_them(n, up, text):
    assert rules.file_size(n, up=up) == text


def test_a_record_keeps_at_most_the_set_number_of_documents(partner_a, service, settings):
    settings.EVIDENCE_MAX_FILES = 3
    records.evidence_add(record=service, files=[upload("a.pdf", PDF), upload("b.pdf", PDF)], actor=SYSTEM)
    with pytest.raises(ValidationError) as refused:
        records.evidence_add(record=service, files=[upload("c.pdf", PDF), upload("d.png", PNG)], actor=SYSTEM)
    assert refused.value.message_dict == {
        "evidence": [
            "A record keeps at most 3 evidence documents; this one has 2 and 2 were chosen. "
            "Choose at most 1, or remove some first."
        ]
    }
    assert service.evidence.count() == 2  # all or nothing: neither was kept
    records.evidence_add(record=service, files=[upload("c.pdf", PDF)], actor=SYSTEM)
    with pytest.raises(ValidationError, match="this one has 3 and 1 was chosen. Remove some before adding more."):
        records.evidence_add(record=service, files=[upload("e.pdf", PDF)], actor=SYSTEM)


def test_the_form_refuses_too_many_documents_and_keeps_what_was_typed(client, admin_a, partner_a, germany, settings):
    settings.EVIDENCE_MAX_FILES = 1
    client.force_login(admin_a)
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {"territory": germany.pk, **SERVICE_FIELDS, "evidence": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "A record keeps at most 1 evidence document; this one has 0 and 2 were chosen." in html
    )
    assert "Managed Wi-Fi" in html and "a record keeps up to 1" in html
    assert not HybridITService.objects.exists() and stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_pass_the_limit_together(partner_a, service, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    settings.EVIDENCE_MAX_FILES = 5
    records.evidence_add(record=service, files=[upload(f"{n}.pdf", PDF) for n in range(3)], actor=SYSTEM)
    start, refused = threading.Barrier(4), []

    def uploader(n):
        try:
            start.wait()
            records.evidence_add(
                record=service, files=[upload(f"t{n}a.pdf", PDF), upload(f"t{n}b.pdf", PDF)], actor=SYSTEM
            )
        except ValidationError:
            refused.append(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(refused) == 3 and service.evidence.count() == 5  # one upload of two fits, the others are refused
    assert len(stored_files(settings)) == 5  # a refused upload leaves no file behind
