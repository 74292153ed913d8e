"""Checking an uploaded evidence file before it is kept.

Files are kept under ``MEDIA_ROOT/evidence/`` (``var/media`` by default),
named by their SHA-256 digest, never by the name they were uploaded with,
and served only through the assessment's scoped download page. Their
content is never logged or audited: the audit trail holds the digest and
size. A file must be one of the kinds below and its first bytes must say
so (a renamed executable is refused).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from steward.common.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024

_ZIP = b"PK\x03\x04"
# suffix → (content type, magic prefixes; empty means plain text)
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document",
        (_ZIP,),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (_ZIP,),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    "csv": ("text/csv", ()),
    "txt": ("text/plain", ()),
}

ACCEPT = ",".join(f".{s}" for s in KINDS)
HINT = (
    "PDF, Word (.docx), Excel (.xlsx), OpenDocument, CSV, text, PNG or JPEG; "
    f"up to {MAX_BYTES // (1024 * 1024)} MB"
)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    suffix: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def check_file(name: str, data: bytes, field: str = "file") -> CheckedFile:
    """The file, checked; Invalid saying what is wrong otherwise."""
    filename = PurePath(name or "").name[:200]
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in KINDS:
        raise Invalid({field: f"The file must be {HINT}"})
    if not data:
        raise Invalid({field: "The file is empty"})
    if len(data) > MAX_BYTES:
        raise Invalid(
            {field: f"The file must be smaller than {MAX_BYTES // 1048576} MB"}
        )
    content_type, magic = KINDS[suffix]
    if magic:
        if not any(data.startswith(m) for m in magic):
            raise Invalid({field: f"The file is not a real .{suffix} file"})
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid(
                {field: f"The .{suffix} file must be text (UTF-8)"}
            ) from None
        if b"\x00" in data:
            raise Invalid({field: f"The .{suffix} file must be text"})
    return CheckedFile(
        filename=filename,
        suffix=suffix,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
