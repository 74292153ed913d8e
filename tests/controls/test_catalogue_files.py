"""The catalogue's data files validate, their URNs are unique and stable,
and every mapping points at a requirement that exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from steward.controls.schema import (
    CATALOGUE_DIR,
    CatalogueError,
    read_catalogue,
    read_framework,
)

# URNs that other records point at: renaming one breaks them, so this list
# only grows.
PINNED = [
    "urn:steward:dhp2008:roles",
    "urn:steward:dhp2008:quarterly-risk-assessment",
    "urn:steward:dhp2008:training",
    "urn:steward:dhp2008:privacy-impact-assessment",
    "urn:steward:dhp2008:statement-on-internal-control",
    "urn:steward:dhp2008:ppd-inventory",
    "urn:steward:dhp2008:removable-media",
    "urn:steward:dhp2008:unencrypted-media",
    "urn:steward:dhp2008:disposal",
    "urn:steward:dhp2008:offshoring",
    "urn:steward:ukgdpr:art5-1-f",
    "urn:steward:ukgdpr:art32",
    "urn:steward:dpa1998:principle-8",
    "urn:steward:caf:b3",
    "urn:steward:caf:b3.d",
    "urn:steward:iso27001:a.7.10",
]


def test_every_file_validates() -> None:
    """Each shipped framework file reads without error."""
    files = read_catalogue()
    assert sorted(files) == ["caf", "dhp2008", "dpa1998", "iso27001", "ukgdpr"]


def test_urns_are_unique_across_the_catalogue() -> None:
    urns = [r.urn for f in read_catalogue().values() for r in f.requirements]
    assert len(urns) == len(set(urns))


def test_pinned_urns_still_exist() -> None:
    """A requirement's URN never changes once shipped."""
    urns = {r.urn for f in read_catalogue().values() for r in f.requirements}
    assert [u for u in PINNED if u not in urns] == []


def test_shapes_match_the_sources() -> None:
    """CAF v3.2: 4 objectives, 14 principles, 39 outcomes; ISO/IEC
    27001:2022 Annex A: 93 controls; DPA 1998: eight principles; the 2008
    measures include the process measures."""
    files = read_catalogue()

    def kinds(slug: str, kind: str) -> int:
        return sum(1 for r in files[slug].requirements if r.kind == kind)

    assert (
        kinds("caf", "objective"),
        kinds("caf", "principle"),
        kinds("caf", "outcome"),
    ) == (4, 14, 39)
    assert kinds("iso27001", "control") == 93
    assert kinds("dpa1998", "principle") == 8
    assert kinds("ukgdpr", "principle") == 7
    measures = {r.urn for r in files["dhp2008"].requirements if r.mandatory}
    assert {
        "urn:steward:dhp2008:roles",
        "urn:steward:dhp2008:quarterly-risk-assessment",
        "urn:steward:dhp2008:training",
        "urn:steward:dhp2008:privacy-impact-assessment",
        "urn:steward:dhp2008:statement-on-internal-control",
    } <= measures


def test_every_requirement_records_its_source() -> None:
    for f in read_catalogue().values():
        assert all(r.source.strip() for r in f.requirements)


def test_iso_holds_no_control_text() -> None:
    """ISO text is copyright: only identifiers and short titles."""
    controls = [
        r
        for r in read_catalogue()["iso27001"].requirements
        if r.kind == "control"
    ]
    assert all(r.text == "" for r in controls)


def test_removable_media_maps_to_iso_and_caf() -> None:
    dhp = read_catalogue()["dhp2008"]
    targets = {
        m.target
        for m in dhp.mappings
        if m.source == "urn:steward:dhp2008:removable-media"
    }
    assert {"urn:steward:iso27001:a.7.10", "urn:steward:caf:b3"} <= targets


def _write(tmp_path: Path, name: str, data: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def _minimal(**extra: object) -> dict:  # type: ignore[type-arg]
    data = yaml.safe_load((CATALOGUE_DIR / "dpa1998.yaml").read_text())
    data.update(extra)
    return data


def test_rejects_a_mapping_to_a_missing_requirement(tmp_path: Path) -> None:
    data = _minimal(
        mappings=[
            {
                "source": "urn:steward:dpa1998:principle-7",
                "target": "urn:steward:iso27001:a.99.1",
            }
        ]
    )
    _write(tmp_path, "dpa1998.yaml", data)
    with pytest.raises(CatalogueError, match="a.99.1 does not exist"):
        read_catalogue(tmp_path)


def test_rejects_a_duplicate_urn(tmp_path: Path) -> None:
    data = _minimal()
    data["requirements"].append(dict(data["requirements"][0]))
    path = _write(tmp_path, "dpa1998.yaml", data)
    with pytest.raises(CatalogueError, match="appears twice"):
        read_framework(path)


def test_rejects_a_urn_of_another_framework(tmp_path: Path) -> None:
    data = _minimal()
    data["requirements"][0]["urn"] = "urn:steward:caf:principle-1"
    path = _write(tmp_path, "dpa1998.yaml", data)
    with pytest.raises(CatalogueError, match="not in framework 'dpa1998'"):
        read_framework(path)


def test_rejects_an_unknown_field(tmp_path: Path) -> None:
    data = _minimal()
    data["requirements"][0]["colour"] = "red"
    path = _write(tmp_path, "dpa1998.yaml", data)
    with pytest.raises(CatalogueError, match="colour"):
        read_framework(path)


def test_file_name_must_match_the_slug(tmp_path: Path) -> None:
    _write(tmp_path, "other.yaml", _minimal())
    with pytest.raises(CatalogueError, match="name it dpa1998.yaml"):
        read_catalogue(tmp_path)
