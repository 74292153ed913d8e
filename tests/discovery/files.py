"""Builders for test files of every supported format, in memory."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.discovery_corpus import Corpus  # noqa: E402

__all__ = ["Corpus", "build_tree", "docx_bytes", "pdf_bytes", "xlsx_bytes",
           "zip_bytes", "zip_bomb"]


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(
            ")", "\\)")

    stream = "BT /F1 10 Tf 40 800 Td 12 TL " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_bytes(lines: list[str], table: list[list[str]] | None = None
               ) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], encrypted: tuple[str, ...] = ()
              ) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(out.getvalue())
    for name in encrypted:
        # Set the "encrypted" flag bit in the local and central headers;
        # the flag alone marks the member as encrypted.
        encoded = name.encode()
        for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30),
                                            (b"PK\x01\x02", 8, 46)):
            at = raw.find(signature)
            while at != -1:
                if raw[at + name_at:at + name_at + len(encoded)] == encoded:
                    raw[at + flag_at] |= 0x1
                at = raw.find(signature, at + 1)
    return bytes(raw)


def zip_bomb(expanded: int = 200 * 1024 * 1024) -> bytes:
    """One member of zeros that deflates about a thousand times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def build_tree(root: Path, seed: int = 5, rows: int = 60
               ) -> tuple[list[str], dict[str, str]]:
    """A directory holding every supported format with planted values.

    Returns the raw planted values (for "never in output" checks) and a
    few named ones.
    """
    corpus = Corpus(seed)
    records = corpus.records(rows)
    doc = corpus.text_document(3000)
    planted = [doc.text[s:e] for s, e, _ in doc.spans]
    planted += [v for row in records for k, v in row.items()
                if k not in {"amount", "status", "notes"}]
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "notes.txt").write_text(doc.text, encoding="utf-8")
    (root / "app.log").write_text(
        "\n".join(f"2024-01-0{i} INFO login from {corpus.ids.ip()} user "
                  f"{records[i]['email']}" for i in range(1, 6)))
    header = list(records[0])
    csv_text = ",".join(header) + "\n" + "".join(
        ",".join(f'"{row[k]}"' for k in header) + "\n" for row in records)
    (root / "people.csv").write_text(csv_text, encoding="utf-8")
    (root / "people_utf16.csv").write_text(csv_text, encoding="utf-16")
    (root / "people.tsv").write_text(
        csv_text.replace(",", "\t").replace('"', ""), encoding="cp1252")
    (root / "people.json").write_text(json.dumps({"people": records[:20]}))
    (root / "people.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in records[20:40]))
    pq.write_table(pa.Table.from_pylist(records), root / "people.parquet")
    (root / "people.xlsx").write_bytes(xlsx_bytes(
        {"People": [header] + [list(r.values()) for r in records[:30]]}))
    lines = [f"Patient {r['first_name']} {r['surname']} NHS number "
             f"{r['nhs_number']}" for r in records[:5]]
    (root / "docs" / "letter.docx").write_bytes(docx_bytes(
        lines, [["Name", "NI number"],
                [records[6]["surname"], records[6]["ni_number"]]]))
    (root / "docs" / "letter.pdf").write_bytes(pdf_bytes(lines))
    inner = zip_bytes({"inner.csv": csv_text.encode()})
    (root / "docs" / "deep" / "bundle.zip").write_bytes(zip_bytes({
        "a/notes.txt": doc.text.encode(), "nested.zip": inner}))
    named = {"nino": records[0]["ni_number"], "nhs": records[0]["nhs_number"]}
    return planted, named
