"""What follows from an asset's recorded facts: one function per rule,
each with its source. Pure functions of plain values (no database), so
each is tested with the source's own cases.

Sources are those collected in ``shared/domain/policy.md``. A rule marked
*default* there was recalled or unconfirmed; such rules are read from a
Django setting (named beside them) so that a department can correct them,
and the asset page says they are defaults, not law.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from steward.assets.models import GSC, BackupMedium, Category, LegacyMarking
from steward.assets.models import Risk as RiskLevel
from steward.assets.models import TransferMechanism as Mechanism

UK = "GB"


def _setting(name: str, default: object) -> object:
    return getattr(settings, name, default)


# --- Protected personal data -------------------------------------------

# Cabinet Office, Data Handling Procedures in Government: Final Report and
# Mandatory Minimum Measures (June 2008), section III "minimum scope of
# protected personal data", as restated by govconnect.gov.uk/business/
# data-handling.php (policy.md §1.4, confirmed): limb (b) is "any source of
# information about 1,000 or more individuals" not in the public domain.
PPD_BULK_THRESHOLD = 1000

# Limb (a): an identifiable person linked to information whose release
# would put them at significant risk of harm or distress. The item lists
# below are recalled, not confirmed (policy.md §1.4): a default, settable
# as STEWARD_PPD_IDENTIFYING and STEWARD_PPD_HARMFUL.
IDENTIFYING = frozenset(
    {
        Category.IDENTIFIERS,
        Category.CONTACT,
        Category.NI_NUMBER,
        Category.PASSPORT,
        Category.GENETIC_BIOMETRIC,
    }
)
HARMFUL = frozenset(
    {
        # DPA 1998 s.2 sensitive personal data
        Category.HEALTH,
        Category.ETHNICITY,
        Category.RELIGION,
        Category.POLITICS,
        Category.TRADE_UNION,
        Category.SEX_LIFE,
        Category.CRIMINAL,
        # the measures' further items
        Category.FINANCIAL,
        Category.NI_NUMBER,
        Category.PASSPORT,
        Category.TAX_BENEFIT,
        Category.GENETIC_BIOMETRIC,
        Category.IMMIGRATION,
        Category.EMPLOYMENT,
        Category.EDUCATION,
        Category.SOCIAL_CARE,
    }
)


@dataclass(frozen=True)
class Ppd:
    is_ppd: bool
    limb: str  # "a", "b", "a+b" or ""
    reason: str


def protected_personal_data(
    *, categories: Iterable[str], individuals: int, public_domain: bool
) -> Ppd:
    """Whether an asset is protected personal data under the 2008
    definition: (a) an identifiable person linked to harmful information,
    or (b) information about 1,000 or more individuals that is not in the
    public domain."""
    cats = set(categories)
    identifying = set(_setting("STEWARD_PPD_IDENTIFYING", IDENTIFYING))
    harmful = set(_setting("STEWARD_PPD_HARMFUL", HARMFUL))
    limb_a = individuals >= 1 and bool(cats & identifying and cats & harmful)
    limb_b = (
        individuals >= PPD_BULK_THRESHOLD and bool(cats) and not public_domain
    )
    if limb_a and limb_b:
        return Ppd(
            True,
            "a+b",
            "Links people to harmful information, and holds "
            f"{PPD_BULK_THRESHOLD:,} or more people's records",
        )
    if limb_a:
        return Ppd(
            True,
            "a",
            "Links identifiable people to information "
            "whose release would put them at risk of harm",
        )
    if limb_b:
        return Ppd(
            True,
            "b",
            f"Holds information about {PPD_BULK_THRESHOLD:,} or more people "
            "that is not in the public domain",
        )
    if public_domain and individuals >= PPD_BULK_THRESHOLD:
        return Ppd(False, "", "Public-domain information only")
    return Ppd(
        False,
        "",
        f"Fewer than {PPD_BULK_THRESHOLD:,} people and no harmful "
        "information linked to them",
    )


# --- Classification and handling ---------------------------------------

# Government Security Classifications (April 2014), policy.md §3.3: three
# classifications; OFFICIAL-SENSITIVE is a caveat on OFFICIAL, ranked here
# between OFFICIAL and SECRET for "the higher of two markings".
_RANK = {
    GSC.OFFICIAL: 0,
    GSC.OFFICIAL_SENSITIVE: 1,
    GSC.SECRET: 2,
    GSC.TOP_SECRET: 3,
}

# Legacy GPMS marking -> the lowest GSC marking it maps to. There is no
# official mapping (policy.md §3.3); this is the indicative migration
# default, taking the lower bound where the source gives two, and is
# settable as STEWARD_LEGACY_MARKING_MAP.
LEGACY_DEFAULT = {
    LegacyMarking.NONE: GSC.OFFICIAL,
    LegacyMarking.UNCLASSIFIED: GSC.OFFICIAL,
    LegacyMarking.PROTECT: GSC.OFFICIAL,
    LegacyMarking.RESTRICTED: GSC.OFFICIAL,
    LegacyMarking.CONFIDENTIAL: GSC.OFFICIAL_SENSITIVE,
    LegacyMarking.SECRET: GSC.SECRET,
    LegacyMarking.TOP_SECRET: GSC.TOP_SECRET,
}

# HMG IA Standard No. 1 confidentiality impact levels by legacy marking
# (policy.md §3.2, a secondary source): PROTECT is IL2, and under the 2008
# measures PPD is handled at least as PROTECT.
LEGACY_IMPACT_LEVEL = {
    LegacyMarking.PROTECT: 2,
    LegacyMarking.RESTRICTED: 3,
    LegacyMarking.CONFIDENTIAL: 4,
    LegacyMarking.SECRET: 5,
    LegacyMarking.TOP_SECRET: 6,
}


@dataclass(frozen=True)
class Classification:
    marking: str
    consistent: bool
    note: str


def classification(*, marking: str, legacy_marking: str) -> Classification:
    """The asset's classification: the higher of the marking recorded and
    the default for its legacy marking, flagged when the two disagree
    (the MoD's "consistent impact levels and classification")."""
    mapping = _setting("STEWARD_LEGACY_MARKING_MAP", LEGACY_DEFAULT)
    floor = GSC(mapping.get(legacy_marking or "", GSC.OFFICIAL))  # type: ignore[attr-defined]
    recorded = GSC(marking)
    if _RANK[floor] > _RANK[recorded]:
        return Classification(
            floor,
            False,
            f"Recorded as {recorded.label}, but its legacy marking "
            f"{LegacyMarking(legacy_marking).label} maps to at least "
            f"{floor.label}: the owner should review it",
        )
    return Classification(recorded, True, "")


def handling(*, marking: str, is_ppd: bool, offshore: bool) -> list[str]:
    """The handling the asset requires, from its classification and
    whether it is PPD or held offshore."""
    rules = []
    if is_ppd:
        # DHR specific minimum measures 2, 5, 6 and 7 (policy.md §1.3(b)).
        rules += [
            "Handle at least as PROTECT (confidentiality impact level 2) "
            "throughout the delivery chain, suppliers included",
            "Encrypt it on removable media in transit",
            "Backups that cannot be encrypted need strong controls on "
            "movement, access and storage",
            "Dispose of paper and media under control, with a record",
        ]
    if marking == GSC.OFFICIAL_SENSITIVE:
        # GSC 2014: a handling caveat for a small subset of OFFICIAL.
        rules.append(
            "Mark it OFFICIAL-SENSITIVE and share it only with those who "
            "need to know"
        )
    if marking in (GSC.SECRET, GSC.TOP_SECRET):
        # NCSC sanitisation guidance and the NPSA destruction standard.
        rules.append(
            "SECRET and above: never reuse its media at a lower level; "
            "destroy to the NPSA Secure Destruction standard"
        )
    if offshore:
        # Government Cyber Security Policy Handbook, principle B3.
        rules.append(
            "Held outside the UK: follow the HMG offshoring policy and "
            "record the country's assessment"
        )
    if not rules:
        rules.append("OFFICIAL: the department's baseline controls apply")
    return rules


# --- Offshore and the international-transfer basis ---------------------

_EEA = {
    # EU member states
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
    "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK",
    "SI", "ES", "SE",
    # EEA EFTA states
    "IS", "LI", "NO",
}  # fmt: skip
# Countries covered by UK adequacy regulations (policy.md §8): DPA 2018
# Sch. 21 para 5 (the transitional list), the Republic of Korea (SI
# 2022/1213) and the United States (SI 2023/1028, the UK-US data bridge).
# As stored; settable as STEWARD_ADEQUATE_COUNTRIES. The Faroe Islands
# are left out: their UK status is unconfirmed.
ADEQUATE = frozenset(
    _EEA
    | {"GI", "CH", "CA", "AR", "GG", "IM", "JE", "AD", "IL", "UY", "NZ"}
    | {"JP", "KR", "US"}
)
# Partial adequacy: the regulations cover only some recipients there.
PARTIAL = {
    "CA": "recipients covered by PIPEDA",
    "JP": "recipients covered by the APPI",
    "KR": "recipients covered by PIPA",
    "US": "organisations certified to the Data Privacy Framework and its "
    "UK Extension",
}
# Legacy EU SCCs ceased to be valid for UK transfers after this date
# (policy.md §8); the IDTA and the Addendum are in force from 21 Mar 2022.
LEGACY_SCCS_END = dt.date(2024, 3, 21)


@dataclass(frozen=True)
class Transfer:
    offshore: bool
    basis: str  # "uk", "adequacy", "mechanism" or "none"
    ok: bool
    note: str


def international_transfer(
    *, countries: Iterable[str], mechanism: str, today: dt.date
) -> Transfer:
    """Whether the asset is held outside the UK and on what basis under
    UK GDPR Chapter V: adequacy regulations, or an approved mechanism."""
    abroad = sorted({c for c in countries if c and c != UK})
    if not abroad:
        return Transfer(False, "uk", True, "Held in the United Kingdom only")
    adequate = set(_setting("STEWARD_ADEQUATE_COUNTRIES", ADEQUATE))
    without = [c for c in abroad if c not in adequate]
    if not without:
        partial = [f"{c}: {PARTIAL[c]}" for c in abroad if c in PARTIAL]
        note = "Covered by UK adequacy regulations"
        if partial:
            note += " for " + "; ".join(partial)
        return Transfer(True, "adequacy", True, note)
    listed = ", ".join(without)
    if mechanism == Mechanism.LEGACY_SCCS and today > LEGACY_SCCS_END:
        return Transfer(
            True,
            "none",
            False,
            f"Legacy EU SCCs stopped covering UK transfers after 21 March "
            f"2024; {listed} needs the IDTA or the Addendum",
        )
    if mechanism:
        return Transfer(
            True,
            "mechanism",
            True,
            f"{listed} not covered by adequacy regulations; relies on "
            f"{Mechanism(mechanism).label} with a transfer risk assessment",
        )
    return Transfer(
        True,
        "none",
        False,
        f"{listed} not covered by adequacy regulations and no transfer "
        "mechanism is recorded",
    )


# --- Review -------------------------------------------------------------

# Written Ministerial Statement, 25 June 2008 (policy.md §1.3(a)): a
# quarterly assessment of information risk. A review date three months
# after the last review is Steward's default (STEWARD_REVIEW_MONTHS).
REVIEW_MONTHS = 3


def next_review(reviewed_on: dt.date) -> dt.date:
    """The next quarterly review date after a review on ``reviewed_on``."""
    months = int(_setting("STEWARD_REVIEW_MONTHS", REVIEW_MONTHS))  # type: ignore[call-overload]
    month = reviewed_on.month - 1 + months
    year = reviewed_on.year + month // 12
    month = month % 12 + 1
    for day in (reviewed_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_overdue(*, review_due: dt.date, today: dt.date) -> bool:
    """A review is overdue from the day after its due date."""
    return today > review_due


# --- Risk rating --------------------------------------------------------

# Steward's own rule, built from the 2008 measures 5 and 6 (encryption;
# strong controls on unencrypted backups) and UK GDPR Chapter V. Shown on
# the asset page as written here.
RISK_RULE = [
    "High: protected personal data that is not encrypted at rest, or "
    "whose backups are not encrypted, or that is held outside the UK "
    "without a valid transfer basis.",
    "Medium: any other protected personal data; or personal data that is "
    "not protected personal data but meets one of the high conditions.",
    "Low: everything else.",
]


@dataclass(frozen=True)
class Risk:
    level: str
    reasons: list[str]


def risk_rating(
    *,
    is_ppd: bool,
    encrypted_at_rest: bool,
    backup_medium: str,
    backup_encrypted: bool,
    transfer_ok: bool,
) -> Risk:
    """The asset's risk under ``RISK_RULE``, with the conditions met."""
    reasons = []
    if not encrypted_at_rest:
        reasons.append("Not encrypted at rest")
    if backup_medium != BackupMedium.NONE and not backup_encrypted:
        reasons.append("Backups are not encrypted")
    if not transfer_ok:
        reasons.append("Held outside the UK without a valid transfer basis")
    if is_ppd and reasons:
        return Risk(RiskLevel.HIGH, reasons)
    if is_ppd:
        return Risk(RiskLevel.MEDIUM, ["Protected personal data"])
    if reasons:
        return Risk(RiskLevel.MEDIUM, reasons)
    return Risk(RiskLevel.LOW, [])


# --- All of them, for the services --------------------------------------


@dataclass(frozen=True)
class Derived:
    ppd: Ppd
    classification: Classification
    transfer: Transfer
    risk: Risk
    handling: list[str]


def derive(
    *,
    categories: Iterable[str],
    individuals: int,
    public_domain: bool,
    marking: str,
    legacy_marking: str,
    encrypted_at_rest: bool,
    backup_medium: str,
    backup_encrypted: bool,
    countries: Iterable[str],
    transfer_mechanism: str,
    today: dt.date,
) -> Derived:
    ppd = protected_personal_data(
        categories=categories,
        individuals=individuals,
        public_domain=public_domain,
    )
    cls = classification(marking=marking, legacy_marking=legacy_marking)
    transfer = international_transfer(
        countries=countries, mechanism=transfer_mechanism, today=today
    )
    risk = risk_rating(
        is_ppd=ppd.is_ppd,
        encrypted_at_rest=encrypted_at_rest,
        backup_medium=backup_medium,
        backup_encrypted=backup_encrypted,
        transfer_ok=transfer.ok,
    )
    return Derived(
        ppd=ppd,
        classification=cls,
        transfer=transfer,
        risk=risk,
        handling=handling(
            marking=cls.marking, is_ppd=ppd.is_ppd, offshore=transfer.offshore
        ),
    )
