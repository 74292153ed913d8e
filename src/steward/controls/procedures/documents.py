"""Keeping a procedure's document file.

The file is checked by ``steward.controls.evidence.check_file`` (kind,
first bytes, size) before it reaches here, and stored under
``MEDIA_ROOT/procedures/<procedure>/`` named by its SHA-256 digest, never
by the name it was uploaded with. It is served only through the scoped
download page. Its content is never logged or audited: the history and
the audit trail hold its name, size and digest.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from steward.controls.evidence import CheckedFile
from steward.controls.models import Procedure
from steward.controls.procedure_models import ProcedureDocument
from steward.organisations.access import Access


def store(
    procedure: Procedure, checked: CheckedFile, *, access: Access
) -> ProcedureDocument:
    document = ProcedureDocument(
        procedure=procedure,
        filename=checked.filename,
        suffix=checked.suffix,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by_id=access.user_id,
        uploaded_at=timezone.now(),
    )
    document.file.save(checked.filename, ContentFile(checked.data), save=False)
    document.save()
    return document
