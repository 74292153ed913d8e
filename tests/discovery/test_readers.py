"""Readers: every format, every encoding, and damaged input.

Fuzzing feeds malformed bytes to each reader: the only exceptions allowed
out are ReadError subclasses, and memory stays bounded by the limits.
"""

from __future__ import annotations

import io
import resource
import zipfile

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.discovery import (
    CorruptError,
    EncryptedError,
    FileTooLargeError,
    Limits,
    ReadError,
    ZipBombError,
)
from steward.discovery._limits import Deadline
from steward.discovery._readers import (
    Budget,
    Source,
    TableSegment,
    TextSegment,
    read,
)
from steward.discovery.report import Problem
from tests.discovery.files import (
    docx_bytes,
    pdf_bytes,
    xlsx_bytes,
    zip_bomb,
    zip_bytes,
)

CSV = "name,ni_number\nJane Smith,AB123456C\nJohn Jones,JG103759A\n"


def items(name: str, data: bytes, limits: Limits | None = None
          ) -> list[object]:
    budget = Budget(limits or Limits(), Deadline(30, name))
    return list(read(Source(name, data=data), budget))


def texts(found: list[object]) -> str:
    return "\n".join(i.text for i in found if isinstance(i, TextSegment))


def table(found: list[object]) -> dict[str, list[str | None]]:
    tables = [i.table for i in found if isinstance(i, TableSegment)]
    assert len(tables) == 1
    return tables[0].to_pydict()  # type: ignore[no-any-return]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16",
                                      "utf-16-be", "cp1252", "latin-1"])
def test_csv_in_any_common_encoding(encoding: str) -> None:
    """CSV decodes by BOM, then UTF-8, then cp1252/latin-1."""
    text = CSV.replace("Jane", "Zoë") + "Café £5,AB123456D\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    columns = table(items("people.csv", data))
    assert columns["name"][0] == "Zoë Smith"
    assert columns["ni_number"] == ["AB123456C", "JG103759A", "AB123456D"]


def test_tsv_and_text() -> None:
    columns = table(items("p.tsv", CSV.replace(",", "\t").encode()))
    assert columns["ni_number"][1] == "JG103759A"
    assert "AB123456C" in texts(items("app.log", CSV.encode()))


def test_json_and_json_lines() -> None:
    """Lists of objects become tables; other values become text."""
    doc = (b'{"meta": {"owner": "x"}, "people": [{"ni": "AB123456C", '
           b'"address": {"postcode": "SW1A 1AA"}}]}')
    found = items("d.json", doc)
    assert table(found) == {"ni": ["AB123456C"],
                            "address.postcode": ["SW1A 1AA"]}
    assert "meta.owner: x" in texts(found)
    lines = b'{"ni": "AB123456C"}\n\n{"ni": "JG103759A"}\n'
    assert table(items("d.jsonl", lines))["ni"] == ["AB123456C",
                                                     "JG103759A"]


def test_xlsx_sheets_and_numbers() -> None:
    """Each sheet is a table; numbers typed as numbers keep their digits."""
    data = xlsx_bytes({"People": [["nhs"], [9434765919], ["x"]],
                       "Empty": []})
    found = items("book.xlsx", data)
    segment = [i for i in found if isinstance(i, TableSegment)][0]
    assert segment.where.sheet == "People"
    assert segment.table.to_pydict() == {"nhs": ["9434765919", "x"]}


def test_docx_pdf_and_nested_zip() -> None:
    lines = ["Patient AB123456C"]
    assert "AB123456C" in texts(items("a.docx", docx_bytes(
        lines, [["NI", "JG103759A"]])))
    assert "JG103759A" in texts(items("a.docx", docx_bytes(
        lines, [["NI", "JG103759A"]])))
    pdf = [i for i in items("a.pdf", pdf_bytes(lines))
           if isinstance(i, TextSegment)]
    assert pdf[0].where.page == 1 and "AB123456C" in pdf[0].text
    inner = zip_bytes({"b.csv": CSV.encode()})
    found = items("outer.zip", zip_bytes({"a.txt": b"AB123456C",
                                          "inner.zip": inner}))
    names = {i.where.path for i in found
             if isinstance(i, (TextSegment, TableSegment))}
    assert names == {"outer.zip!a.txt", "outer.zip!inner.zip!b.csv"}


def test_encrypted_sources_are_reported() -> None:
    """Password-protected PDFs, Office files and zip members are named."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes(["x"])))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedError, match="password-protected"):
        items("locked.pdf", out.getvalue())
    with pytest.raises(EncryptedError, match="password-protected"):
        items("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    found = items("a.zip", zip_bytes({"s.txt": b"x", "t.txt": b"AB123456C"},
                                     encrypted=("s.txt",)))
    assert [p.kind for p in found if isinstance(p, Problem)] == ["encrypted"]
    assert "AB123456C" in texts(found)


def test_zip_bomb_is_refused_with_a_clear_message() -> None:
    """A member that expands a thousand-fold is refused before reading."""
    with pytest.raises(ZipBombError, match="zip bomb.*expand"):
        items("bomb.zip", zip_bomb())


def test_archive_total_and_depth_limits() -> None:
    limits = Limits(max_expanded_bytes=1000, max_depth=2)
    with pytest.raises(ZipBombError, match="would expand to"):
        items("big.zip", zip_bytes({"a.txt": b"a" * 2000}), limits)
    deep = zip_bytes({"a.txt": b"x"})
    for level in range(3):
        deep = zip_bytes({f"l{level}.zip": deep})
    with pytest.raises(ZipBombError, match="nested more than 2 deep"):
        items("deep.zip", deep, limits)


def test_file_size_limit() -> None:
    with pytest.raises(FileTooLargeError, match="max_file_bytes"):
        items("a.txt", b"x" * 100, Limits(max_file_bytes=10))


def test_corrupt_files_raise_typed_errors() -> None:
    for name in ("a.xlsx", "a.docx", "a.pdf", "a.zip", "a.parquet",
                 "a.json"):
        with pytest.raises(CorruptError, match=name):
            items(name, b"this is not that format")


def test_binary_is_skipped() -> None:
    assert [type(i).__name__ for i in items("blob.bin", b"\0\1\2" * 10)] == [
        "Skipped"]


def _valid_samples() -> dict[str, bytes]:
    return {
        "a.csv": CSV.encode(),
        "a.xlsx": xlsx_bytes({"S": [["a", "b"], [1, "AB123456C"]]}),
        "a.docx": docx_bytes(["AB123456C"], [["x", "y"]]),
        "a.pdf": pdf_bytes(["AB123456C"]),
        "a.zip": zip_bytes({"a.csv": CSV.encode(), "b.txt": b"x"}),
    }


_SAMPLES = _valid_samples()


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(_SAMPLES)))
    data = bytearray(_SAMPLES[name])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at:at + draw(st.integers(1, 400))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
    return name, bytes(data)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=damaged())
def test_fuzzed_files_raise_only_read_errors(case: tuple[str, bytes]
                                             ) -> None:
    """Malformed CSV, XLSX, DOCX, PDF and ZIP never crash a reader, and
    memory stays within the limits."""
    name, data = case
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        items(name, data, Limits(max_expanded_bytes=50 * 1024 * 1024))
    except ReadError:
        pass
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=',"\n\r\tAB12 ;\x00é', max_size=300))
def test_fuzzed_csv_text(text: str) -> None:
    """Arbitrary delimiter soup is parsed or refused with a ReadError."""
    try:
        items("x.csv", text.encode("utf-8"))
    except ReadError:
        pass


def test_corrupt_zip_member_does_not_stop_the_archive() -> None:
    good = zip_bytes({"a.pdf": b"%PDF-1.4 broken", "b.txt": b"AB123456C"})
    found = items("a.zip", good)
    assert [p.kind for p in found if isinstance(p, Problem)] == ["corrupt"]
    assert "AB123456C" in texts(found)
    assert zipfile.is_zipfile(io.BytesIO(good))
