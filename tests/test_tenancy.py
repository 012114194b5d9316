"""Tenancy walk: every URL the project registers, as partner A's users, never shows or changes B's data.

Routes come from the URL resolver, so a new route is covered the day it is added. Each app's
tests/<app>/factories.py contributes `build_partner_data(partner)` so its objects are on the walk.
"""

import re
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from partners.access import TenantQuerySet
from partners.models import Territory
from tests.factories import (
    AssociationFactory,
    IndividualFactory,
    PartnerFactory,
    make_user,
)

# Sequences restart for each test, so partner B's objects of every model have small, shared ids: each of
# them is still tried on every route, with far fewer requests than one id per object.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

SKIP_PREFIXES = ("admin/", "static/", "media/", "accounts/", "api/schema", "api/docs", "api/redoc")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
STOP_VALUES = {"approved", "pending", "viewed", "country", "partner_admin", "account_manager"}


def routes(patterns=None, prefix=""):
    """(route template, kwarg names) for every URL pattern, with regex routes made plain."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        text = prefix + str(p.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, text)
        elif isinstance(p, URLPattern):
            if "format" in text or text.startswith(SKIP_PREFIXES):
                continue
            yield text, [a or b for a, b in PARAM.findall(text)]


def fill(template, value):
    return "/" + PARAM.sub(str(value), template).replace("\\.", ".").replace("\\", "")


def tenant_models():
    """Models owned by a partner (loyalty's customer accounts are scoped, but not by partner)."""
    found = []
    for model in apps.get_models():
        qs = model._default_manager.all()
        if isinstance(qs, TenantQuerySet):
            try:
                qs.filter(**{qs.partner_lookup: None}).query  # noqa: B018 - resolves the path
            except FieldError:
                continue
            found.append(model)
    return found


def build_world(partner, label):
    partner.legal_name = f"{label} Tenancy Partner"
    partner.vendor_partner_id = f"{label.upper()}-VPID-77"
    partner.save()
    person = IndividualFactory(first_name=f"{label}first", last_name=f"{label}last", testing_number=f"{label}TN99")
    objects = [partner, person, AssociationFactory(partner=partner, individual=person)]
    from core.events import event_record

    objects.append(
        event_record(
            kind="partner.updated", summary=f"{label} secret event", partner=partner, dedupe_key=f"tenancy:{label}"
        )[0]
    )
    for config in apps.get_app_configs():
        module_name = f"tests.{config.label}.factories"
        if (
            Path(config.path).parent == settings.BASE_DIR
            and find_spec(f"tests.{config.label}")
            and find_spec(module_name)
        ):
            builder = getattr(import_module(module_name), "build_partner_data", None)
            if builder:
                objects.extend(builder(partner))
    return objects


def text_values(obj):
    return {
        str(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and getattr(obj, f.attname)
    }


def snapshot(objects):
    return [
        (
            type(o),
            o.pk,
            {f.attname: getattr(type(o)._default_manager.get(pk=o.pk), f.attname) for f in o._meta.concrete_fields},
        )
        for o in objects
    ]


def tenant_counts(partner):
    counts = {}
    for model in tenant_models():
        qs = model._default_manager.all()
        counts[model._meta.label] = model._default_manager.filter(**{qs.partner_lookup: partner}).count()
    return counts


@pytest.fixture
def world(db):
    a, b = PartnerFactory(), PartnerFactory()
    a_objects, b_objects = build_world(a, "Alpha"), build_world(b, "Bravo")
    a_text = set().union(*(text_values(o) for o in a_objects))
    markers = {
        v
        for o in b_objects
        for v in text_values(o)
        if len(v) >= 6 and v not in a_text and v.lower() not in STOP_VALUES and not v.isdigit()
    } - set(Territory.objects.values_list("name", flat=True))  # the country list is public (verdicts copy names)
    manager = make_user("account_manager", username="walk-manager")
    a.account_managers.add(manager)
    users = {"partner admin": make_user("partner_admin", partner=a, username="walk-admin"), "account manager": manager}
    return a, b, b_objects, markers, users


def assert_no_leak(response, markers, where):
    body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    leaked = [m for m in markers if m in body]
    assert not leaked, f"{where} showed data it must not: partner B's or a colleague's: {leaked[:5]}"


@pytest.mark.parametrize("who", ["partner admin", "account manager"])
def test_partner_b_is_invisible_and_untouchable_on_every_route(client, world, who):
    a, b, b_objects, markers, users = world
    client.force_login(users[who])
    walk(client, b, b_objects, markers)


def colleague_records(partner):
    """A colleague's personal records at `partner`, made through the services (events and a notice included)."""
    # certifications sits above partners; the walk imports it only for this fixture.
    from certifications import services as ce_services
    from core.models import Event, Notice
    from partners import access

    colleague = AssociationFactory(
        partner=partner, individual=IndividualFactory(first_name="Colfirst", last_name="Collast")
    ).individual
    cert = ce_services.ce_certification_create(
        individual=colleague,
        track="Colleague secret track",
        level="expert",
        certified_on=date(2025, 1, 2),
        actor=access.SYSTEM,
    )
    exam = ce_services.ce_exam_record(
        individual=colleague, kind="technology", passed_on=date(2025, 2, 3), exam_code="COLLEXAM7", actor=access.SYSTEM
    )
    claim = ce_services.ce_claim_submit(
        individual=colleague,
        started_on=date(2025, 3, 1),
        ended_on=date(2025, 3, 2),
        validation_code="COLLCODE7",
        course_name="Colleague secret course",
        credits=4,
        attended_in_full=True,
        certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=access.SYSTEM,
    )
    claim = ce_services.ce_claim_review(
        claim=claim, decision="rejected", reason="Colleague secret reason", actor=access.SYSTEM
    )
    events = list(Event.objects.filter(summary__contains=str(colleague)))
    notices = list(Notice.objects.filter(event__in=events))
    assert events and notices
    markers = {"Colleague secret", "COLLEXAM7", "COLLCODE7", colleague.email}
    return [cert, exam, claim, *events, *notices], markers


def test_a_partner_member_sees_no_colleagues_personal_records_on_any_route(client, world):
    """As a member of partner A: partner B is invisible, and so are a colleague's certifications, exams, claims,
    and the events and notices about her."""
    a, b, b_objects, markers, users = world
    me = AssociationFactory(partner=a, individual=IndividualFactory(first_name="Memfirst", last_name="Memlast"))
    member = make_user("partner_member", partner=a, individual=me.individual, username="walk-member")
    theirs, their_markers = colleague_records(a)
    client.force_login(member)
    walk(client, b, b_objects + theirs, markers | their_markers)


def walk(client, b, b_objects, markers):
    """Every route, with every id of `b_objects`, read and written: no marker shown, nothing changed."""
    before_state, before_counts = snapshot(b_objects), tenant_counts(b)
    ids = sorted({o.pk for o in b_objects})
    checked = 0
    for template, params in routes():
        if not params:
            for query in (
                "",
                f"?partner={b.pk}&partner_id={b.pk}&q=Bravo&search=Bravo",
                "?format=csv&export=csv",
                f"?as_of=2026-01-01&partner={b.pk}",
            ):
                url = "/" + template.replace("\\.", ".") + query
                assert_no_leak(client.get(url), markers, f"GET {url}")
            for method in ("post", "patch", "delete"):
                url = "/" + template
                res = getattr(client, method)(
                    url, {"partner": b.pk, "partner_id": b.pk}, content_type="application/json"
                )
                assert_no_leak(res, markers, f"{method.upper()} {url}")
            checked += 1
            continue
        for pk in ids:
            url = fill(template, pk)
            assert_no_leak(client.get(url), markers, f"GET {url}")
            for method in ("post", "patch", "put", "delete"):
                res = getattr(client, method)(url, {"partner": b.pk}, content_type="application/json")
                assert_no_leak(res, markers, f"{method.upper()} {url}")
            checked += 1
    assert snapshot(b_objects) == before_state, "a request as partner A changed partner B's data"
    assert tenant_counts(b) == before_counts, "a request as partner A created or deleted partner B's rows"
    assert checked > 5


def test_every_tenant_model_is_scoped(world):
    """Each tenant-owned model hides B's rows from A's admin through visible_to."""
    a, b, b_objects, markers, users = world
    admin = users["partner admin"]
    for obj in b_objects:
        model = type(obj)
        if isinstance(model._default_manager.all(), TenantQuerySet):
            assert not model._default_manager.visible_to(admin).filter(pk=obj.pk).exists(), model


def test_detail_routes_answer_404_for_partner_b(client, world):
    a, b, b_objects, markers, users = world
    client.force_login(users["partner admin"])
    assert client.get(f"/partners/{b.pk}/").status_code == 404
    assert client.get(f"/api/v1/partners/{b.pk}/").status_code == 404
    person = next(o for o in b_objects if o.__class__.__name__ == "Individual")
    assert client.get(f"/api/v1/individuals/{person.pk}/").status_code == 404
