"""A synthetic corpus of UK personal data with exact spans, from a seed.

Faker's ``en_GB`` locale supplies prose, names, e-mail and street details;
identifiers are made here so that each is valid by its own rule (Faker's
``ssn()`` gives unissued ``ZZ`` numbers, kept only as decoys). The same seed
always gives the same corpus.

Usable as a library (``text_document``, ``records``, ``write_corpus``) and
as a script: ``python bench/discovery_corpus.py OUT_DIR [--seed N]
[--text-mb N] [--rows N]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from stdnum import iban, luhn
from stdnum.gb import utr

_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_NINO_ADMIN = {"OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ"}
_PLATE = "ABCDEFGHJKLMNOPRSTUVWXY"
_PLATE_RANDOM = "ABCDEFGHJKLMNOPRSTUVWXYZ"


@dataclass
class Document:
    """Text and the exact ``(start, end, entity)`` spans planted in it."""

    text: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, chunk: str, entity: str | None = None) -> None:
        if entity:
            self.spans.append((len(self.text), len(self.text) + len(chunk),
                               entity))
        self.text += chunk


class Identifiers:
    """Valid UK identifiers from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def nino(self) -> str:
        while True:
            prefix = self.rng.choice(_NINO_FIRST) + self.rng.choice(
                _NINO_SECOND)
            if prefix not in _NINO_BANNED | _NINO_ADMIN:
                break
        body = self.digits(6)
        suffix = self.rng.choice("ABCD")
        if self.rng.random() < 0.5:
            return f"{prefix}{body}{suffix}"
        return f"{prefix} {body[:2]} {body[2:4]} {body[4:]} {suffix}"

    def nhs(self) -> str:
        while True:
            first = self.rng.choice("4567")
            body = first + self.digits(8)
            total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1),
                                                    strict=True))
            check = (11 - total % 11) % 11
            if check != 10:
                break
        number = body + str(check)
        if self.rng.random() < 0.6:
            return f"{number[:3]} {number[3:6]} {number[6:]}"
        return number

    def card(self) -> str:
        prefix = self.rng.choice(["4", "51", "52", "53", "54", "55"])
        body = prefix + self.digits(15 - len(prefix))
        number = body + luhn.calc_check_digit(body)
        if self.rng.random() < 0.7:
            return " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        bank = "".join(self.rng.choice(string.ascii_uppercase)
                       for _ in range(4))
        bban = bank + self.digits(14)
        check = iban.calc_check_digits("GB00" + bban)
        number = "GB" + check + bban
        if self.rng.random() < 0.5:
            return " ".join(number[i:i + 4] for i in range(0, 22, 4))
        return number

    def sort_code(self) -> str:
        d = self.digits(6)
        return f"{d[:2]}-{d[2:4]}-{d[4:]}"

    def account(self) -> str:
        return self.digits(8)

    def utr(self) -> str:
        rest = self.digits(9)
        return utr.calc_check_digit(rest) + rest

    def passport(self) -> str:
        # Older books: nine digits; current ones: two letters, seven digits.
        if self.rng.random() < 0.5:
            return self.digits(9)
        letters = "".join(self.rng.choice(string.ascii_uppercase)
                          for _ in range(2))
        return letters + self.digits(7)

    def driving_licence(self, surname: str, born: datetime.date) -> str:
        letters = "".join(c for c in surname.upper() if c.isalpha())[:5]
        month = born.month + (50 if self.rng.random() < 0.5 else 0)
        initials = self.rng.choice(string.ascii_uppercase) + "9"
        return (f"{letters:9<5}{str(born.year)[2]}{month:02d}{born.day:02d}"
                f"{str(born.year)[3]}{initials}9"
                f"{self.rng.choice(string.ascii_uppercase)}"
                f"{self.rng.choice(string.ascii_uppercase)}")

    def plate(self) -> str:
        age = self.rng.choice([f"{n:02d}" for n in [*range(2, 26),
                                                   *range(51, 76)]])
        return (self.rng.choice(_PLATE) + self.rng.choice(_PLATE) + age
                + " " + "".join(self.rng.choice(_PLATE_RANDOM)
                                for _ in range(3)))

    def phone(self) -> str:
        # Ofcom's ranges reserved for drama: never a real subscriber.
        form = self.rng.choice([
            lambda: f"020 7946 0{self.digits(3)}",
            lambda: f"0113 496 0{self.digits(3)}",
            lambda: f"07700 900{self.digits(3)}",
            lambda: f"+44 7700 900{self.digits(3)}",
            lambda: f"01632 960{self.digits(3)}",
            lambda: f"(0161) 496 0{self.digits(3)}",
        ])
        return form()

    def ip(self) -> str:
        return ".".join(str(self.rng.randint(1, 254)) for _ in range(4))

    def birth_date(self) -> datetime.date:
        return datetime.date(1940, 1, 1) + datetime.timedelta(
            days=self.rng.randint(0, 60 * 365))


def _dob_text(rng: random.Random, born: datetime.date) -> str:
    return rng.choice([
        born.strftime("%d/%m/%Y"),
        born.strftime("%Y-%m-%d"),
        f"{born.day} {born.strftime('%B %Y')}",
    ])


class Corpus:
    """Documents and records from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.ids = Identifiers(self.rng)

    def _sentences(self) -> list[Callable[[Document], None]]:
        f, ids, rng = self.faker, self.ids, self.rng

        def person(doc: Document) -> None:
            doc.add(rng.choice(["Spoke to ", "Letter from ", "Visited "]))
            doc.add(f"{f.first_name()} {f.last_name()}", "PERSON")
            doc.add(" about the claim. ")

        def nino(doc: Document) -> None:
            doc.add("Their National Insurance number is ")
            doc.add(ids.nino(), "UK_NINO")
            doc.add(". ")

        def nhs(doc: Document) -> None:
            doc.add("NHS number ")
            doc.add(ids.nhs(), "UK_NHS")
            doc.add(" was checked. ")

        def contact(doc: Document) -> None:
            doc.add("Reach them at ")
            doc.add(f.email(), "EMAIL_ADDRESS")
            doc.add(" or on ")
            doc.add(ids.phone(), "PHONE_NUMBER")
            doc.add(". ")

        def address(doc: Document) -> None:
            doc.add(f"Lives at {f.building_number()} {f.street_name()}, ")
            doc.add(f.postcode(), "UK_POSTCODE")
            doc.add(". ")

        def money(doc: Document) -> None:
            doc.add("Paid by card ")
            doc.add(ids.card(), "CREDIT_CARD")
            doc.add("; refund to IBAN ")
            doc.add(ids.iban(), "IBAN_CODE")
            doc.add(" or sort code ")
            doc.add(f"{ids.sort_code()}, account {ids.account()}",
                    "UK_BANK_ACCOUNT")
            doc.add(". ")

        def documents(doc: Document) -> None:
            born = ids.birth_date()
            doc.add("Passport number ")
            doc.add(ids.passport(), "UK_PASSPORT")
            doc.add(", driving licence ")
            doc.add(ids.driving_licence(f.last_name(), born),
                    "UK_DRIVING_LICENCE")
            doc.add(", date of birth ")
            doc.add(_dob_text(rng, born), "DATE_OF_BIRTH")
            doc.add(". ")

        def tax(doc: Document) -> None:
            doc.add("Self assessment UTR ")
            doc.add(ids.utr(), "UK_UTR")
            doc.add(", vehicle ")
            doc.add(ids.plate(), "UK_VEHICLE_REGISTRATION")
            doc.add(" seen at ")
            doc.add(ids.ip(), "IP_ADDRESS")
            doc.add(". ")

        def decoys(doc: Document) -> None:
            # Look-alikes that are not personal data.
            doc.add(rng.choice([
                f"Reference {f.ssn()} is a test value. ",
                f"Order {ids.digits(10)} shipped on "
                f"{f.date_this_decade().strftime('%d/%m/%Y')}. ",
                f"Meet at {f.last_name()} Street at 10:30. ",
                f"Invoice INV-{ids.digits(6)} for £{rng.randint(5, 900)}. ",
                f"Version {rng.randint(1, 9)}.{rng.randint(0, 9)}."
                f"{rng.randint(0, 99)} released. ",
            ]))

        return [person, nino, nhs, contact, address, money, documents, tax,
                decoys]

    def text_document(self, target_chars: int = 4000,
                      prose_sentences: int = 4) -> Document:
        """Case notes: paragraphs of Faker prose (``prose_sentences``
        long), each followed by one sentence holding identifiers."""
        doc = Document()
        sentences = self._sentences()
        while len(doc.text) < target_chars:
            doc.add(self.faker.paragraph(nb_sentences=prose_sentences)
                    + " ")
            self.rng.choice(sentences)(doc)
            doc.add("\n")
        return doc

    def records(self, rows: int) -> list[dict[str, str]]:
        """Rows of a case-management export, one person a row."""
        f, ids = self.faker, self.ids
        out = []
        for _ in range(rows):
            born = ids.birth_date()
            surname = f.last_name()
            out.append({
                "first_name": f.first_name(),
                "surname": surname,
                "ni_number": ids.nino(),
                "nhs_number": ids.nhs(),
                "date_of_birth": born.isoformat(),
                "email": f.email(),
                "phone": ids.phone(),
                "postcode": f.postcode(),
                "account_number": ids.account(),
                "card": ids.card(),
                "licence": ids.driving_licence(surname, born),
                "amount": f"{self.rng.randint(1, 99999) / 100:.2f}",
                "status": self.rng.choice(["open", "closed", "pending"]),
                "notes": f.sentence(nb_words=8),
            })
        return out


def write_corpus(out: Path, *, seed: int = 1, text_mb: float = 1.0,
                 rows: int = 2000) -> dict[str, list[tuple[int, int, str]]]:
    """Write text, CSV, JSON, JSON Lines, XLSX and Parquet files to ``out``.

    Returns the planted spans of each text file by file name.
    """
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus = Corpus(seed)
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, list[tuple[int, int, str]]] = {}
    doc = corpus.text_document(int(text_mb * 1_000_000))
    (out / "notes.txt").write_text(doc.text, encoding="utf-8")
    truth["notes.txt"] = doc.spans
    table = corpus.records(rows)
    with (out / "records.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    (out / "records.json").write_text(json.dumps(table[: rows // 4]))
    (out / "records.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in table[: rows // 4]))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "People"
    sheet.append(list(table[0]))
    for row in table[: rows // 4]:
        sheet.append(list(row.values()))
    book.save(out / "records.xlsx")
    pq.write_table(pa.Table.from_pylist(table), out / "records.parquet")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--text-mb", type=float, default=1.0)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    truth = write_corpus(args.out, seed=args.seed, text_mb=args.text_mb,
                         rows=args.rows)
    (args.out / "truth.json").write_text(json.dumps(truth))
    print(f"wrote corpus to {args.out}")


if __name__ == "__main__":
    main()
