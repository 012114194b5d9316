"""Every notice template, rendered with `<&"` in every variable: plain text (subject, body) keeps it literally,
the HTML body escapes it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core import notices
from core.models import Event

NOTICES = Path(settings.BASE_DIR) / "templates" / "notices"
KINDS = sorted(p.name.removesuffix(".subject.txt") for p in NOTICES.glob("*.subject.txt"))
NASTY = '<&"'
ESCAPES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;")


# What Django's `date` filter reads; without them it renders "" instead of failing.
DATE_PARTS = {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "utcoffset", "timetuple"}


class Nasty(str):
    """`<&"` as any value: every attribute, key and item of it is `<&"` again, and it iterates once (not a date:
    `|date` renders it as "")."""

    def __new__(cls):
        return super().__new__(cls, NASTY)

    def __getattr__(self, name):
        if name.startswith("__") or name in DATE_PARTS:
            raise AttributeError(name)
        return Nasty()

    def __getitem__(self, key):
        return Nasty()

    def __iter__(self):
        return iter([Nasty()])

    def __len__(self):
        return 1


def _variables(template_source: str) -> set[str]:
    """The names a template reads: the first part of `{{ x.y }}`, `{% if x %}`, `{% for a in x %}`, ..."""
    names = set(re.findall(r"\{\{\s*([A-Za-z_]\w*)", template_source))
    for tag in re.findall(r"\{%\s*(?:if|elif|with|for [\w, ]+ in)\s+([^%]*)%\}", template_source):
        names |= set(re.findall(r"(?<![\w.\"'|:])([A-Za-z_]\w*)", tag))
    loop_vars = set(re.findall(r"\{%\s*for ([\w, ]+) in", template_source))
    loop_names = {n.strip() for group in loop_vars for n in group.split(",")}
    return (
        names - loop_names - {"forloop", "and", "or", "not", "in", "is", "None", "True", "False", "event", "site_url"}
    )


def test_every_notice_kind_has_its_three_templates():
    assert len(KINDS) >= 16
    for kind in KINDS:
        assert (NOTICES / f"{kind}.txt").exists() and (NOTICES / f"{kind}.html").exists(), kind


@pytest.mark.parametrize("kind", KINDS)
def test_plain_text_is_not_html_escaped_and_html_is(kind):
    sources = {ext: (NOTICES / f"{kind}{ext}").read_text() for ext in (".subject.txt", ".txt", ".html")}
    names = set().union(*(_variables(s) for s in sources.values()))
    assert names, f"{kind}: no variables found"
    subject, text, html = notices._render(kind, dict.fromkeys(names, Nasty()), Event(kind="partner.updated"))

    for label, rendered in (("subject", subject), ("text", text)):
        if _variables(sources[".subject.txt" if label == "subject" else ".txt"]):
            assert NASTY in rendered, f"{kind} {label}: {rendered!r}"
        assert not any(e in rendered for e in ESCAPES), f"{kind} {label} is HTML-escaped: {rendered!r}"
    assert NASTY not in html, f"{kind} html is not escaped"
    assert "&lt;&amp;&quot;" in html, f"{kind} html: {html!r}"
