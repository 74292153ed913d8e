"""The free-text engine's shortcuts change nothing: it finds exactly what
plain passes over the whole text find (``reference_engine``)."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.discovery import Detector, Match, Verdict, registered, scan_text
from steward.discovery import _engine as engine
from steward.discovery._patterns import (
    always_has_digit,
    first_chars,
    min_capitals,
    min_digits,
    min_width,
)
from steward.discovery.detectors import contact, register, unregister
from steward.discovery.detectors._view import TextView, runs_around
from tests.discovery.files import Corpus
from tests.discovery.reference_engine import reference_scan

_IDS = Corpus(3).ids
_MAKERS = [_IDS.nino, _IDS.nhs, _IDS.card, _IDS.iban, _IDS.plate, _IDS.ip,
           _IDS.phone, _IDS.passport, _IDS.utr, _IDS.sort_code,
           _IDS.account]
_WORDS = [
    "born ", "BORN ", "Born: ", "DOB ", "d.o.b. ", "D.O.B ", "date of birth ",
    "Date of birth date ", "birth date of birth ", "birthdate ", "birthday ",
    "NHS number ", "patient ", "passport ", "account number ", "a/c ",
    "sort code ", "card ", "IBAN ", "UTR ", "self assessment ", "tel ",
    "phone ", "ip ", "reg ", "vehicle ", "postcode ", "licence ",
    "national insurance ", "ni no ", "email ", "Mr John Smith ",
    "Dear Mrs Jane Smith, ", "spoke to Oliver Twist ", "McDonald Smith ",
    "Mary-Jane O'Neil ", "Grace Street ", "Dr. Who ", "The Quick Fox ",
    "jane.doe@example.co.uk ", "a@b.cd ", "12/03/1980 ", "1975-11-30 ",
    "3rd March 1962 ", "1 Jan. 2001 ", "31/02/1980 ", "GIR 0AA ",
    "BFPO 105 ", "BFPO1 ", "SW1A 1AA ", "M1 1AE ", "(0161) 496 0000 ",
    "+44 (0)20 7946 0958 ", "4111 1111 1111 1111 ", "9434765919 ",
    "MORGA753116SM9IJ ", "12-34-56, account 12345678 ", "10:30 ",
    "INV-123456 ", "£12 ", "v1.2.3 ",
]
_FILLER = st.text(
    alphabet="abcxyz ABCXYZ 0123456789 .,-/:()+@\n'\t"
             "\u00e9\u00a3\u00df\u0130\u212a\u03a3\u00c0\U0001f600",
    max_size=12)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    rng = random.Random(draw(st.integers(0, 2**32)))
    _IDS.rng = rng
    pieces = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            pieces.append(rng.choice(_MAKERS)())
        elif kind == 1:
            pieces.append(rng.choice(_WORDS))
        else:
            pieces.append(draw(_FILLER))
        pieces.append(rng.choice(["", " ", "\n", ", ", "-", ".", ": ",
                                  "\u00e9", "x"]))
    return "".join(pieces)


def _both_ways(text: str) -> list[list[Match]]:
    """scan_text's matches with candidates judged one by one, as short
    texts are, and in batches (context windows and verdicts with Arrow),
    as long ones are."""
    few, batch, arrays = engine._FEW, engine._BATCH, engine._ARRAYS
    try:
        engine._FEW = engine._BATCH = engine._ARRAYS = 10**9
        single = scan_text(text)
        engine._FEW = engine._BATCH = engine._ARRAYS = 0
        batched = scan_text(text)
    finally:
        engine._FEW, engine._BATCH, engine._ARRAYS = few, batch, arrays
    return [single, batched]


@settings(max_examples=600, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts())
def test_scan_text_agrees_with_the_reference(text: str) -> None:
    expected = reference_scan(text)
    assert _both_ways(text) == [expected, expected]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=0x3ff),
                    max_size=80))
def test_scan_text_agrees_on_any_characters(text: str) -> None:
    expected = reference_scan(text)
    assert _both_ways(text) == [expected, expected]


def test_long_texts_agree_with_the_reference() -> None:
    """Texts long enough for every batch, identifiers at both ends."""
    rng = random.Random(11)
    _IDS.rng = rng
    for _ in range(5):
        pieces = [rng.choice(_MAKERS)()]
        for _ in range(300):
            pieces.append(rng.choice(_WORDS))
            pieces.append(rng.choice(_MAKERS)())
            pieces.append(rng.choice([" ", "\n", ", ", "\u00e9 ", ". "]))
        pieces.append(rng.choice(_MAKERS)())
        text = "".join(pieces)
        assert scan_text(text) == reference_scan(text)
        wide = "\U0001f600" + text + "\u0100"
        assert scan_text(wide) == reference_scan(wide)


@settings(max_examples=300, deadline=None)
@given(text=_texts())
def test_regions_are_the_regular_expressions(text: str) -> None:
    """The regions found with numpy are those ``_REGION`` finds that
    hold a digit."""
    view = TextView(text)
    firsts, lasts = engine._regions(engine._compiled(), view)
    found = list(zip(firsts.tolist(), lasts.tolist(), strict=True))
    expected = [region.span() for region in engine._REGION.finditer(text)
                if re.search(r"\d", region.group(), re.ASCII)]
    assert [span for span in found
            if re.search(r"\d", text[span[0]:span[1]], re.ASCII)] == expected


_OWN = [d for d in registered() if not d.shared_pass]


@pytest.mark.parametrize("detector", _OWN, ids=lambda d: d.entity)
def test_candidates_in_agree_with_candidates(
        detector: Detector, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the bench's corpus and on generated texts, the prefiltered
    candidates are the whole-text ones, in the same order (the numpy
    paths taken even for a few candidates)."""
    monkeypatch.setattr(contact, "_FEW", 0)
    texts = [Corpus(7).text_document(30_000, prose_sentences=3).text,
             *EDGES]
    rng = random.Random(5)
    _IDS.rng = rng
    for _ in range(300):
        texts.append("".join(
            rng.choice([rng.choice(_WORDS), rng.choice(_MAKERS)(),
                        " ", "\n", "x", "A", "1", "\u00e9 "])
            for _ in range(rng.randint(1, 12))))
    for text in texts:
        expected = detector.candidates(text)
        found = detector.candidates_in(TextView(text))
        assert expected is not None and found is not None
        assert list(found) == list(expected), text


EDGES = [
    "",
    "1",
    "943 476 5919",
    "NHS 943 476 5919",
    "943 476 5919 is the NHS number",
    "born 12/03/1980",
    "12/03/1980 born",
    "DOB:12/03/1980",
    "date of birth date 12/03/1980",
    "birth date of birth 12/03/1980",
    "\u00e9943 476 5919\u00e9",
    "\u00a3943 476 5919\u00a3 NHS",
    "NHS number 943 476\n5919",
    "NHS \u0130 943 476 5919 \u212a",
    "\U0001f600 passport 123456789 \U0001f600",
    "\u03a3\u03a3 NHS 943 476 5919 \u03a3",
    "sort code 12-34-56\naccount 12345678",
    "sort code 12-34-56, account 1234567890123",
    "account 12345678",
    "12345678",
    "1234567812-34-56 acc 12345678",
    # Runs of digits around sort codes: only every eighth digit of a run
    # starts a match of eight, and a sort code inside one is skipped.
    "123456789-12-34 x 12345678 1234567",
    "1234567890123456712-34-56 acc 87654321",
    "12-34-56 acc 1234567890123456 and 12-34-56, 12345678",
    "12-34-56-78-90 acc 12345678, 12-34-56 acc 123456789-12-34 x 87654321",
    "account 12345678-12-34 x 1234567812345678 x12345678 12345678x",
    "\u00e912345678\u00e9 \u0101 12345678\u0101 12-34-56\u00e912345678",
    "A" * 100 + " 943 476 5919 " + "B" * 100,
    "X" + "a" * 100 + " Smith said",
    "Mr" + " Smith" * 50,
    "x" * 60 + "born " + "y" * 60 + " 12/03/1980",
    "born" + " " * 30 + "12/03/1980" + " born 1/1/1990" * 5,
    "Spoke to John Smith. Jane Doe, Dr. Who and Mr. Bean",
    "BFPO1 BFPO 1 GIR0AA",
    "(" * 40 + "0161) 496 0000",
    # Long runs of trigger characters before a date: no place within
    # reach that no trigger straddles.
    "q" * 200 + " born 12/03/1980",
    "dob" * 100 + " 12/03/1980 " + "x" * 100 + "birthday 1/2/1990",
    "b" * 150 + "12/03/1980" + "d.o.b " * 40 + "1/2/2001 born 1999-01-02",
    "Date Of Birth " * 30 + "3 May 1970",
    # Beyond Latin-1: smart quotes, a dotted capital I and the Kelvin
    # sign (which lower to ASCII), "?" standing in for them in the codes.
    "The patient\u2019s NHS number \u201c943 476 5919\u201d",
    "pass\u0130port 123456789 and \u212aard 4111 1111 1111 1111",
    "\U0001f600 ?passport 123456789, sort code 12-34-56 \u2014 "
    "acc\u00e9ss 12345678",
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_agree_with_the_reference(text: str) -> None:
    expected = reference_scan(text)
    assert _both_ways(text) == [expected, expected]


def test_identifiers_at_both_ends_of_the_text() -> None:
    text = "9434765919 and 4111 1111 1111 1111"
    assert [(m.start, m.end, m.entity) for m in scan_text(text)] == [
        (0, 10, "UK_NHS"), (15, 34, "CREDIT_CARD")]


def test_offsets_are_string_indices_beyond_latin1() -> None:
    text = "\U0001f600\u0130 NHS 9434765919 \u212a"
    match = scan_text(text)[0]
    assert text[match.start:match.end] == "9434765919"


def test_view_has_one_code_per_character() -> None:
    view = TextView("a\u0100b\U0001f600c\u00e91")
    assert len(view.codes) == 7
    assert bytes(view.codes) == b"a?b?c\xe91"
    assert not view.latin1
    assert view.digits().tolist() == [6]
    assert TextView("NHS \u00c0 No").latin1


def test_runs_around_walks_past_long_runs() -> None:
    """The vectorised walk hands over to a search of the whole text for
    runs longer than its steps."""
    text = "xx" + "A" * 500 + "1" + "B" * 500 + "yy"
    view = TextView(text)
    member = np.zeros(256, bool)
    member[[ord("A"), ord("B"), ord("1")]] = True
    at = np.array([502])
    starts, ends = runs_around(view.codes, member, at, at + 1)
    assert (starts.tolist(), ends.tolist()) == ([2], [1003])
    starts, ends = runs_around(view.codes, member, np.array([1]),
                               np.array([1003]))
    assert (starts.tolist(), ends.tolist()) == ([1], [1003])
    whole = TextView("A" * 100 + "1")
    starts, ends = runs_around(whole.codes, member, np.array([100]),
                               np.array([101]))
    assert (starts.tolist(), ends.tolist()) == ([0], [101])


def test_digit_clusters() -> None:
    view = TextView("1 2" + " " * 40 + "34")
    firsts, ends = view.digit_clusters(32)
    assert (firsts.tolist(), ends.tolist()) == ([0, 43], [3, 45])
    assert [len(part) for part in TextView("none").digit_clusters(32)] == [
        0, 0]


def test_patterns_are_read_for_digits() -> None:
    needs = {d.entity: min_digits(d.pattern) for d in registered()
             if d.shared_pass}
    assert all(needs.values())
    assert needs["CREDIT_CARD"] == 12 and needs["UK_POSTCODE"] == 1
    assert min_digits(r"[0-9]{3}(?:\d|a)") == 3
    assert min_digits(r"(?:\d\d|7)+") == 1
    # Not promised: look-arounds, optional parts, other scripts' digits.
    for pattern in (r"(?=\d)", r"\d*", r"(?u:\d)", r"[\d-]", r"[^a]",
                    r".", r"\D"):
        assert not always_has_digit(pattern), pattern
    assert not always_has_digit(r"\d", flags=0)
    assert min_width(r"ab?c{2,3}") == 3 and min_width(r"a*") == 0
    assert min_capitals(r"[A-Z]{2}\d|[A-C]x[B-D]") == 2
    assert min_capitals(r"(?i:AB)C") == 1
    assert min_capitals(r"[A-Za-z]{3}") == 0
    assert min_capitals("AB", flags=re.IGNORECASE) == 0


def test_patterns_are_read_for_first_characters() -> None:
    assert first_chars(r"(?:\+44|\(?0)\d") == frozenset("+(0")
    assert first_chars(r"[A-C]{2}|\d") == frozenset("ABC0123456789")
    assert first_chars(r"(?=\d)a?b") == frozenset("ab")
    assert first_chars(r"(?:ab|)c") == frozenset("ac")
    # Unsure: classes it does not read, case folding, the empty string.
    for pattern in (r"\w", r"[^a]", r".", r"(?i:a)", r"a*", r"(a)?\1"):
        assert first_chars(pattern) is None, pattern
    assert first_chars("a", flags=re.IGNORECASE) is None


class _Hyphens(Detector):
    """A shared-pass detector whose values hold no digit: the engine must
    then look at all the text."""

    entity = "HYPHENS"
    pattern = r"[A-Z]{3}-[A-Z]{3}"
    context = ("code",)

    def verdict(self, value: str) -> Verdict:
        return Verdict.VALID


class _Anything(Detector):
    """A shared-pass detector that can match the empty string."""

    entity = "ANYTHING"
    pattern = r"Q?"

    def verdict(self, value: str) -> Verdict:
        return Verdict.PLAUSIBLE if value else Verdict.INVALID


@pytest.mark.parametrize("detector", [_Hyphens(), _Anything()],
                         ids=lambda d: d.entity)
def test_detectors_without_digits_still_agree(detector: Detector) -> None:
    register(detector)
    try:
        for text in ("code ABC-DEF and NHS 943 476 5919", "ABCDEF-GHI",
                     "QQ Q 12-34-56 QQQQQQ", "x" * 50 + "QAB-CDE",
                     # An empty match at the very end.
                     "NHS 943 476 5919 ", "abc. ", ""):
            assert scan_text(text) == reference_scan(text)
    finally:
        unregister(detector.entity)
    assert re.fullmatch(r"\w+", detector.entity)


_ARRAY_CHECKED = [d for d in registered()
                  if type(d).verdict_array is not Detector.verdict_array]


@pytest.mark.parametrize("detector", _ARRAY_CHECKED, ids=lambda d: d.entity)
def test_array_verdicts_are_the_scalar_ones(detector: Detector) -> None:
    """The engine checks large batches with verdict_array: it must answer
    as verdict does, on values of the detector's shape and on the values
    the corpus plants."""
    shape = re.compile(detector.pattern, re.ASCII)
    rng = random.Random(3)
    _IDS.rng = rng
    planted = [value for value in (maker() for maker in _MAKERS
                                   for _ in range(40))
               if shape.fullmatch(value)]

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(batch=st.lists(st.from_regex(shape, fullmatch=True),
                          min_size=1, max_size=40))
    def check(batch: list[str]) -> None:
        values = batch + planted
        found = detector.verdict_array(pa.array(values, pa.string()))
        assert found is not None
        assert found.to_pylist() == [detector.verdict(v).value
                                     for v in values]

    check()


def test_array_dates_refuse_days_past_the_month() -> None:
    """Arrow's strptime rolls 1981-02-29 over to March; verdict does not
    (found by the test above, now and then)."""
    from steward.discovery.detectors.dates import DATE_OF_BIRTH
    values = ["1980-02-30", "1980-02-29", "1981-02-29", "1980-04-31",
              "1900-02-29", "2000-02-29", "1980-13-01", "1980-00-10"]
    found = DATE_OF_BIRTH.verdict_array(pa.array(values, pa.string()))
    assert found.to_pylist() == [DATE_OF_BIRTH.verdict(v).value
                                 for v in values]
    text = "born 1981-02-29 and DOB 1980-04-31, born 1980-02-29"
    expected = reference_scan(text)
    assert _both_ways(text) == [expected, expected]
    assert [m.entity for m in expected] == ["DATE_OF_BIRTH"]


def test_a_scan_tries_no_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """A str handed to an Arrow compute function makes pyarrow try to
    import dateutil (not installed) on every call, a slow search of
    sys.path: scans hand typed scalars."""
    import builtins

    text = Corpus(9).text_document(20_000, prose_sentences=1).text
    tried: list[str] = []
    real = builtins.__import__

    def spy(name: str, *args: object, **kwargs: object) -> object:
        tried.append(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    few, batch, arrays = engine._FEW, engine._BATCH, engine._ARRAYS
    try:
        engine._FEW = engine._BATCH = engine._ARRAYS = 0
        scan_text(text)  # first uses import what they need, once
        monkeypatch.setattr(builtins, "__import__", spy)
        scan_text(text)
    finally:
        engine._FEW, engine._BATCH, engine._ARRAYS = few, batch, arrays
    # datetime's today() asks for the time module each call (C, cheap).
    assert [name for name in tried if name != "time"] == []


def test_no_shared_detector_registered() -> None:
    shared = [d for d in registered() if d.shared_pass]
    order = list(registered())
    for detector in shared:
        unregister(detector.entity)
    try:
        text = "NHS 943 476 5919 born 12/03/1980, Mr John Smith, a@b.cd"
        assert scan_text(text) == reference_scan(text)
        assert {m.entity for m in scan_text(text)} == {
            "DATE_OF_BIRTH", "PERSON", "EMAIL_ADDRESS"}
    finally:
        # Back in the registration order (which decides the alternation).
        for detector in order:
            unregister(detector.entity)
        for detector in order:
            register(detector)


def test_iban_array_check_is_the_scalar_one() -> None:
    """Valid IBANs of several countries (some with a stdnum module of
    their own), each with a digit changed, and malformed ones."""
    from steward.discovery.detectors import _checks as checks
    known = ["DE89370400440532013000", "BE68539007547034",
             "ES9121000418450200051332", "NO9386011117947",
             "FR1420041010050500013M02606", "NL91ABNA0417164300",
             "IE29AIBK93115212345678", "GB82 WEST 1234 5698 7654 32",
             "ME25505000012345678951", "XX12345678901234"]
    rng = random.Random(8)
    _IDS.rng = rng
    values = known + [_IDS.iban() for _ in range(200)]
    values += [value[:-1] + str((int(value[-1]) + 1) % 10)
               for value in values if value[-1].isdigit()]
    values += [" GB82WEST12345698765432", "GB82WEST", "gb82west1234",
               "GB82-WEST-1234-5698", ""]
    found = checks.iban_valid_array(pa.array(values, pa.string()))
    assert found.tolist() == [checks.iban_valid(v) for v in values]


def test_a_scan_leaves_the_collector_as_it_found_it() -> None:
    import gc

    text = "NI number QQ 12 34 56 C, phone 01632 960123"
    assert gc.isenabled()
    assert scan_text(text)
    assert gc.isenabled()
    gc.disable()
    try:
        assert scan_text(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
