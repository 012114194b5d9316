"""Filters shared by every app's FilterSets: integers within bounds and booleans that refuse anything but a
boolean, so a bad query parameter is a 400 naming it (API) or a form error (page), never a 500 or ignored; a partner
and a country as a person types them (an id or a name; a code or a name)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

# The largest integer a filter accepts (PostgreSQL's `integer`): ids, counts and day windows stay far below it,
# and nothing larger reaches the database or date arithmetic.
INT_BOUND = 2_147_483_647
TRUE_WORDS = frozenset({"true", "1", "yes", "on", "2"})  # "2"/"3": Django's NullBooleanSelect values
FALSE_WORDS = frozenset({"false", "0", "no", "off", "3"})
EMPTY_WORDS = frozenset({"", "unknown"})


class StrictBooleanSelect(forms.NullBooleanSelect):
    """Hands the raw text to the field, so a word that is not a boolean is an error instead of 'any'."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class StrictBooleanField(forms.NullBooleanField):
    widget = StrictBooleanSelect
    default_error_messages = {"invalid": "Give true or false."}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: "any", like NullBooleanField
        if value is None or isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        if word in EMPTY_WORDS:
            return None
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter, but `?flag=maybe` is invalid (400 in the API, a form error on a page)."""

    field_class = StrictBooleanField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number between -INT_BOUND and INT_BOUND (or the bounds given): larger numbers are invalid."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, min_value: int = -INT_BOUND, max_value: int = INT_BOUND, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", min_value)
        kwargs.setdefault("max_value", max_value)
        super().__init__(*args, **kwargs)


class InstantField(IsoDateTimeField):
    """An ISO 8601 date and time (no time zone: UTC) that stays within the years 1 to 9999 in UTC."""

    default_error_messages = {"invalid": "Give an ISO 8601 date and time, e.g. 2026-07-01T00:00:00Z."}

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is None:
            return None
        if timezone.is_naive(result):
            result = timezone.make_aware(result, UTC)
        try:
            return result.astimezone(UTC)  # in UTC: PostgreSQL refuses offsets beyond 15:59 that Python allows
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    """`?updated_after=<ISO 8601>`: the rows changed after that instant (delta sync for a CRM); `field_name` is the
    row's change time (`updated_at`, core.models.UpdatedAt)."""

    field_class = InstantField

    def __init__(self, *args: Any, field_name: str = "updated_at", **kwargs: Any) -> None:
        kwargs.setdefault("lookup_expr", "gt")
        kwargs.setdefault("label", "Changed after")
        super().__init__(*args, field_name=field_name, **kwargs)


def partner_q(value: int | str, path: str = "partner") -> Q:
    """The rows whose partner (at `path`) is this one: an id, else text matching part of the partner's name or
    its whole vendor partner id, case-insensitively."""
    if isinstance(value, int):
        return Q(**{path: value})
    return Q(**{f"{path}__legal_name__icontains": value}) | Q(**{f"{path}__vendor_partner_id__iexact": value})


class PartnerField(forms.CharField):
    """What a person types for a partner: its id (a whole number: the API's documented use) or text to find it by."""

    default_error_messages = {
        "invalid": f"Give a partner id (a whole number up to {INT_BOUND}) or a partner's name, or part of it."
    }

    def to_python(self, value: Any) -> int | str:  # type: ignore[override]  # an id or text
        text = super().to_python(value) or ""
        if text.isascii() and text.isdigit():
            if len(text) > len(str(INT_BOUND)) or int(text) > INT_BOUND:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return int(text)
        return text


PARTNER_HELP = "A partner's id (12), or its name or part of it (acme), case-insensitive, or its vendor partner id."
COUNTRY_HELP = "A country by its code (DE) or its name (Germany), case-insensitive; a country group too (Benelux)."


@extend_schema_field({"type": "string", "description": PARTNER_HELP, "example": "12"})
class PartnerFilter(django_filters.Filter):
    """`?partner=`: a partner id (`12`, as before), or part of its name (`acme`, `Acme Networks`) or its vendor
    partner id. `field_name` is the path from the row to its partner; with `method`, the method gets the id or text
    (build its lookup with partner_q)."""

    field_class = PartnerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Partner (id or name)")
        kwargs.setdefault("help_text", PARTNER_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(partner_q(value, self.field_name))


@extend_schema_field({"type": "string", "description": COUNTRY_HELP, "example": "DE"})
class CountryFilter(django_filters.CharFilter):
    """`?country=`: a country (or country group) by its code (`DE`, `de`) or its name (`Germany`, `germany`).
    `field_name` is the path from the row to its territory."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Country (name or code)")
        kwargs.setdefault("help_text", COUNTRY_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in EMPTY_VALUES:
            return qs
        text = value.strip()
        matches = Q(**{f"{self.field_name}__code__iexact": text}) | Q(**{f"{self.field_name}__name__iexact": text})
        qs = qs.filter(matches)
        return qs.distinct() if self.distinct else qs
