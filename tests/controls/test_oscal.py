"""OSCAL export of every shipped framework validates with
compliance-trestle's models, and importing it gives the same framework."""

from __future__ import annotations

import pytest
from trestle.oscal import catalog as trestle_catalog

from steward.controls.oscal import (
    catalog_from_framework,
    framework_from_catalog,
)
from steward.controls.schema import read_catalogue

FILES = read_catalogue()


@pytest.mark.parametrize("slug", sorted(FILES))
def test_export_validates_with_trestle(slug: str) -> None:
    data = catalog_from_framework(FILES[slug])
    parsed = trestle_catalog.Catalog.parse_obj(data["catalog"])
    assert parsed.metadata.title == FILES[slug].framework.title


@pytest.mark.parametrize("slug", sorted(FILES))
def test_reimport_gives_the_same_framework(slug: str) -> None:
    """The same header and requirements in order, and the same mappings
    (grouped by requirement in OSCAL, so their order may differ)."""
    back = framework_from_catalog(catalog_from_framework(FILES[slug]))
    assert back.framework == FILES[slug].framework
    assert back.requirements == FILES[slug].requirements
    assert set(back.mappings) == set(FILES[slug].mappings)


def test_command_exports_a_catalog() -> None:
    import json

    from typer.testing import CliRunner

    from steward.cli import _register, app

    _register()
    result = CliRunner().invoke(app, ["controls", "export", "dpa1998"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["catalog"]["metadata"]["version"] == "1998"
    missing = CliRunner().invoke(app, ["controls", "export", "nothing"])
    assert missing.exit_code == 2
