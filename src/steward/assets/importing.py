"""Reading a department's existing register from CSV or XLSX, mapping its
columns to the register's, and checking every row before anything is
written (the dry run). The commit is ``services.asset_import``.

A problem is reported by row (as numbered in the file, the header being
row 1), column (the file's own header) and reason. A file with any
problem imports nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steward import paths
from steward.accounts.models import User
from steward.assets import permissions, validation
from steward.assets.models import (
    GSC,
    Asset,
    BackupMedium,
    Category,
    Import,
    LegacyMarking,
    LegalBasis,
    Subject,
    TransferMechanism,
)
from steward.common.errors import Invalid
from steward.organisations.access import Access
from steward.organisations.models import Membership, Organisation, Role

# The register's columns, as the template names them: (field, header,
# required). Location and organisation columns are handled here, the
# rest by ``validation.clean_facts``.
COLUMNS: list[tuple[str, str, bool]] = [
    ("reference", "Reference", True),
    ("name", "Name", True),
    ("organisation", "Organisation code", False),
    ("description", "Description", False),
    ("owner", "Owner email", True),
    ("purpose", "Purpose", False),
    ("legal_basis", "Legal basis", True),
    ("data_subjects", "Data subjects", True),
    ("categories", "Categories of data", True),
    ("individuals", "Number of people", True),
    ("records", "Number of records", True),
    ("public_domain", "Public domain", False),
    ("marking", "Classification", False),
    ("legacy_marking", "Legacy marking", False),
    ("encrypted_at_rest", "Encrypted at rest", True),
    ("system", "System", True),
    ("site", "Site", False),
    ("hosting_provider", "Hosting provider", False),
    ("country", "Country", True),
    ("backup_medium", "Backup medium", False),
    ("backup_encrypted", "Backups encrypted", False),
    ("backup_location", "Backup location", False),
    ("backup_country", "Backup country", False),
    ("transfer_mechanism", "Transfer mechanism", False),
    ("retention", "Retention period", True),
    ("disposal_rule", "Disposal rule", False),
    ("review_due", "Review due", True),
]
HEADERS = {f: h for f, h, _ in COLUMNS}
_LOCATION_FIELDS = ("system", "site", "hosting_provider", "country")
# Several values in one cell (subjects, categories, locations).
SEPARATOR = ";"
MAX_ROWS = 100_000


def upload_path(token: str, suffix: str) -> Path:
    """Where an uploaded register file waits between its steps (``token``
    is random hex, ``suffix`` .csv or .xlsx)."""
    if not token.isalnum() or suffix not in (".csv", ".xlsx"):
        raise FileError("No such upload")
    folder = paths.var_dir() / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}{suffix}"


class FileError(Exception):
    """The file cannot be read as a table at all."""


def read_table(
    data: bytes, filename: str
) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], list[list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            "The file is not UTF-8 text: save it as 'CSV UTF-8' and try again"
        ) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise FileError("The file is empty")
    return [h.strip() for h in rows[0]], rows[1:]


def _read_xlsx(data: bytes) -> tuple[list[str], list[list[Any]]]:
    """The first sheet, read by calamine (Rust): openpyxl took 60 of the
    100 seconds a 50,000-row register needed (bench/assets_bench.py)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # Empty leading rows and columns kept: columns stay where the
        # header says they are.
        table = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises several kinds for a damaged file
        raise FileError("The file is not a readable XLSX workbook") from None
    if not table:
        raise FileError("The first sheet is empty")
    headers = [_text(h) for h in table[0]]
    return headers, [[_cell(v) for v in row] for row in table[1:]]


def _cell(value: Any) -> Any:
    """A cell as openpyxl gave it, so that a row's digest (how a
    re-import is recognised) is the same as before: a date cell as a
    datetime at midnight."""
    if type(value) is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Map each register column to the file's column of the same name
    (ignoring case, spaces and punctuation), or the field's own name."""

    def norm(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalnum())

    index = {norm(h): i for i, h in enumerate(headers) if h}
    return {f: index.get(norm(h), index.get(norm(f))) for f, h, _ in COLUMNS}


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)
    ready: list[
        tuple[Organisation, dict[str, Any], list[dict[str, str]], str]
    ] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0


# --- Cell parsers: each returns the value or raises ValueError(reason) ---


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError("Enter a whole number")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    s = _text(v).replace(",", "").replace(" ", "")
    if not s:
        raise ValueError("Enter a whole number")
    try:
        return int(s)
    except ValueError:
        raise ValueError(f"'{s[:20]}' is not a whole number") from None


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = _text(v).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError("Enter yes or no")


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError("Enter a date like 2027-03-31 or 31/03/2027")


def _choice(choices: list[tuple[str, str]]) -> Callable[[Any], str]:
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value

    def parse(v: Any) -> str:
        s = _text(v).lower()
        if s in lookup:
            return lookup[s]
        raise ValueError(f"'{_text(v)[:30]}' is not one of the allowed values")

    return parse


def _many(choices: list[tuple[str, str]]) -> Callable[[Any], list[str]]:
    one = _choice(choices)

    def parse(v: Any) -> list[str]:
        parts = [p for p in _text(v).split(SEPARATOR) if p.strip()]
        return [one(p.strip()) for p in parts]

    return parse


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "individuals": _int,
    "records": _int,
    "public_domain": _bool,
    "encrypted_at_rest": _bool,
    "backup_encrypted": _bool,
    "review_due": _date,
    "legal_basis": _choice(LegalBasis.choices),
    "data_subjects": _many(Subject.choices),
    "categories": _many(Category.choices),
    "marking": _choice(GSC.choices),
    "legacy_marking": _choice(LegacyMarking.choices),
    "backup_medium": _choice(BackupMedium.choices),
    "transfer_mechanism": _choice(TransferMechanism.choices),
}
_OPTIONAL_CHOICES = {"marking", "legacy_marking", "backup_medium",
                     "transfer_mechanism"}  # fmt: skip


def _row_digest(cells: dict[str, Any]) -> str:
    canonical = json.dumps(cells, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _owners_by_email(organisations: list[Organisation]) -> dict[str, set[str]]:
    """Email of each current IAO -> the paths their role is held in."""
    out: dict[str, set[str]] = {}
    paths = {o.path for o in organisations}
    for email, path in Membership.objects.filter(
        role=Role.IAO, revoked_at__isnull=True, user__is_active=True
    ).values_list("user__email", "organisation__path"):
        if any(p.startswith(path) or path.startswith(p) for p in paths):
            out.setdefault(email.lower(), set()).add(path)
    return out


def _preflight(
    access: Access,
    organisation: Organisation,
    rows: list[list[Any]],
    mapping: dict[str, int | None],
    digest: str,
) -> Problem | None:
    """A problem with the whole file, found before reading its rows."""
    missing = [
        HEADERS[f] for f, _, req in COLUMNS if req and mapping.get(f) is None
    ]
    if missing:
        return Problem(
            1, ", ".join(missing), "No column of the file is mapped to this"
        )
    if not permissions.can_register(access=access, organisation=organisation):
        return Problem(
            0, "", "Your role does not allow registering assets here"
        )
    if Import.objects.filter(
        organisation=organisation, file_digest=digest
    ).exists():
        return Problem(
            0, "", "This file has already been imported; nothing was changed"
        )
    if len(rows) > MAX_ROWS:
        return Problem(
            0, "", f"The file has more than {MAX_ROWS:,} rows; split it"
        )
    return None


class _Checker:
    """Checks rows one at a time against what the register holds."""

    def __init__(
        self,
        organisation: Organisation,
        headers: list[str],
        mapping: dict[str, int | None],
        result: Checked,
    ) -> None:
        self.organisation = organisation
        self.mapping = mapping
        self.result = result
        self.subtree = {
            o.code: o
            for o in Organisation.objects.filter(
                path__startswith=organisation.path, is_active=True
            )
        }
        self.owners = _owners_by_email(list(self.subtree.values()))
        self.users = {
            u.email.lower(): u
            for u in User.objects.filter(email__in=list(self.owners))
        }
        self.existing = {
            (code, ref): d
            for code, ref, d in Asset.objects.filter(
                organisation__in=list(self.subtree.values())
            ).values_list("organisation__code", "reference", "import_digest")
        }
        self.header_of = {
            f: (headers[i] if i is not None and i < len(headers)
                and headers[i] else HEADERS[f])
            for f, i in mapping.items()
        }  # fmt: skip
        self.seen: dict[tuple[str, str], int] = {}

    def problem(self, n: int, f: str, reason: str) -> None:
        column = self.header_of.get(f, HEADERS.get(f, f))
        self.result.problems.append(Problem(n, column, reason))

    def _parse(self, n: int, cells: dict[str, Any]) -> tuple[dict, set]:
        data: dict[str, Any] = {}
        bad = set()
        for f, _, _ in COLUMNS:
            if f in ("organisation", "owner", *_LOCATION_FIELDS):
                continue
            v = cells.get(f)
            parser = _PARSERS.get(f)
            if parser is None or (f in _OPTIONAL_CHOICES and _text(v) == ""):
                data[f] = _text(v)
                continue
            try:
                data[f] = parser(v)
            except ValueError as exc:
                self.problem(n, f, str(exc))
                bad.add(f)
        return data, bad

    def _organisation(self, n: int, cells: dict[str, Any]) -> Organisation:
        code = _text(cells.get("organisation")) or self.organisation.code
        org = self.subtree.get(code)
        if org is None:
            self.problem(
                n,
                "organisation",
                f"'{code[:40]}' is not {self.organisation.name} "
                "or an organisation under it",
            )
            return self.organisation
        return org

    def _owner(self, n: int, cells: dict[str, Any], org: Organisation):  # type: ignore[no-untyped-def]
        email = _text(cells.get("owner")).lower()
        owner = self.users.get(email)
        if not email:
            self.problem(n, "owner", "Enter the owner's email address")
        elif owner is None or not any(
            org.path.startswith(p) for p in self.owners.get(email, ())
        ):
            self.problem(
                n,
                "owner",
                "No Information Asset Owner with this email address in "
                f"{org.name}",
            )
            owner = None
        return owner

    def row(self, n: int, row: list[Any]) -> None:
        cells = {
            f: (row[i] if i is not None and i < len(row) else None)
            for f, i in self.mapping.items()
        }
        if all(_text(v) == "" for v in cells.values()):
            return  # a blank line
        before = len(self.result.problems)
        data, bad = self._parse(n, cells)
        org = self._organisation(n, cells)
        data["owner"] = self._owner(n, cells, org)
        if data["owner"] is None:
            bad.add("owner")
        locations = _locations(cells, lambda f, r: self.problem(n, f, r))
        try:
            facts = validation.clean_facts(
                data, organisation=org, owner_checked=True
            )
        except Invalid as exc:
            for f, reason in exc.errors.items():
                if f not in bad:  # one problem per cell
                    self.problem(n, f, reason)
            return
        if len(self.result.problems) != before:
            return
        self._add(n, org, facts, locations, cells)

    def _add(self, n, org, facts, locations, cells) -> None:  # type: ignore[no-untyped-def]
        key = (org.code, facts["reference"])
        if key in self.seen:
            self.problem(
                n, "reference", f"Same reference as row {self.seen[key]}"
            )
            return
        self.seen[key] = n
        digest = _row_digest(
            {f: _text(v) for f, v in cells.items() if f in HEADERS}
        )
        if key in self.existing:
            if self.existing[key] == digest:
                self.result.unchanged += 1
            else:
                self.problem(
                    n,
                    "reference",
                    "An asset with this reference is already in the register",
                )
            return
        self.result.ready.append((org, facts, locations, digest))


def check(
    *,
    access: Access,
    organisation: Organisation,
    headers: list[str],
    rows: list[list[Any]],
    mapping: dict[str, int | None],
    digest: str,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """The dry run: every problem by row and column; nothing is written."""
    result = Checked(rows=len(rows))
    whole = _preflight(access, organisation, rows, mapping, digest)
    if whole is not None:
        result.problems.append(whole)
        return result
    checker = _Checker(organisation, headers, mapping, result)
    for n, row in enumerate(rows, start=2):
        if progress is not None and n % 1000 == 0:
            progress(n - 1, len(rows))
        checker.row(n, row)
    if result.problems:
        result.ready = []
    return result


def _locations(
    cells: dict[str, Any], problem: Callable[[str, str], None]
) -> list[dict[str, str]]:
    split = {
        f: [p.strip() for p in _text(cells.get(f)).split(SEPARATOR)]
        for f in _LOCATION_FIELDS
    }
    systems = [s for s in split["system"] if s]
    if not systems:
        problem("system", "Enter the system that holds it")
        return []
    countries = [c.upper() for c in split["country"] if c]
    if len(countries) == 1:
        countries = countries * len(systems)
    if len(countries) != len(systems):
        problem(
            "country",
            f"Give one country, or one for each of the {len(systems)} systems",
        )
        return []
    out = []
    for i, system in enumerate(systems):
        loc = {"system": system, "country": countries[i]}
        for f in ("site", "hosting_provider"):
            values = split[f]
            loc[f] = values[i] if i < len(values) else ""
        out.append(loc)
    try:
        return validation.clean_locations(out)
    except Invalid as exc:
        for f, reason in exc.errors.items():
            problem(f, reason)
        return []


def rows_of_template() -> Iterator[list[str]]:
    """The template: the header and one example row."""
    yield [h for _, h, _ in COLUMNS]
    yield [
        "EX-001", "Example: payroll records", "", "Monthly pay for staff",
        "iao@example.gov.uk", "Paying staff", "Contract", "Staff",
        "Identifiers; Bank, financial or card details", "1200", "1200",
        "no", "OFFICIAL", "", "yes", "Payroll system", "Leeds data centre",
        "", "GB", "Tape", "yes", "Off-site store, Leeds", "GB", "",
        "6 years after employment ends", "Secure destruction certificate",
        "2027-03-31",
    ]  # fmt: skip
