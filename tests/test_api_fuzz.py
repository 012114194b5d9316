"""The OpenAPI document tells the truth: schemathesis drives every API operation in process (the WSGI app
against the test database, loaded with the demo data) as a partner admin and as staff, and fails on any
5xx and on any answer the document does not describe (an undocumented status code, a wrong content type,
a body that does not match its schema).

Bounded so it runs in the normal suite: a few derandomized examples per operation and generation mode,
no shrinking, no example database; `pytest -m fuzz` runs it alone, FUZZ_EXAMPLES=50 runs it harder.
"""

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from partners.models import Partner
from tests.factories import make_user

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo program and partners, a partner admin and a staff user with API tokens; rolled back after
    the module, so no other test sees any of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        acme = Partner.objects.order_by("pk").first()
        users = {
            "partner_admin": make_user("partner_admin", partner=acme, username="fuzz-admin"),
            "staff": make_user("staff", username="fuzz-staff"),
        }
        yield {role: AuthToken.objects.create(user)[1] for role, user in users.items()} | {"users": users}
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The WSGI app, keeping the test's connection (and its transaction) open between requests, as Django's test
    client does. The client re-connects `close_old_connections` after each of its own requests, so the signal
    cannot simply be disconnected: the connections themselves ignore the request signals here."""
    for conn in connections.all():
        monkeypatch.setattr(conn, "close_if_unusable_or_obsolete", lambda: None)
    yield get_wsgi_application()


def _real_id(operation: Any, headers: dict[str, str]) -> Any:
    """An id the user can see from the operation's collection, so detail routes also hit real objects."""
    if not operation.path.endswith("{id}/") and "/{id}/" not in operation.path:
        return None
    response = Client().get(operation.path.split("{id}")[0], headers=headers)
    if response.status_code != 200:
        return None
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return rows[0].get("id") if rows and isinstance(rows[0], dict) else None


def _fuzz(operation: Any, user: Any, headers: dict[str, str], mode: GenerationMode) -> list[str]:
    found: dict[str, str] = {}
    revokes = operation.path.endswith("/auth/logout/")  # spend a token of its own, keep the user's
    strategy = operation.as_strategy(generation_mode=mode)
    real_id = _real_id(operation, headers) if mode == GenerationMode.POSITIVE else None
    if real_id is not None:
        strategy = strategy | operation.as_strategy(generation_mode=mode, path_parameters={"id": real_id})

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        try:
            sent = {"Authorization": f"Token {AuthToken.objects.create(user)[1]}"} if revokes else headers
            response = case.call(headers=sent)
            case.validate_response(response, checks=CHECKS, headers=sent)
        except (AssertionError, FailureGroup) as exc:  # schemathesis failures; keep the first of each kind and go on
            for failure in getattr(exc, "exceptions", [exc]):
                title = getattr(failure, "title", type(failure).__name__)
                key = f"{operation.label} [{mode.value}] {title}"
                found.setdefault(key, f"{key}\n    {case.as_curl_command()}\n    {str(failure)[:600]}")

    run()
    return list(found.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partner_admin", "staff"])
def test_every_operation_answers_within_its_documented_schema(
    dataset: dict[str, Any], wsgi_app: Any, role: str
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    headers = {"Authorization": f"Token {dataset[role]}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in MODES:
            failures += _fuzz(operation, dataset["users"][role], headers, mode)
    assert operations >= 100
    assert not failures, f"{len(failures)} failures as {role}:\n" + "\n".join(failures)
