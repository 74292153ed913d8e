"""The demo tells the statements' story: a procedure revised with its
document, a contractor assessed and one arm's-length body not, HMRC's
signed statement for last year and this year's drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from steward import demo
from steward.controls.checks import Outcome, run_check
from steward.controls.models import Assessment, Procedure
from steward.controls.periods import year_of
from steward.controls.statement_models import Statement, StatementStatus
from steward.controls.statements.demo_data import BOARD_NOTE
from steward.organisations.access import system_access
from steward.organisations.models import Organisation


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_demo_statements_and_bodies() -> None:
    demo.load()
    year = year_of(timezone.localdate()).code
    hmrc = Statement.objects.filter(organisation__code="hmrc")
    signed = hmrc.get(status=StatementStatus.SIGNED)
    assert signed.period != year
    assert signed.signed_by.email == f"siro.hmrc@{demo.DEMO_DOMAIN}"
    assert signed.text.endswith(BOARD_NOTE)
    current = hmrc.get(period=year)
    assert current.status == StatementStatus.DRAFT
    # Drawn from HMRC's own signed-off assessment for this year.
    assert current.assessment == Assessment.objects.get(
        organisation__code="hmrc", period=year
    )
    assert "The assessment was signed off by" in current.text
    dft = Statement.objects.get(organisation__code="dft")
    assert "still in progress" in dft.text

    dwp = run_check(
        "bodies-assessed-in-period",
        access=system_access("t"),
        organisation=Organisation.objects.get(code="dwp"),
    )
    assert (dwp.outcome, dwp.applicable, dwp.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )
    assert "Child Support Agency" in dwp.links

    procedure = Procedure.objects.get(
        organisation__code="hmrc",
        title="Information risk roles and responsibilities",
    )
    assert [c.event for c in procedure.changes.order_by("pk")] == [
        "created",
        "edited",
        "document",
    ]
    assert procedure.documents.get().filename.endswith("v2.2.txt")
