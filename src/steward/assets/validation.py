"""Checking the facts recorded about an asset, and setting the columns
derived from them. Used by the services and the import's dry run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from steward.accounts.models import User
from steward.assets import derivations
from steward.assets.countries import COUNTRIES
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
from steward.assets.permissions import is_owner_for
from steward.common.errors import Invalid
from steward.organisations.models import Organisation

# The facts a person records, in the order the history shows them.
FIELDS = (
    "reference",
    "name",
    "description",
    "owner",
    "purpose",
    "legal_basis",
    "data_subjects",
    "categories",
    "individuals",
    "records",
    "public_domain",
    "marking",
    "legacy_marking",
    "encrypted_at_rest",
    "backup_medium",
    "backup_encrypted",
    "backup_location",
    "backup_country",
    "transfer_mechanism",
    "retention",
    "disposal_rule",
    "review_due",
)
_TEXT_LIMITS = {
    "reference": 60,
    "name": 200,
    "backup_location": 200,
    "retention": 200,
    "disposal_rule": 300,
}
_LOCATION_LIMITS = {"system": 200, "site": 200, "hosting_provider": 200}


_REQUIRED_TEXT = {
    "reference": "Enter the asset's reference",
    "name": "Enter the asset's name",
    "retention": "Enter how long the data is kept",
}
# field -> (allowed values, message); an empty value takes the default.
_SINGLE_CHOICES = {
    "legal_basis": (
        LegalBasis.values,
        "Choose the legal basis for processing",
    ),
    "marking": (GSC.values, "Choose a classification from the list"),
    "legacy_marking": (
        LegacyMarking.values,
        "Choose a legacy marking from the list",
    ),
    "backup_medium": (
        BackupMedium.values,
        "Choose a backup medium from the list",
    ),
    "transfer_mechanism": (
        TransferMechanism.values,
        "Choose a transfer mechanism",
    ),
}
_DEFAULTS = {"marking": GSC.OFFICIAL, "backup_medium": BackupMedium.NONE}
_MULTI_CHOICES = {
    "data_subjects": (Subject.values, "kind of data subject"),
    "categories": (Category.values, "category of data"),
}
_TEXT = ("reference", "name", "description", "purpose", "retention",
         "disposal_rule", "backup_location", "backup_country",
         "legacy_marking", "transfer_mechanism")  # fmt: skip


def _clean_text(out: dict[str, Any], errors: dict[str, str]) -> None:
    for name in _TEXT:
        out[name] = str(out.get(name) or "").strip()
    for name, limit in _TEXT_LIMITS.items():
        if len(out[name]) > limit:
            errors[name] = f"Must be {limit} characters or fewer"
    for name, message in _REQUIRED_TEXT.items():
        if not out[name]:
            errors[name] = message
    out["backup_country"] = out["backup_country"].upper()
    if out["backup_country"] and out["backup_country"] not in COUNTRIES:
        errors["backup_country"] = (
            "Enter a two-letter country code, like GB or FR"
        )


def _clean_choices(out: dict[str, Any], errors: dict[str, str]) -> None:
    for name, (allowed, message) in _SINGLE_CHOICES.items():
        out[name] = out.get(name) or _DEFAULTS.get(name, "")
        if out[name] not in allowed:
            errors[name] = message
    for name, (allowed, what) in _MULTI_CHOICES.items():
        out[name] = list(out.get(name) or [])
        if not out[name]:
            errors[name] = f"Choose at least one {what}"
        elif not set(out[name]) <= set(allowed):
            errors[name] = f"Choose each {what} from the list"


def _clean_numbers(out: dict[str, Any], errors: dict[str, str]) -> None:
    for name, what in (("individuals", "people"), ("records", "records")):
        value = out.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = f"Enter the number of {what} as a whole number"
        elif value < 0:
            errors[name] = f"The number of {what} cannot be negative"
        elif value > 10**11:
            errors[name] = f"The number of {what} is too large"


def clean_facts(
    data: dict[str, Any],
    *,
    organisation: Organisation,
    owner_checked: bool = False,
) -> dict[str, Any]:
    """Check every recorded fact; raise ``Invalid`` naming each field that
    is wrong and why. Returns the facts, tidied. ``owner_checked``: the
    caller has already checked the owner's role (the import does, for
    every row at once)."""
    errors: dict[str, str] = {}
    out = dict(data)
    _clean_text(out, errors)
    owner = out.get("owner")
    if not isinstance(owner, User):
        errors["owner"] = "Choose the Information Asset Owner"
    elif not owner_checked and not is_owner_for(owner, organisation):
        errors["owner"] = (
            "The owner must hold the Information Asset Owner role "
            f"in {organisation.name}"
        )
    _clean_choices(out, errors)
    _clean_numbers(out, errors)
    for name in ("public_domain", "encrypted_at_rest", "backup_encrypted"):
        out[name] = bool(out.get(name))
    if not isinstance(out.get("review_due"), dt.date):
        errors["review_due"] = "Enter the date of the next review"
    if errors:
        raise Invalid(errors)
    return {name: out[name] for name in FIELDS}


def clean_locations(locations: list[dict[str, str]]) -> list[dict[str, str]]:
    if not locations:
        raise Invalid({"locations": "Enter at least one system holding it"})
    out = []
    for i, loc in enumerate(locations, start=1):
        row = {k: str(loc.get(k) or "").strip() for k in _LOCATION_LIMITS}
        row["country"] = str(loc.get("country") or "").strip().upper()
        if not row["system"]:
            raise Invalid({"system": f"Location {i}: enter the system"})
        for name, limit in _LOCATION_LIMITS.items():
            if len(row[name]) > limit:
                raise Invalid(
                    {
                        name: f"Location {i}: must be {limit} characters "
                        "or fewer"
                    }
                )
        if row["country"] not in COUNTRIES:
            raise Invalid(
                {
                    "country": f"Location {i}: enter a two-letter country "
                    "code, like GB or FR"
                }
            )
        out.append(row)
    return out


def derive(asset: Asset, countries: Iterable[str]) -> derivations.Derived:
    """Every derivation for the asset's facts, held in ``countries`` (and
    its backup country)."""
    return derivations.derive(
        categories=asset.categories,
        individuals=asset.individuals,
        public_domain=asset.public_domain,
        marking=asset.marking,
        legacy_marking=asset.legacy_marking,
        encrypted_at_rest=asset.encrypted_at_rest,
        backup_medium=asset.backup_medium,
        backup_encrypted=asset.backup_encrypted,
        countries=list(countries) + [asset.backup_country],
        transfer_mechanism=asset.transfer_mechanism,
        today=timezone.localdate(),
    )


def apply_derived(asset: Asset, countries: Iterable[str]) -> None:
    """Set the derived columns from the asset's facts."""
    d = derive(asset, countries)
    asset.is_ppd = d.ppd.is_ppd
    asset.classification = d.classification.marking
    asset.offshore = d.transfer.offshore
    asset.transfer_ok = d.transfer.ok
    asset.risk = d.risk.level
