"""The register as CSV or XLSX: what the viewer can see, with the same
columns as the import template (so an export can be edited and imported
elsewhere) followed by the derived columns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from steward.assets import derivations
from steward.assets.importing import COLUMNS, SEPARATOR
from steward.assets.models import (
    GSC,
    Asset,
    BackupMedium,
    Category,
    LegacyMarking,
    LegalBasis,
    Subject,
    TransferMechanism,
)

DERIVED_HEADERS = [
    "Status",
    "Protected personal data",
    "Derived classification",
    "Held offshore",
    "Transfer basis valid",
    "Risk",
    "Review overdue",
]
_LABELS: dict[str, dict[str, str]] = {
    "legal_basis": dict(LegalBasis.choices),
    "marking": dict(GSC.choices),
    "legacy_marking": dict(LegacyMarking.choices),
    "backup_medium": dict(BackupMedium.choices),
    "transfer_mechanism": dict(TransferMechanism.choices),
}


def headers() -> list[str]:
    return [h for _, h, _ in COLUMNS] + DERIVED_HEADERS


def _yes(v: bool) -> str:
    return "yes" if v else "no"


def _row(asset: Asset, today: Any) -> list[Any]:
    locs = list(asset.locations.all())
    values: dict[str, Any] = {
        "organisation": asset.organisation.code,
        "owner": asset.owner.email,
        "data_subjects": f"{SEPARATOR} ".join(
            Subject(s).label for s in asset.data_subjects
        ),
        "categories": f"{SEPARATOR} ".join(
            Category(c).label for c in asset.categories
        ),
        "system": f"{SEPARATOR} ".join(x.system for x in locs),
        "site": f"{SEPARATOR} ".join(x.site for x in locs),
        "hosting_provider": f"{SEPARATOR} ".join(
            x.hosting_provider for x in locs
        ),
        "country": f"{SEPARATOR} ".join(x.country for x in locs),
        "review_due": asset.review_due.isoformat(),
    }
    out = []
    for field, _, _ in COLUMNS:
        if field in values:
            out.append(values[field])
            continue
        v = getattr(asset, field)
        if field in _LABELS:
            v = _LABELS[field].get(v, v) if v else ""
        elif isinstance(v, bool):
            v = _yes(v)
        out.append(v)
    out += [
        asset.get_status_display(),
        _yes(asset.is_ppd),
        asset.get_classification_display(),
        _yes(asset.offshore),
        _yes(asset.transfer_ok),
        asset.get_risk_display(),
        _yes(
            asset.is_active
            and derivations.review_overdue(
                review_due=asset.review_due, today=today
            )
        ),
    ]
    return out


def rows(qs: QuerySet[Asset]) -> Iterator[list[Any]]:
    today = timezone.localdate()
    yield headers()
    for asset in qs.prefetch_related("locations").iterator(chunk_size=2000):
        yield _row(asset, today)
