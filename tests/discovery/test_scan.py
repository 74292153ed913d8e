"""scan_paths over files, directories and databases."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from steward.discovery import (
    FORMATS,
    Limits,
    Report,
    ScanConfigError,
    parse_rules,
    render,
    scan_paths,
    tripped,
)
from steward.discovery._readers.database import display_url
from tests.discovery.files import Corpus


def by_place(report: Report) -> dict[tuple[str, str, str], int]:
    return {(Path(f.location.path).name, f.location.column, f.entity):
            f.count for f in report.findings}


@pytest.fixture(scope="module")
def tree_report(tree: tuple[Path, list[str]]) -> Report:
    return scan_paths([tree[0]])


def test_every_format_in_the_tree_is_scanned(tree_report: Report) -> None:
    """Every supported format yields findings; nothing is unreadable."""
    assert tree_report.problems == ()
    names = {Path(f.location.path.split("!")[0]).name
             for f in tree_report.findings}
    assert names == {"notes.txt", "app.log", "people.csv",
                     "people_utf16.csv", "people.tsv", "people.json",
                     "people.jsonl", "people.parquet", "people.xlsx",
                     "letter.docx", "letter.pdf", "bundle.zip"}
    assert tree_report.sources == 12


def test_columns_are_judged_with_their_share(tree_report: Report) -> None:
    """A column where most values are NINOs is a NINO column."""
    nino = [f for f in tree_report.findings
            if f.location.path.endswith("people.csv")
            and f.location.column == "ni_number"]
    assert len(nino) == 1
    finding = nino[0]
    assert (finding.entity, finding.kind, finding.share) == (
        "UK_NINO", "column", 1.0)
    assert finding.count == finding.distinct == 60
    assert by_place(tree_report)[("people.parquet", "nhs_number",
                                  "UK_NHS")] == 60


def test_zip_members_are_named_inside_the_archive(
        tree_report: Report) -> None:
    paths = {f.location.path for f in tree_report.findings}
    assert any(p.endswith("bundle.zip!nested.zip!inner.csv") for p in paths)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_planted_value_appears_in_any_output(
        tree: tuple[Path, list[str]], tree_report: Report, fmt: str) -> None:
    """Raw values never reach a report, in any format."""
    _, planted = tree
    text = render(tree_report, fmt)
    compact = text.replace(" ", "")
    leaks = [v for v in planted if len(v.replace(" ", "")) >= 6
             and (v in text or v.replace(" ", "") in compact)]
    assert leaks == []


def test_json_and_sarif_are_well_formed(tree_report: Report) -> None:
    data = json.loads(render(tree_report, "json"))
    assert data["format"] == "steward-discovery"
    sarif = json.loads(render(tree_report, "sarif"))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert len(run["results"]) == len(tree_report.findings)
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"UK_NINO"}
    rows = list(csv.DictReader(io.StringIO(render(tree_report, "csv"))))
    assert len(rows) == len(tree_report.findings)


def test_unreadable_sources_are_reported_and_the_scan_goes_on(
        tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("NI AB 12 34 56 C")
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    report = scan_paths([tmp_path, tmp_path / "missing"])
    assert [(Path(p.path).name, p.kind) for p in report.problems] == [
        ("bad.xlsx", "corrupt"), ("missing", "unreadable")]
    assert report.total("UK_NINO") == 1


def _people_rows(n: int) -> list[tuple[int, str, str, str]]:
    corpus = Corpus(11)
    return [(i, r["first_name"], r["ni_number"], r["email"])
            for i, r in enumerate(corpus.records(n))]


def test_sqlite_tables(tmp_path: Path) -> None:
    """Each table of a SQLite database is scanned by column."""
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as db:
        db.execute("create table people (id integer primary key, "
                   "first_name text, ni text, email text)")
        db.executemany("insert into people values (?, ?, ?, ?)",
                       _people_rows(40))
        db.execute("create table empty (x text)")
    report = scan_paths([f"sqlite:///{path}"])
    assert report.problems == ()
    found = {(f.location.sheet, f.location.column, f.entity)
             for f in report.findings}
    assert ("people", "ni", "UK_NINO") in found
    assert ("people", "email", "EMAIL_ADDRESS") in found


def test_postgresql_tables(postgres_url: str) -> None:
    """Tables on a PostgreSQL server are scanned through the same URL."""
    url = postgres_url
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(sa.text(
            "create table if not exists discovery_people (id int primary "
            "key, first_name text, ni text, email text)"))
        connection.execute(sa.text("truncate discovery_people"))
        connection.execute(sa.text(
            "insert into discovery_people values (:i, :f, :n, :e)"),
            [dict(zip("ifne", row, strict=True))
             for row in _people_rows(30)])
    engine.dispose()
    report = scan_paths([url])
    assert report.problems == ()
    nino = [f for f in report.findings if f.entity == "UK_NINO"]
    assert [(f.location.sheet, f.location.column, f.count)
            for f in nino] == [("discovery_people", "ni", 30)]
    assert nino[0].location.path.startswith("postgresql")


def test_database_passwords_are_hidden() -> None:
    assert display_url("postgresql://u:s3cret@db/x") == (
        "postgresql://u:***@db/x")


def test_unusable_database_url_is_a_config_error() -> None:
    with pytest.raises(ScanConfigError, match="not a usable database URL"):
        scan_paths(["nosuchdriver://x/y"])


def test_large_csv_split_into_ranges_gives_the_same_report(
        tmp_path: Path) -> None:
    """Row ranges of a large CSV add up to the whole file's findings."""
    rows = Corpus(3).records(400)
    with (tmp_path / "big.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    whole = scan_paths([tmp_path], unit_bytes=10**9)
    split = scan_paths([tmp_path], unit_bytes=20_000)
    assert by_place(whole) == by_place(split)
    assert whole.totals == split.totals
    nhs = [f for f in split.findings if f.entity == "UK_NHS"][0]
    assert nhs.positions[:3] == (1, 2, 3)


def test_fail_on_rules() -> None:
    report = scan_paths([])
    assert tripped(parse_rules("any-ppd"), report) == []
    with pytest.raises(ScanConfigError, match="unknown entity 'NINO'"):
        parse_rules("NINO>=1")
    with pytest.raises(ScanConfigError, match="write ENTITY>=N"):
        parse_rules("UK_NINO>>1")
    rules = parse_rules("UK_NINO>=2, UK_NHS")
    assert [str(r) for r in rules] == ["UK_NINO>=2", "UK_NHS>=1"]


def test_time_and_size_limits_are_reported(tmp_path: Path) -> None:
    """A file over a limit is named in the problems; the rest is scanned."""
    (tmp_path / "slow.txt").write_text("NI AB 12 34 56 C\n" * 10)
    report = scan_paths([tmp_path], limits=Limits(seconds_per_file=0))
    assert [p.kind for p in report.problems] == ["time-limit"]
    assert "seconds_per_file" in report.problems[0].message
    report = scan_paths([tmp_path], limits=Limits(max_file_bytes=10))
    assert [p.kind for p in report.problems] == ["too-large"]


def test_parquet_row_groups_split_into_units(tmp_path: Path) -> None:
    """Row-group ranges of a large Parquet file give the whole file's
    findings, with row numbers counted across groups."""
    rows = Corpus(4).records(300)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "p.parquet",
                   row_group_size=50)
    whole = scan_paths([tmp_path], unit_bytes=10**9)
    split = scan_paths([tmp_path], unit_bytes=2_000)
    assert by_place(whole) == by_place(split)
    assert whole.totals == split.totals


def test_name_column_found_by_its_values(tmp_path: Path) -> None:
    """Without a telling header, a column of "Given Surname" values is
    still a PERSON column."""
    corpus = Corpus(8)
    lines = ["ref,who"] + [f"R{i},{corpus.faker.first_name()} "
                          f"{corpus.faker.last_name()}" for i in range(50)]
    (tmp_path / "x.csv").write_text("\n".join(lines))
    report = scan_paths([tmp_path])
    people = [f for f in report.findings if f.location.column == "who"]
    assert [(f.entity, f.kind) for f in people] == [("PERSON", "column")]
    assert people[0].share is not None and people[0].share > 0.5
