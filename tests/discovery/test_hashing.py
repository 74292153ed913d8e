"""Distinct counts: the column hash (numpy) is the text hash (Python), so
a value found in a column and in running text counts once."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.discovery import scan_paths
from steward.discovery._tally import distinct, hash_array, unique, value_hash
from steward.discovery.detectors import _arrays as arrays

_values = st.lists(st.text(max_size=40), max_size=30)


@settings(max_examples=200, deadline=None)
@given(values=_values, key=st.binary(max_size=20),
       cut=st.integers(0, 5))
def test_column_hash_is_the_scalar_hash(values: list[str], key: bytes,
                                        cut: int) -> None:
    # Arrow refuses lone surrogates; the scan never holds them.
    values = [v.encode("utf-8", "replace").decode() for v in values]
    array = pa.array(values, pa.string()).slice(min(cut, len(values)))
    assert hash_array(array, key).tolist() == [
        value_hash(v, key) for v in values[min(cut, len(values)):]]


@settings(max_examples=100, deadline=None)
@given(width=st.integers(1, 20), count=st.integers(1, 30),
       key=st.binary(max_size=8), data=st.data())
def test_equal_length_values_hash_the_same_way(width: int, count: int,
                                                key: bytes, data) -> None:
    """Values of one length take the matrix path: same answers."""
    values = data.draw(st.lists(
        st.text(alphabet="AB09 -x", min_size=width, max_size=width),
        min_size=count, max_size=count))
    assert hash_array(pa.array(values), key).tolist() == [
        value_hash(v, key) for v in values]


def test_hashes_differ_by_value_and_by_key() -> None:
    values = [f"AB{n:06d}C" for n in range(20000)]
    hashes = hash_array(pa.array(values), b"one")
    assert len(unique(hashes)) == 20000
    assert hash_array(pa.array(values[:5]), b"two").tolist() != \
        hashes[:5].tolist()
    assert distinct({int(hashes[0])}, [unique(hashes[:10])]) == 10


def test_digit_helpers_on_odd_values() -> None:
    values = pa.array(["4111 1111 1111 1111", "", None, "٣12", "9-9-9", "x"])
    assert arrays.digits_only(values).to_pylist() == [
        "4111111111111111", "", "", "12", "999", ""]
    assert arrays.luhn(arrays.digits_only(values)).to_pylist() == [
        True, False, False, False, False, False]
    assert arrays.one_digit_repeated(arrays.digits_only(values)
                                     ).to_pylist() == [
        False, False, False, False, True, False]


def test_a_value_in_a_column_and_in_text_counts_once(tmp_path: Path) -> None:
    ninos = [f"AB{n:06d}C" for n in range(100000, 100050)]
    (tmp_path / "people.csv").write_text(
        "ni_number\n" + "\n".join(ninos) + "\n")
    (tmp_path / "note.txt").write_text(
        f"Her national insurance number is {ninos[7]}; "
        "another is AB 99 99 99 A.\n")
    report = scan_paths([tmp_path])
    total = {t.entity: t for t in report.totals}["UK_NINO"]
    assert total.count == 52
    assert total.distinct == 51
