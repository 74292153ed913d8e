"""Each derivation, tested with its source's own definitions and
thresholds (``shared/domain/policy.md``), boundaries included."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.assets import derivations as d

TODAY = dt.date(2026, 11, 24)


# --- Protected personal data (DHR 2008, minimum scope) --------------------


@pytest.mark.parametrize(
    ("individuals", "expected"),
    [(0, False), (1, False), (999, False), (1000, True), (1001, True)],
)
def test_bulk_limb_starts_at_1000_individuals(
    individuals: int, expected: bool
) -> None:
    """Limb (b): 'any source of information about 1,000 or more
    individuals' not in the public domain, even if harmless."""
    result = d.protected_personal_data(
        categories=["identifiers", "contact"],
        individuals=individuals,
        public_domain=False,
    )
    assert result.is_ppd is expected
    assert result.limb == ("b" if expected else "")


def test_public_domain_information_is_not_bulk_ppd() -> None:
    """The 1,000 rule excludes information already in the public domain."""
    result = d.protected_personal_data(
        categories=["identifiers"], individuals=2_000_000, public_domain=True
    )
    assert result == d.Ppd(False, "", "Public-domain information only")


@pytest.mark.parametrize(
    "harmful",
    ["health", "criminal", "financial", "ni_number", "tax_benefit",
     "immigration", "social_care", "education", "genetic_biometric"],
)  # fmt: skip
def test_one_person_linked_to_harmful_information_is_ppd(harmful: str) -> None:
    """Limb (a): one identifiable person linked to information whose
    release would put them at significant risk of harm or distress."""
    result = d.protected_personal_data(
        categories=["identifiers", harmful], individuals=1, public_domain=False
    )
    assert result.is_ppd
    assert result.limb == "a"


def test_harmful_information_without_an_identifier_is_not_limb_a() -> None:
    result = d.protected_personal_data(
        categories=["health"], individuals=999, public_domain=False
    )
    assert not result.is_ppd


def test_both_limbs() -> None:
    """HMRC's child benefit data: 25 million people, bank details."""
    result = d.protected_personal_data(
        categories=["identifiers", "ni_number", "financial"],
        individuals=25_000_000,
        public_domain=False,
    )
    assert result.is_ppd and result.limb == "a+b"


def test_limb_a_holds_even_for_public_domain_data() -> None:
    result = d.protected_personal_data(
        categories=["identifiers", "criminal"],
        individuals=10,
        public_domain=True,
    )
    assert result.is_ppd and result.limb == "a"


# --- Classification and handling (GSC 2014; legacy markings) --------------


def test_recorded_classification_stands_when_consistent() -> None:
    result = d.classification(marking="secret", legacy_marking="protect")
    assert result == d.Classification("secret", True, "")


def test_legacy_confidential_raises_official_to_official_sensitive() -> None:
    """A legacy CONFIDENTIAL asset recorded as plain OFFICIAL is flagged
    for review: CONFIDENTIAL maps to OFFICIAL-SENSITIVE or SECRET."""
    result = d.classification(
        marking="official", legacy_marking="confidential"
    )
    assert result.marking == "official_sensitive"
    assert not result.consistent
    assert "owner should review" in result.note


@pytest.mark.parametrize(
    ("legacy", "floor"),
    [("", "official"), ("unclassified", "official"),
     ("protect", "official"), ("restricted", "official"),
     ("confidential", "official_sensitive"), ("secret", "secret"),
     ("top_secret", "top_secret")],
)  # fmt: skip
def test_legacy_marking_floor(legacy: str, floor: str) -> None:
    assert (
        d.classification(marking="official", legacy_marking=legacy).marking
        == floor
    )


def test_ppd_is_handled_at_least_as_protect() -> None:
    """DHR measure 2: PPD is handled at least as PROTECT (IL2), and
    measures 5-7 follow."""
    rules = d.handling(marking="official", is_ppd=True, offshore=False)
    assert rules[0].startswith("Handle at least as PROTECT")
    assert any("removable media" in r for r in rules)
    assert any("Backups that cannot be encrypted" in r for r in rules)


def test_official_sensitive_and_secret_handling() -> None:
    assert any(
        "need to know" in r
        for r in d.handling(
            marking="official_sensitive", is_ppd=False, offshore=False
        )
    )
    assert any(
        "NPSA" in r
        for r in d.handling(marking="secret", is_ppd=False, offshore=False)
    )
    assert d.handling(marking="official", is_ppd=False, offshore=False) == [
        "OFFICIAL: the department's baseline controls apply"
    ]


# --- Offshore and the transfer basis (UK GDPR Chapter V) ------------------


def test_uk_only_is_not_offshore() -> None:
    t = d.international_transfer(
        countries=["GB", ""], mechanism="", today=TODAY
    )
    assert t == d.Transfer(
        False, "uk", True, "Held in the United Kingdom only"
    )


@pytest.mark.parametrize("country", ["FR", "IE", "NO", "JE", "GI", "NZ", "KR"])
def test_adequacy_country_is_offshore_but_covered(country: str) -> None:
    t = d.international_transfer(
        countries=["GB", country], mechanism="", today=TODAY
    )
    assert (t.offshore, t.basis, t.ok) == (True, "adequacy", True)


def test_partial_adequacy_is_named() -> None:
    """The UK-US data bridge covers only DPF organisations with the UK
    Extension (SI 2023/1028)."""
    t = d.international_transfer(countries=["US"], mechanism="", today=TODAY)
    assert t.ok and "Data Privacy Framework" in t.note


@pytest.mark.parametrize("country", ["IN", "CN", "PH", "ZA", "FO"])
def test_other_country_needs_a_mechanism(country: str) -> None:
    t = d.international_transfer(
        countries=[country], mechanism="", today=TODAY
    )
    assert (t.offshore, t.basis, t.ok) == (True, "none", False)
    t = d.international_transfer(
        countries=[country], mechanism="idta", today=TODAY
    )
    assert (t.offshore, t.basis, t.ok) == (True, "mechanism", True)


def test_legacy_sccs_stopped_after_21_march_2024() -> None:
    on = d.international_transfer(
        countries=["IN"], mechanism="legacy_sccs", today=dt.date(2024, 3, 21)
    )
    after = d.international_transfer(
        countries=["IN"], mechanism="legacy_sccs", today=dt.date(2024, 3, 22)
    )
    assert on.ok and not after.ok


def test_one_country_without_basis_spoils_the_rest() -> None:
    t = d.international_transfer(
        countries=["FR", "IN"], mechanism="", today=TODAY
    )
    assert not t.ok and "IN" in t.note and "FR" not in t.note


# --- Review (quarterly, WMS 25 June 2008) ---------------------------------


def test_review_is_overdue_from_the_day_after() -> None:
    due = dt.date(2026, 3, 31)
    assert not d.review_overdue(review_due=due, today=due)
    assert d.review_overdue(review_due=due, today=due + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("reviewed", "due"),
    [(dt.date(2026, 1, 15), dt.date(2026, 4, 15)),
     (dt.date(2026, 11, 30), dt.date(2027, 2, 28)),
     (dt.date(2027, 11, 30), dt.date(2028, 2, 29))],
)  # fmt: skip
def test_next_review_is_a_quarter_later(
    reviewed: dt.date, due: dt.date
) -> None:
    assert d.next_review(reviewed) == due


# --- Risk rating ----------------------------------------------------------


def _risk(**kw: object) -> d.Risk:
    base = {
        "is_ppd": True,
        "encrypted_at_rest": True,
        "backup_medium": "tape",
        "backup_encrypted": True,
        "transfer_ok": True,
    }
    return d.risk_rating(**(base | kw))  # type: ignore[arg-type]


def test_risk_rule() -> None:
    assert _risk().level == "medium"
    assert _risk(encrypted_at_rest=False).level == "high"
    assert _risk(backup_encrypted=False).level == "high"
    assert (
        _risk(backup_medium="none", backup_encrypted=False).level == "medium"
    )
    assert _risk(transfer_ok=False).reasons == [
        "Held outside the UK without a valid transfer basis"
    ]
    assert _risk(is_ppd=False).level == "low"
    assert _risk(is_ppd=False, encrypted_at_rest=False).level == "medium"


def test_risk_rule_is_written_for_the_page() -> None:
    assert [line.split(":")[0] for line in d.RISK_RULE] == [
        "High",
        "Medium",
        "Low",
    ]


def test_unconfirmed_lists_are_settings(settings) -> None:  # type: ignore[no-untyped-def]
    """A department can correct a default list without a code change."""
    settings.STEWARD_ADEQUATE_COUNTRIES = {"FO"}
    t = d.international_transfer(countries=["FO"], mechanism="", today=TODAY)
    assert t.ok
