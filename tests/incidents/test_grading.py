"""Grading: the NHS DSPT grid (reportable to the ICO when likelihood is
at least "likely" and severity at least "minor") and its adjustments."""

from __future__ import annotations

import pytest

from steward.incidents.grading import Rules, annual_category, grade
from steward.incidents.models import AnnualCategory, Kind

GRID = [(lk, sv) for lk in range(1, 6) for sv in range(1, 6)]


@pytest.mark.parametrize(("likelihood", "severity"), GRID)
def test_every_cell_of_the_grid(likelihood: int, severity: int) -> None:
    """Notifiable exactly in the cells at or above likely × minor."""
    result = grade(likelihood=likelihood, severity=severity)
    assert result.notifiable is (likelihood >= 3 and severity >= 2)
    assert (result.likelihood, result.severity) == (likelihood, severity)


def test_boundaries_of_the_grid() -> None:
    """Likely × minor is the lowest notifiable cell; one step down on
    either axis is not."""
    assert grade(likelihood=3, severity=2).notifiable
    assert not grade(likelihood=2, severity=2).notifiable
    assert not grade(likelihood=3, severity=1).notifiable
    assert not grade(likelihood=5, severity=1).notifiable
    assert not grade(likelihood=2, severity=5).notifiable


def test_reasons_are_in_words() -> None:
    result = grade(likelihood=3, severity=2)
    assert result.reasons == (
        'Assessed likelihood "likely" and severity "minor".',
        "Notify the ICO within 72 hours of becoming aware: the breach is "
        "at least likely to affect people and the harm at least minor "
        "(UK GDPR Art 33(1)).",
        "No need to tell the people affected: the risk to them is not "
        "high (Art 34(1)).",
    )


def test_not_notifiable_says_to_record_it() -> None:
    assert grade(likelihood=2, severity=4).reasons[-2] == (
        "Not notifiable to the ICO: an adverse effect on people is not "
        "likely. Record it in the breach register (Art 33(5))."
    )


def test_special_category_raises_severity() -> None:
    """A misdirected email likely to be read, no adverse effect expected,
    becomes notifiable when it holds health data."""
    plain = grade(likelihood=3, severity=1)
    health = grade(likelihood=3, severity=1, special_category=True)
    assert not plain.notifiable
    assert health.notifiable
    assert health.severity == 2
    assert (
        'Special-category data is involved, so severity is raised to "minor".'
        in health.reasons
    )


def test_vulnerable_groups_raise_likelihood_and_severity() -> None:
    """Row 2 of the grid: vulnerable groups even with no adverse effect."""
    result = grade(likelihood=1, severity=1, vulnerable=True)
    assert (result.likelihood, result.severity) == (2, 2)
    assert not result.notifiable


def test_encryption_holds_likelihood_down() -> None:
    """A properly encrypted laptop lost on a train: recorded, not
    notified, and nobody need be told (Art 34(3)(a))."""
    result = grade(likelihood=5, severity=4, encrypted=True)
    assert result.likelihood == 2
    assert not result.notifiable
    assert not result.tell_subjects
    assert result.reasons[-1] == (
        "No need to tell the people affected: the data is unintelligible "
        "to anyone not authorised (Art 34(3)(a))."
    )


def test_high_risk_tells_data_subjects() -> None:
    """HMRC's discs, 2007: unencrypted, lost in the post, children's and
    bank details of 25 million people."""
    result = grade(likelihood=4, severity=4, vulnerable=True)
    assert result.notifiable
    assert result.tell_subjects
    assert result.severity == 5


def test_high_risk_boundary() -> None:
    assert grade(likelihood=3, severity=4).tell_subjects
    assert not grade(likelihood=3, severity=3).tell_subjects
    assert not grade(likelihood=2, severity=5).tell_subjects


def test_severity_is_capped() -> None:
    result = grade(
        likelihood=5, severity=5, special_category=True, vulnerable=True
    )
    assert result.severity == 5


def test_rules_are_configurable() -> None:
    strict = Rules(notify_likelihood=2)
    assert grade(likelihood=2, severity=2, rules=strict).notifiable


def test_refuses_values_off_the_grid() -> None:
    with pytest.raises(ValueError, match="likelihood must be 1 to 5"):
        grade(likelihood=0, severity=2)
    with pytest.raises(ValueError, match="severity must be 1 to 5"):
        grade(likelihood=3, severity=6)


@pytest.mark.parametrize(
    ("kind", "on_premises", "category"),
    [
        (Kind.LOST_DEVICE, True, AnnualCategory.INSIDE),
        (Kind.LOST_DEVICE, False, AnnualCategory.OUTSIDE),
        (Kind.INSECURE_DISPOSAL, None, AnnualCategory.DISPOSAL),
        (Kind.WRONG_RECIPIENT, None, AnnualCategory.DISCLOSURE),
        (Kind.UNAUTHORISED_ACCESS, None, AnnualCategory.DISCLOSURE),
        (Kind.CYBER_ATTACK, None, AnnualCategory.OTHER),
        (Kind.LEFT_UNPROTECTED, None, AnnualCategory.OTHER),
        (Kind.OTHER, None, AnnualCategory.OTHER),
    ],
)
def test_every_kind_maps_to_an_annual_category(
    kind: str, on_premises: bool | None, category: str
) -> None:
    assert annual_category(kind=kind, on_premises=on_premises) == category
