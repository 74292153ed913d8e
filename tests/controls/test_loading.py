"""Loading the catalogue: idempotent, and a new version keeps the old one
readable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from steward.audit.models import AuditEvent
from steward.cli import _register, app
from steward.common.errors import Forbidden, Invalid
from steward.controls import selectors
from steward.controls.loading import catalogue_install
from steward.controls.models import FrameworkVersion, Mapping, Requirement
from steward.controls.schema import CATALOGUE_DIR, read_framework
from steward.controls.services import catalogue_load
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import Role
from tests.controls.factories import make_procedure
from tests.world import World

_register()


def _counts() -> tuple[int, int, int]:
    return (
        FrameworkVersion.objects.count(),
        Requirement.objects.count(),
        Mapping.objects.count(),
    )


@pytest.mark.django_db
def test_loads_every_framework() -> None:
    results = catalogue_install()
    assert all(r.created for r in results)
    assert _counts() == (5, 189, 53)
    assert AuditEvent.objects.filter(action="catalogue.load").count() == 5


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    catalogue_install()
    before = _counts()
    results = catalogue_install()
    assert not any(r.created for r in results)
    assert _counts() == before


def _new_version(tmp_path: Path) -> Path:
    for path in CATALOGUE_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text())
    data = yaml.safe_load((CATALOGUE_DIR / "dhp2008.yaml").read_text())
    data["framework"]["version"] = "2009-03"
    data["requirements"][1]["title"] = "Accountable roles (revised)"
    (tmp_path / "dhp2008.yaml").write_text(yaml.safe_dump(data))
    return tmp_path


@pytest.mark.django_db
def test_new_version_keeps_the_old_one_readable(
    world: World, tmp_path: Path
) -> None:
    """Upgrading adds 2009-03 as current; 2008-06 is unchanged, still
    readable, and a procedure linked before the upgrade still covers."""
    catalogue_install()
    procedure = make_procedure(world, urns=("urn:steward:dhp2008:roles",))
    catalogue_install(directory=_new_version(tmp_path))
    viewer = access_for_user(world.a.people[Role.STAFF])
    old = selectors.framework_version_get(
        access=viewer, slug="dhp2008", version="2008-06"
    )
    new = selectors.framework_version_get(access=viewer, slug="dhp2008")
    assert (old.is_current, new.version) == (False, "2009-03")
    titles = [
        r.title for r in selectors.requirement_list(access=viewer, version=old)
    ]
    assert titles[1] == "Accountable roles for information risk"
    coverage = selectors.procedure_coverage(
        access=viewer, organisation=world.a.org
    )
    assert "urn:steward:dhp2008:roles" not in {
        r.urn for r in coverage.uncovered
    }
    assert procedure.links.count() == 1


@pytest.mark.django_db
def test_refuses_changed_content_under_the_same_version(
    tmp_path: Path,
) -> None:
    catalogue_install()
    data = yaml.safe_load((CATALOGUE_DIR / "dpa1998.yaml").read_text())
    data["requirements"][0]["title"] = "Changed"
    (tmp_path / "dpa1998.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(Invalid) as caught:
        catalogue_load(
            access=system_access("t"),
            spec=read_framework(tmp_path / "dpa1998.yaml"),
        )
    assert caught.value.errors == {
        "version": "dpa1998 1998 is already loaded with different content;"
        " give the file a new version"
    }


@pytest.mark.django_db
def test_only_the_central_team_loads(world: World) -> None:
    with pytest.raises(Forbidden):
        catalogue_load(
            access=access_for_user(world.a.people[Role.SIRO]),
            spec=read_framework(CATALOGUE_DIR / "dpa1998.yaml"),
        )


@pytest.mark.django_db
def test_command_loads_and_reports() -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["controls", "load"])
    assert first.exit_code == 0, first.output
    assert "dhp2008 2008-06: loaded" in first.output
    again = runner.invoke(app, ["controls", "load", "--framework", "caf"])
    assert again.exit_code == 0
    assert again.output.strip() == "caf 3.2: already loaded"


@pytest.mark.django_db
def test_command_refuses_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "caf.yaml").write_text("framework: {}\n")
    result = CliRunner().invoke(
        app, ["controls", "load", "--directory", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert FrameworkVersion.objects.count() == 0
