"""No input reaches a 500 (issue 11, item 4): bad dates, huge integers, big or odd uploads, deeply nested
JSON and invalid booleans answer a 400 naming the field (API) or a message on the page (HTML)."""

import re

import django_filters
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import make_user
from tests.test_tenancy import build_world, fill, routes

AS_OF_EDGES = ("0001-01-01", "9999-12-31", "1500-01-01", "1990-01-01", "2100-12-31")
GARBAGE = ("maybe", "99999999999999999999", "9999-12-31")


def api_operations():
    """(path template, method, query parameter names) for every operation in the OpenAPI document."""
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, op in item.items():
            names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            yield path, method, names


@pytest.fixture
def fuzz_world(db, partner_a):
    objects = build_world(partner_a, "Alpha")
    return partner_a, sorted({o.pk for o in objects})


def test_every_api_read_with_garbage_parameters_answers_below_500(client, fuzz_world):
    partner, ids = fuzz_world
    client.force_login(make_user("staff", username="fuzz-staff"))
    failures = []
    for template, method, names in api_operations():
        if method != "get":
            continue
        urls = [template]
        if "{" in template:
            urls = [re.sub(r"\{[^}]+\}", str(pk), template) for pk in ids[:2]]
        for url in urls:
            queries = [f"as_of={day}" for day in AS_OF_EDGES] + ["page=999999999999999999999"]
            queries += [f"{name}={value}" for name in names for value in GARBAGE]
            for query in queries:
                try:
                    res = client.get(f"{url}?{query}")
                    status = res.status_code
                except Exception as exc:  # noqa: BLE001 - a raised exception is a 500 under a real server
                    status = f"{type(exc).__name__}: {exc}"[:120]
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"GET {url}?{query} -> {status}")
    assert not failures, "\n".join(failures)


def filter_names():
    """Every parameter any FilterSet of the project knows."""
    found, todo = set(), list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("django_filters"):
            found.update(cls.base_filters)
    return sorted(found)


def test_every_page_with_garbage_parameters_answers_below_500(client, fuzz_world):
    partner, ids = fuzz_world
    client.force_login(make_user("staff", username="fuzz-pages"))
    names = filter_names() + ["within_days", "days", "window", "page", "per_page", "page_size"]
    failures = []
    for template, params in routes():
        if template.startswith("api/"):
            continue
        urls = [fill(template, pk) for pk in ids[:2]] if params else ["/" + template]
        for url in urls:
            # A page applies its valid filters and reports the invalid ones, so all of them go at once.
            queries = [f"as_of={day}" for day in AS_OF_EDGES]
            queries += ["&".join(f"{name}={value}" for name in names) for value in ("maybe", "99999999999999999999")]
            for query in queries:
                try:
                    status = client.get(f"{url}?{query}").status_code
                except Exception as exc:  # noqa: BLE001 - a raised exception is a 500 under a real server
                    status = f"{type(exc).__name__}: {exc}"[:120]
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"GET {url}?{query} -> {status}")
    assert not failures, "\n".join(failures)


# --- as_of ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
@pytest.mark.parametrize("url", ["/api/v1/partner-specializations/", "/api/v1/verdicts/"])
def test_api_as_of_out_of_range_is_a_400_naming_it(api, admin_a, partner_a, url, day):
    res = api(admin_a).get(url, {"as_of": day, "partner": partner_a.pk})
    assert res.status_code == 400
    assert "as_of" in res.json() and "1990-01-01" in res.json()["as_of"][0]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("url", ["/partners/{partner}/specializations/", "/partners/{partner}/compliance/"])
def test_page_as_of_out_of_range_shows_a_message(client, admin_a, partner_a, url, day):
    client.force_login(admin_a)
    res = client.get(url.format(partner=partner_a.pk), {"as_of": day})
    assert res.status_code == 200
    assert "1990-01-01" in res.content.decode()


def test_verdicts_before_the_first_csat_policy_row_have_no_csat_requirement(api, staff_user, fuzz_world):
    partner, _ = fuzz_world
    res = api(staff_user).get("/api/v1/verdicts/", {"partner": partner.pk, "as_of": "1990-01-01"})
    assert res.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "not-a-date"])
def test_run_daily_as_of_out_of_range_is_a_command_error(db, day):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="1990-01-01"):
        call_command("run_daily", "--as-of", day)


@pytest.mark.parametrize("day", ["1990-01-01", "2015-06-01", "2100-12-31"])
def test_run_daily_runs_for_any_date_in_range(fuzz_world, day):
    from django.core.management import call_command

    call_command("run_daily", "--as-of", day)


# --- integers ------------------------------------------------------------------------------------------------

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url, name",
    [
        ("/api/v1/ce-certifications/?expiring_within={v}", "expiring_within"),
        ("/api/v1/ce-certifications/?individual={v}", "individual"),
        ("/api/v1/ce-roles-at-risk/?partner={p}&within_days={v}", "within_days"),
        ("/api/v1/ce-roles-at-risk/?partner={v}", "partner"),
        ("/api/v1/verdicts/?partner={v}", "partner"),
        ("/api/v1/portfolio/?partner={v}", "partner"),
        ("/api/v1/learning-records/?individual={v}", "individual"),
        ("/api/v1/knowledge-sessions/?points={v}", "points"),
        ("/api/v1/renewals/due/?partner={v}", "partner"),
        ("/api/v1/individuals/?partner={v}", "partner"),
    ],
)
def test_api_integer_out_of_range_is_a_400_naming_it(api, staff_user, partner_a, url, name):
    res = api(staff_user).get(url.format(v=HUGE, p=partner_a.pk))
    assert res.status_code == 400, res.content
    assert name in res.json()


@pytest.mark.parametrize(
    "url", ["/renewals/?partner={v}", "/compliance/portfolio/?partner={v}", "/catalogue/?points={v}"]
)
def test_page_integer_out_of_range_is_a_form_error(client, staff_user, url):
    client.force_login(staff_user)
    res = client.get(url.format(v=HUGE))
    assert res.status_code == 200


# --- booleans ------------------------------------------------------------------------------------------------


def boolean_filters():
    from core.filters import BooleanFilter

    for cls in set(_filtersets()):
        for name, f in cls.base_filters.items():
            if isinstance(f, django_filters.BooleanFilter):
                yield cls, name, isinstance(f, BooleanFilter)


def _filtersets():
    todo = list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("django_filters"):
            yield cls


def test_every_boolean_filter_is_strict():
    lax = [f"{cls.__name__}.{name}" for cls, name, strict in boolean_filters() if not strict]
    assert not lax


def test_every_boolean_filter_refuses_maybe(db):
    from django.contrib.auth.models import User

    for cls, name, _ in boolean_filters():
        none = (cls._meta.model or User)._default_manager.none()  # a base FilterSet may name no model
        assert not cls({name: "maybe"}, queryset=none).is_valid(), f"{cls.__name__}.{name}"
        assert cls({name: "true"}, queryset=none).is_valid(), f"{cls.__name__}.{name}"


@pytest.mark.parametrize(
    "url, name",
    [
        ("/api/v1/portfolio/?at_risk=maybe", "at_risk"),
        ("/api/v1/portfolio/?compliant=maybe", "compliant"),
        ("/api/v1/partners/?is_registered=maybe", "is_registered"),
        ("/api/v1/knowledge-sessions/?is_active=maybe", "is_active"),
        ("/api/v1/csat-responses/?valid=maybe", "valid"),
        ("/api/v1/loyalty-accounts/?expiring=maybe", "expiring"),
        ("/api/v1/hybrid-it-services/?verified=maybe", "verified"),
        ("/api/v1/learning-records/?reversals=maybe", "reversals"),
    ],
)
def test_api_invalid_boolean_is_a_400_naming_it(api, staff_user, url, name):
    res = api(staff_user).get(url)
    assert res.status_code == 400, res.content
    assert name in res.json()


def test_page_invalid_boolean_shows_a_form_error(client, staff_user):
    client.force_login(staff_user)
    res = client.get("/compliance/portfolio/?at_risk=maybe")
    assert res.status_code == 200
    assert "At risk “maybe”: Give true or false. This filter was not applied." in res.content.decode()


# --- uploads -------------------------------------------------------------------------------------------------


def _learning_upload(client, partner, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("learning.csv", text.encode(), content_type="text/csv")
    return client.post(f"/partners/{partner.pk}/learning/upload/", {"file": file})


@pytest.mark.parametrize(
    "text, message",
    [
        ("testing_number,session_code,occurred_on,how\n" + "TN1,S1,2025-01-01,viewed\n" * 10_001, "At most 10,000"),
        ("testing_number,session_code,occurred_on,how\n" + '"' + "x" * 140_000 + '",S1,2025-01-01,viewed\n', "CSV"),
    ],
    ids=["too-many-lines", "field-too-long"],
)
def test_learning_upload_too_big_is_a_message_and_saves_nothing(client, admin_a, partner_a, text, message):
    from learning.models import LearningRecord

    client.force_login(admin_a)
    res = _learning_upload(client, partner_a, text)
    assert res.status_code == 200
    assert message in res.content.decode()
    assert LearningRecord.objects.count() == 0


def _csat_files():
    import gzip

    header = "partner,country,customer,received_on,score,valid,reference\n"
    row = "1,DE,Müller Café,2025-01-01,9,yes,R1\n"
    return {
        "latin-1": (header + row).encode("latin-1"),
        "gzip": gzip.compress((header + row).encode()),
        "field-too-long": (header + '1,DE,"' + "x" * 140_000 + '",2025-01-01,9,yes,R1\n').encode(),
    }


@pytest.mark.parametrize("kind", ["latin-1", "gzip", "field-too-long"])
def test_csat_import_of_an_unreadable_file_is_a_message_and_saves_nothing(client, api, staff_user, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from csat.models import SurveyResponse

    client.force_login(staff_user)
    content = _csat_files()[kind]
    page = client.post("/csat/import/", {"file": SimpleUploadedFile("r.csv", content), "dry_run": ""})
    assert page.status_code == 200 and "nothing was saved" in page.content.decode()
    res = api(staff_user).post(
        "/api/v1/csat-responses/import/",
        {"file": SimpleUploadedFile("r.csv", content), "dry_run": "false"},
        format="multipart",
    )
    assert res.status_code == 400 and "file" in str(res.json())
    assert SurveyResponse.objects.count() == 0


# --- deeply nested JSON --------------------------------------------------------------------------------------

NESTED = "[" * 100_000 + "]" * 100_000


def api_post_routes():
    """Every API route that accepts POST (its path with ids filled in), from the OpenAPI document."""
    return sorted({re.sub(r"\{[^}]+\}", "1", path) for path, method, _ in api_operations() if method == "post"})


def test_nested_json_to_the_anonymous_token_endpoint_is_a_400(client):
    res = client.post("/api/v1/auth/token/", NESTED, content_type="application/json")
    assert res.status_code == 400


def test_nested_json_to_every_post_endpoint_is_a_400(client, staff_user):
    client.force_login(staff_user)
    routes = api_post_routes()
    assert len(routes) > 10
    failures = []
    for url in routes:
        try:
            status = client.post(url, NESTED, content_type="application/json").status_code
        except Exception as exc:  # noqa: BLE001 - a raised exception is a 500 under a real server
            status = type(exc).__name__
        if status not in (400, 401, 403, 404, 405):  # 401: the logout endpoint takes a token, not a session
            failures.append(f"POST {url} -> {status}")
    assert not failures, failures
