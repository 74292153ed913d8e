"""The demo government comes with the catalogue and some procedures."""

from __future__ import annotations

import pytest

from steward import demo
from steward.controls import selectors
from steward.controls.demo_data import PROCEDURES
from steward.controls.models import FrameworkVersion, Procedure
from steward.organisations.access import system_access
from steward.organisations.models import Organisation


@pytest.mark.django_db
def test_demo_loads_catalogue_and_procedures() -> None:
    demo.load()
    assert FrameworkVersion.objects.filter(is_current=True).count() == 5
    assert Procedure.objects.count() == len(PROCEDURES)
    coverage = selectors.procedure_coverage(
        access=system_access("t"),
        organisation=Organisation.objects.get(code="hmrc"),
    )
    assert [p.title for p in coverage.overdue] == [
        "Backup tapes: handling and movement"
    ]
    assert coverage.uncovered  # some measures still lack a procedure
