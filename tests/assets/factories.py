"""Builders for assets in the test world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.assets import services
from steward.assets.models import Asset
from steward.organisations.access import access_for_user
from steward.organisations.models import Organisation, Role
from tests.world import MARKER, Department


def facts(dept: Department, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": "REF-1",
        "name": f"{MARKER} claimant records",
        "description": "Claims and payments",
        "owner": dept.people[Role.IAO],
        "purpose": "Paying benefits",
        "legal_basis": "public_task",
        "data_subjects": ["claimants"],
        "categories": ["identifiers", "financial"],
        "individuals": 5000,
        "records": 5000,
        "public_domain": False,
        "marking": "official",
        "legacy_marking": "",
        "encrypted_at_rest": True,
        "backup_medium": "tape",
        "backup_encrypted": True,
        "backup_location": "Off-site store",
        "backup_country": "GB",
        "transfer_mechanism": "",
        "retention": "6 years",
        "disposal_rule": "Shred",
        "review_due": dt.date.today() + dt.timedelta(days=60),
    }
    data.update(overrides)
    return data


UK_SITE = [{"system": "Claims DB", "site": "Leeds", "country": "GB"}]


def make_asset(
    dept: Department,
    organisation: Organisation | None = None,
    locations: list[dict[str, str]] | None = None,
    **overrides: Any,
) -> Asset:
    return services.asset_create(
        access=access_for_user(dept.people[Role.IAO]),
        organisation=organisation or dept.org,
        data=facts(dept, **overrides),
        locations=locations or UK_SITE,
    )
