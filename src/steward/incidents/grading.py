"""Grading an incident: likelihood × severity, as the NHS Data Security
and Protection Toolkit's *Guide to the Notification of Data Security and
Protection Incidents* sets it out (policy.md §4.3), with UK GDPR Art 33
and Art 34 for the two decisions it produces.

Confirmed rule (NHS DSPT incident-reporting webinar, slide 7,
https://slideplayer.com./slide/14510041): an incident is reportable to
the ICO when its likelihood is at least "likely" and its severity at
least "minor". Everything else here (the grid's labels, the size of each
adjustment, the "high risk" threshold for telling data subjects) is
recalled rather than confirmed, so it lives in ``Rules`` as a default
that a department can change, and the reasons say which rule applied.

Adjustments:
- special-category data (UK GDPR Art 9) raises severity by one step;
- vulnerable groups (children and others): the grid's row 2 counts any
  incident involving vulnerable groups as at least "not likely" even
  with no adverse effect, and severity is raised by one step;
- encryption that leaves the data unintelligible: the ICO's DPA 1998
  guidance saw no need to report a properly encrypted lost laptop
  (policy.md §4.2), and Art 34(3)(a) removes the duty to tell data
  subjects, so likelihood is held at "not likely" at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.incidents.models import AnnualCategory, Kind, Likelihood, Severity


@dataclass(frozen=True)
class Rules:
    # Confirmed: reportable at or above both of these.
    notify_likelihood: int = Likelihood.LIKELY
    notify_severity: int = Severity.MINOR
    # Unconfirmed defaults: "high risk" (Art 34) at or above both.
    high_risk_likelihood: int = Likelihood.LIKELY
    high_risk_severity: int = Severity.SERIOUS
    special_category_severity_step: int = 1
    vulnerable_severity_step: int = 1
    vulnerable_likelihood_floor: int = Likelihood.NOT_LIKELY
    encrypted_likelihood_cap: int = Likelihood.NOT_LIKELY


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Grade:
    likelihood: int  # after the adjustments
    severity: int
    notifiable: bool  # to the ICO, Art 33(1)
    tell_subjects: bool  # Art 34(1)
    reasons: tuple[str, ...]


def _label(choices: type, value: int) -> str:
    return f'"{choices(value).label.lower()}"'


def _adjust(
    likelihood: int,
    severity: int,
    special_category: bool,
    vulnerable: bool,
    rules: Rules,
    reasons: list[str],
) -> tuple[int, int]:
    """The special-category and vulnerable-groups adjustments."""
    top = Severity.CATASTROPHIC
    if special_category:
        raised = min(top, severity + rules.special_category_severity_step)
        if raised != severity:
            reasons.append(
                "Special-category data is involved, so severity is raised "
                f"to {_label(Severity, raised)}."
            )
        severity = raised
    if vulnerable:
        raised = min(top, severity + rules.vulnerable_severity_step)
        floor = max(likelihood, rules.vulnerable_likelihood_floor)
        if raised != severity:
            reasons.append(
                "Children or other vulnerable people are affected, so "
                f"severity is raised to {_label(Severity, raised)}."
            )
        if floor != likelihood:
            reasons.append(
                "Children or other vulnerable people are affected, so "
                f"likelihood is at least {_label(Likelihood, floor)}."
            )
        severity, likelihood = raised, floor
    return likelihood, severity


def grade(
    *,
    likelihood: int,
    severity: int,
    special_category: bool = False,
    vulnerable: bool = False,
    encrypted: bool = False,
    rules: Rules = DEFAULT_RULES,
) -> Grade:
    """The grade of one incident, with the reasons in words."""
    if likelihood not in Likelihood.values:
        raise ValueError(f"likelihood must be 1 to 5, not {likelihood!r}")
    if severity not in Severity.values:
        raise ValueError(f"severity must be 1 to 5, not {severity!r}")
    reasons = [
        f"Assessed likelihood {_label(Likelihood, likelihood)} and "
        f"severity {_label(Severity, severity)}."
    ]
    likelihood, severity = _adjust(
        likelihood, severity, special_category, vulnerable, rules, reasons
    )
    if encrypted and likelihood > rules.encrypted_likelihood_cap:
        likelihood = rules.encrypted_likelihood_cap
        reasons.append(
            "The data was encrypted so that it is unintelligible to others, "
            f"so likelihood is held at {_label(Likelihood, likelihood)}."
        )
    notifiable = (
        likelihood >= rules.notify_likelihood
        and severity >= rules.notify_severity
    )
    if notifiable:
        reasons.append(
            "Notify the ICO within 72 hours of becoming aware: the breach "
            "is at least likely to affect people and the harm at least "
            "minor (UK GDPR Art 33(1))."
        )
    elif likelihood < rules.notify_likelihood:
        reasons.append(
            "Not notifiable to the ICO: an adverse effect on people is "
            "not likely. Record it in the breach register (Art 33(5))."
        )
    else:
        reasons.append(
            "Not notifiable to the ICO: no adverse effect is expected. "
            "Record it in the breach register (Art 33(5))."
        )
    high_risk = (
        likelihood >= rules.high_risk_likelihood
        and severity >= rules.high_risk_severity
    )
    tell = high_risk and not encrypted
    if tell:
        reasons.append(
            "Tell the people affected without undue delay: the breach is "
            "likely to result in a high risk to them (Art 34(1))."
        )
    elif encrypted:
        reasons.append(
            "No need to tell the people affected: the data is "
            "unintelligible to anyone not authorised (Art 34(3)(a))."
        )
    else:
        reasons.append(
            "No need to tell the people affected: the risk to them is "
            "not high (Art 34(1))."
        )
    return Grade(
        likelihood=likelihood,
        severity=severity,
        notifiable=notifiable,
        tell_subjects=tell,
        reasons=tuple(reasons),
    )


def annual_category(*, kind: str, on_premises: bool | None) -> str:
    """The annual-accounts category (policy.md §1.7) for a kind."""
    if kind == Kind.LOST_DEVICE:
        return AnnualCategory.INSIDE if on_premises else AnnualCategory.OUTSIDE
    if kind == Kind.INSECURE_DISPOSAL:
        return AnnualCategory.DISPOSAL
    if kind in (Kind.WRONG_RECIPIENT, Kind.UNAUTHORISED_ACCESS):
        return AnnualCategory.DISCLOSURE
    return AnnualCategory.OTHER if kind else ""
