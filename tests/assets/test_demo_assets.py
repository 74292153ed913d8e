"""The demo government's register has something true to show."""

from __future__ import annotations

import pytest

from steward import demo
from steward.assets.models import Asset, Change
from steward.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_every_department_has_assets() -> None:
    demo.load()
    for code, _ in demo.DEPARTMENTS:
        org = Organisation.objects.get(code=code)
        assert Asset.objects.filter(
            organisation__path__startswith=org.path
        ).exists(), code
    child_benefit = Asset.objects.get(reference="HMRC-CB-001")
    assert child_benefit.records == 25_000_000
    assert child_benefit.is_ppd and child_benefit.risk == "high"
    assert Asset.objects.filter(offshore=True, transfer_ok=False).exists()
    assert Asset.objects.filter(offshore=True, transfer_ok=True).exists()
    assert Asset.objects.filter(
        backup_encrypted=False, backup_medium="tape"
    ).exists()
    assert Asset.objects.filter(is_ppd=False).exists()
    actors = set(Change.objects.values_list("actor_id", flat=True))
    assert actors == {"system:demo-loader"}
