"""steward scan: output, formats and exit codes for a copy-out gate."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli import app
from steward.cli import commands as _registered  # noqa: F401

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(
        "NI AB 12 34 56 C and JG 10 37 59 A; NHS number 943 476 5919")
    return tmp_path


def test_clean_folder_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("nothing personal here")
    result = runner.invoke(app, ["scan", str(tmp_path), "--quiet",
                                 "--fail-on", "any-ppd"])
    assert result.exit_code == 0, result.output
    assert "Personal data found" in result.stdout


def test_rule_that_holds_exits_one(folder: Path) -> None:
    result = runner.invoke(app, ["scan", str(folder), "--quiet",
                                 "--format", "json", "--fail-on",
                                 "UK_NINO>=2"])
    assert result.exit_code == 1
    assert "--fail-on UK_NINO>=2 holds" in result.stderr
    data = json.loads(result.stdout)
    assert {t["entity"]: t["count"] for t in data["totals"]} == {
        "UK_NINO": 2, "UK_NHS": 1}


def test_rule_that_does_not_hold_exits_zero(folder: Path) -> None:
    result = runner.invoke(app, ["scan", str(folder), "--quiet",
                                 "--format", "csv", "--fail-on",
                                 "UK_NINO>=1000"])
    assert result.exit_code == 0
    assert result.stdout.startswith("entity,path")


def test_output_file_and_sarif(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = runner.invoke(app, ["scan", str(folder), "--quiet",
                                 "--format", "sarif", "--output", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert "AB 12 34 56 C" not in out.read_text()


def test_usage_errors_exit_two(folder: Path) -> None:
    bad_rule = runner.invoke(app, ["scan", str(folder), "--quiet",
                                   "--fail-on", "NINO>1"])
    assert bad_rule.exit_code == 2
    assert "unknown entity 'NINO'" in bad_rule.output
    bad_format = runner.invoke(app, ["scan", str(folder), "--format", "xml"])
    assert bad_format.exit_code == 2
    assert "is not one of table, json, csv, sarif" in bad_format.output


def test_read_errors_exit_two(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    result = runner.invoke(app, ["scan", str(tmp_path), "--quiet"])
    assert result.exit_code == 2
    assert "not scanned" in result.output and "broken.pdf" in result.output


def test_progress_goes_to_stderr(folder: Path) -> None:
    """With the bar on, standard output still holds only the report."""
    result = runner.invoke(app, ["scan", str(folder), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sources"] == 1


@pytest.mark.slow
def test_local_dask_cluster_from_the_command_line(folder: Path) -> None:
    """--cluster local starts a two-worker Dask cluster for the scan."""
    result = runner.invoke(app, ["scan", str(folder), "--quiet",
                                 "--format", "json", "--cluster", "local",
                                 "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    totals = {t["entity"]: t["count"]
              for t in json.loads(result.stdout)["totals"]}
    assert totals == {"UK_NINO": 2, "UK_NHS": 1}


def test_table_names_in_brackets_survive_the_table_format(
        tmp_path: Path) -> None:
    """Sheet and table names print as written, not as Rich markup."""
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as db:
        db.execute("create table people (ni text)")
        db.executemany("insert into people values (?)",
                       [("AB123456C",), ("JG103759A",)])
    result = runner.invoke(app, ["scan", f"sqlite:///{path}", "--quiet"])
    assert result.exit_code == 0
    assert "[people] column ni" in result.stdout
