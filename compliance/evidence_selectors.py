"""Reads of evidence documents, scoped to the asking user, and the download they answer with."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from .models import EvidenceFile

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import QuerySet

    from partners import access
    from partners.models import Partner

    _M = TypeVar("_M", bound=models.Model)


def evidence_files(*, user: access.Actor) -> QuerySet[EvidenceFile]:
    """The evidence documents of the records `user` may see."""
    return EvidenceFile.objects.visible_to(user).select_related("uploaded_by", *EvidenceFile.RECORD_FIELDS.values())


def evidence_get(*, user: access.Actor, pk: int) -> EvidenceFile:
    """An evidence document whose record `user` may see (another partner's is a 404)."""
    return get_object_or_404(evidence_files(user=user), pk=pk)


def evidence_response(evidence: EvidenceFile) -> FileResponse:
    """The document as a download: its detected type, never rendered by the browser (404 if the file is gone)."""
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The evidence file is no longer available.") from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A record's evidence documents, with who uploaded each: one query for a whole list of records.
_EVIDENCE = Prefetch("evidence", queryset=EvidenceFile.objects.select_related("uploaded_by"))


def partner_records(model: type[_M], user: access.Actor, partner: Partner | None) -> QuerySet[_M]:
    """The Hybrid IT services, support agreements or capabilities (`model`) `user` may see, of one partner or all,
    each with its evidence documents."""
    qs = model.objects.visible_to(user)  # type: ignore[attr-defined]
    qs = qs.select_related("territory", "partner", "verified_by").prefetch_related(_EVIDENCE)
    return qs.filter(partner=partner) if partner is not None else qs
