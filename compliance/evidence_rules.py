"""Evidence documents as pure functions: what a file is (told by its first bytes, never by its name or the
browser's word), whether it is accepted, the safe name it is shown and downloaded under, sizes in words.
No ORM, no I/O: compliance/services/records.py reads the first bytes and calls these."""

from __future__ import annotations

import math
import posixpath
import re
import unicodedata

from core.words import plural

# What an evidence file may be, told by its first bytes (never by its name or the browser's word):
# (content type, extension, test of the head). WebP is RIFF....WEBP.
EVIDENCE_TYPES = [
    ("application/pdf", ".pdf", lambda head: head.startswith(b"%PDF-")),
    ("image/png", ".png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", ".jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/gif", ".gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", ".webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
]
EVIDENCE_HEAD_BYTES = 16
EVIDENCE_KINDS = "a PDF or an image (PNG, JPEG, GIF, WebP)"
_SAME_EXTENSION = {".jpeg": ".jpg", ".jpe": ".jpg"}
MB = 1_048_576


def evidence_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first EVIDENCE_HEAD_BYTES bytes; None when not accepted."""
    return next(((ctype, ext) for ctype, ext, test in EVIDENCE_TYPES if test(head)), None)


def file_size(n: int, *, up: bool = True) -> str:
    """A size for people: 48 bytes, 3.2 KB, 14.2 MB. A file's size rounds up and a limit down (`up=False`), so
    a file over the limit never reads as the limit itself ("10.1 MB; the limit is 10 MB")."""
    if n < 1024:
        return f"{n} bytes"
    unit, name = (MB, "MB") if n >= MB else (1024, "KB")
    tenths = math.ceil(n * 10 / unit) if up else math.floor(n * 10 / unit)
    return f"{tenths / 10:g} {name}"


def evidence_shown_name(name: str) -> str:
    """The uploaded name as a message shows it: its last path part, at most 100 characters."""
    return re.split(r"[/\\]", name or "")[-1].strip()[:100] or "The file"


def evidence_problem(*, name: str, size: int, head: bytes, max_bytes: int) -> str:
    """Why an evidence file is refused ("" when it is accepted): too big, empty, or not a PDF or an image."""
    if size > max_bytes:
        return f"{name} is {file_size(size)}; the limit is {file_size(max_bytes, up=False)}."
    if size == 0:
        return f"{name} is empty."
    if evidence_type(head) is None:
        return f"{name} is not {EVIDENCE_KINDS}: its content is neither, whatever its name says."
    return ""


def evidence_count_problem(*, held: int, adding: int, max_files: int) -> str:
    """Why adding `adding` documents to a record that holds `held` is refused ("" when they fit in `max_files`)."""
    if held + adding <= max_files:
        return ""
    room = max(max_files - held, 0)
    return (
        f"A record keeps at most {plural(max_files, 'evidence document')}; this one has {held} and "
        f"{adding} {'was' if adding == 1 else 'were'} chosen. "
        + (f"Choose at most {room}, or remove some first." if room else "Remove some before adding more.")
    )


def evidence_name(name: str, extension: str) -> str:
    """A safe display and download name: the last path part of the uploaded name, letters, digits and `.-_ ()`
    only, at most 100 characters, ending in the detected type's extension (a PNG named scan.pdf is scan.png)."""
    base = unicodedata.normalize("NFKC", re.split(r"[/\\]", name or "")[-1])
    base = re.sub(r"\s+", " ", re.sub(r"[^\w.\- ()]+", "_", base)).strip(" ._")
    stem, ext = posixpath.splitext(base)
    ext = ext.lower()
    if _SAME_EXTENSION.get(ext, ext) == extension:
        extension = ext  # photo.jpeg keeps its own spelling
    elif ext not in _SAME_EXTENSION and ext not in {e for _, e, _ in EVIDENCE_TYPES}:
        stem = base  # report.v2 (not a type's extension) becomes report.v2.pdf
    return f"{stem.strip(' ._')[: 100 - len(extension)] or 'evidence'}{extension}"
