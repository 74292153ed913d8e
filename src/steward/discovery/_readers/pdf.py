"""PDF text, page by page, through pypdf."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pypdf
from pypdf.errors import FileNotDecryptedError

from steward.discovery._errors import (
    CorruptError,
    EncryptedError,
    reason,
)
from steward.discovery._readers._load import load_bytes
from steward.discovery._readers._segments import Budget, Source, TextSegment
from steward.discovery.report import Location

# pypdf logs damaged objects with excerpts of their bytes, which may hold
# the very values a scan must not print; errors are reported instead.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def read_pdf(source: Source, budget: Budget) -> Iterator[TextSegment]:
    data = load_bytes(source, budget)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedError(
                f"{source.name}: the PDF is password-protected",
                path=source.name)
        pages = list(reader.pages)
    except EncryptedError:
        raise
    except FileNotDecryptedError as error:
        raise EncryptedError(f"{source.name}: the PDF is password-"
                             "protected", path=source.name) from error
    except Exception as error:
        # pypdf raises PdfReadError and a long tail of built-in errors
        # (ValueError, KeyError, struct.error, ...) on damaged files.
        raise CorruptError(f"{source.name}: not a readable PDF "
                           f"({reason(error)})",
                           path=source.name) from error
    for number, page in enumerate(pages, start=1):
        budget.deadline.check()
        try:
            text = page.extract_text() or ""
        except Exception as error:  # see above
            raise CorruptError(f"{source.name}: page {number} is not "
                               f"readable ({reason(error)})",
                               path=source.name) from error
        if text.strip():
            yield TextSegment(text, Location(source.name, page=number))
