"""What every form shares: a select's empty choice says what to choose, never Django's "---------"."""

from __future__ import annotations

from django import forms
from django.forms.utils import pretty_name

from .words import with_article

DASHES = "---------"


def name_empty_choice(name: str, field: forms.Field | None) -> None:
    """Give a select's empty choice words: "Choose a country…" instead of "---------"."""
    text = f"Choose {with_article(str(getattr(field, 'label', None) or pretty_name(name)).lower())}…"
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = text
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # a ChoiceField's choices are normalized pairs
        if choices and choices[0] == ("", DASHES):
            field.choices = [("", text), *choices[1:]]


def name_empty_choices(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        name_empty_choice(name, field)


class NamedChoicesMixin:
    """Mix into a Form: its selects' empty choices say what to choose (name_empty_choices)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        name_empty_choices(self)  # type: ignore[arg-type]
