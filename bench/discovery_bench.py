"""Benchmark: steward.discovery against Presidio, and against a raw pass.

A plain script, not a test: ``python bench/discovery_bench.py [--text-mb N]
[--rows N] [--presidio-kb N] [--seed N]``. Prints figures:

1. Free text on one core: throughput (MB/s) and precision, recall and F1
   per entity for Steward and for Presidio's AnalyzerEngine (pattern
   recognizers only, its UK recognizers switched on, a blank spaCy
   pipeline as the NLP engine, since no model can be downloaded here),
   both over the whole corpus (``--presidio-kb`` cuts Presidio's part
   short for a quick run; Steward's time is its best run of those before
   and after Presidio's); then Steward alone on a small input (the first
   ``--small-kb``), where its fixed costs per call weigh more.
2. Structured data on one core: CSV and Parquet through ``scan_paths``
   (every value checked), and the ratio to a raw multi-pattern RE2 pass
   over the same columns with no validation (pyarrow.compute), plus a raw
   Hyperscan pass over the text when the ``hyperscan`` package is present.
3. Scale-out: the same scan on a Dask LocalCluster with one worker and with
   two, alternated over ``--repeat`` runs (best and median wall time).

``--only text|structured|scale`` runs one part; ``--repeat`` sets how many
times each timed step runs (the least CPU time counts: the machine is
shared).

Throughput per core is bytes per CPU-second of this process (see
``timed``); scale-out is bytes per wall-clock second.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.discovery_corpus import Corpus, Document  # noqa: E402

from steward.discovery import registered, scan_paths, scan_text  # noqa: E402

Span = tuple[int, int, str]
SHARED = ("CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS",
          "PERSON", "PHONE_NUMBER", "UK_DRIVING_LICENCE", "UK_NHS",
          "UK_NINO", "UK_PASSPORT", "UK_POSTCODE", "UK_VEHICLE_REGISTRATION")


def one_core() -> None:
    """Keep Arrow (and BLAS, if any) to one thread for per-core figures."""
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """The result and the CPU seconds this process spent on it.

    Per-core figures use CPU time, not wall time: the machines this runs
    on are shared, and wall time then measures the neighbours too. The
    scale-out figures, which need wall time, use ``wall``.
    """
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def wall(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def prf(truth: Iterable[Span], found: Iterable[Span]
        ) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support per entity. A found span counts
    when it overlaps a true span of the same entity not yet matched."""
    by_entity: dict[str, list[tuple[int, int]]] = {}
    for start, end, entity in truth:
        by_entity.setdefault(entity, []).append((start, end))
    for spans in by_entity.values():
        spans.sort()
    used: set[tuple[int, int, str]] = set()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    import bisect
    for start, end, entity in found:
        spans = by_entity.get(entity, [])
        i = bisect.bisect_left(spans, (start, end))
        hit = None
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(spans):
                s, e = spans[j]
                if s < end and start < e and (s, e, entity) not in used:
                    hit = (s, e, entity)
                    break
        if hit:
            used.add(hit)
            tp[entity] += 1
        else:
            fp[entity] += 1
    out = {}
    for entity in sorted(set(by_entity) | set(fp)):
        support = len(by_entity.get(entity, []))
        p = tp[entity] / (tp[entity] + fp[entity]) if tp[entity] + fp[
            entity] else 0.0
        r = tp[entity] / support if support else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[entity] = (p, r, f, support)
    return out


def presidio_analyzer() -> Callable[[str], list[Span]] | str:
    """Presidio with pattern recognizers only, or why it cannot run."""
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer import predefined_recognizers as pr
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError as error:
        return f"presidio-analyzer is not installed ({error})"
    # tldextract (used by the e-mail recognizer) tries to fetch the public
    # suffix list and falls back to its bundled copy; no network here.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)

    class BlankSpacy(SpacyNlpEngine):  # type: ignore[misc]
        """A tokenizer only: no model download, no NER."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en",
                                      "model_name": "blank"}])

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacy()
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    for name in ("UkNinoRecognizer", "UkPassportRecognizer",
                 "UkPostcodeRecognizer", "UkVehicleRegistrationRecognizer",
                 "UkDrivingLicenceRecognizer"):
        registry.add_recognizer(getattr(pr, name)())
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine,
                              supported_languages=["en"])

    def analyse(text: str) -> list[Span]:
        spans: list[Span] = []
        # Line by line, as Presidio is used on records; one huge string
        # makes spaCy's tokenizer the bottleneck.
        offset = 0
        for line in text.split("\n"):
            for r in analyzer.analyze(line, language="en",
                                      entities=list(SHARED)):
                spans.append((offset + r.start, offset + r.end,
                              f"{r.entity_type}\t{r.score}"))
            offset += len(line) + 1
        return spans

    return analyse


def presidio_at(spans: list[Span], threshold: float) -> list[Span]:
    out = []
    for start, end, tagged in spans:
        entity, score = tagged.split("\t")
        if float(score) >= threshold:
            out.append((start, end, entity))
    return out


def print_prf(title: str, results: dict[str, tuple[float, float, float,
                                                    int]]) -> None:
    print(f"\n{title}")
    print(f"  {'entity':26s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>6s}")
    for entity, (p, r, f, n) in results.items():
        print(f"  {entity:26s} {p:6.3f} {r:6.3f} {f:6.3f} {n:6d}")


def free_text(args: argparse.Namespace) -> None:
    corpus = Corpus(args.seed)
    doc: Document = corpus.text_document(int(args.text_mb * 1_000_000),
                                         prose_sentences=8)
    size = len(doc.text.encode())
    density = len(doc.spans) / (len(doc.text) / 1000)
    print(f"Free text: {size / 1e6:.1f} MB, {len(doc.spans)} planted "
          f"identifiers ({density:.1f} per 1,000 characters)")
    scan_text("warm up")
    matches = scan_text(doc.text)
    seconds = best_of(args.repeat, lambda: scan_text(doc.text))
    steward_spans = [(m.start, m.end, m.entity)
                     for m in matches]  # type: ignore[attr-defined]
    print(f"  Steward scan_text: {size / 1e6 / seconds:.2f} MB/s "
          f"(one core, best of {args.repeat}; load average "
          f"{os.getloadavg()[0]:.1f})")
    steward = prf(doc.spans, steward_spans)
    print_prf("Steward, full free-text corpus", steward)

    analyse = presidio_analyzer()
    if isinstance(analyse, str):
        print(f"\nPresidio could not run: {analyse}")
        return
    # Presidio reads the same corpus (the method), unless
    # --presidio-kb cuts it short for a quick run: its rate per byte does
    # not depend on the input's size, since it is called line by line.
    cut = (len(doc.text) if not args.presidio_kb else
           doc.text.rfind("\n", 0, args.presidio_kb * 1000) + 1)
    sample = doc.text[:cut]
    truth = [s for s in doc.spans if s[1] <= cut]
    found, p_seconds = timed(lambda: analyse(sample))
    sample_mb = len(sample.encode()) / 1e6
    # Steward's runs take a second where Presidio's takes minutes: this
    # machine's speed varies from one second to the next, so Steward is
    # timed again after Presidio and its best run of either side counts.
    again = best_of(args.repeat, lambda: scan_text(sample))
    s_seconds = min(seconds, again) if cut == len(doc.text) else again
    presidio_rate, steward_rate = sample_mb / p_seconds, sample_mb / s_seconds
    print(f"\nOn {'the whole corpus' if cut == len(doc.text) else 'the first'}"
          f" {sample_mb:.2f} MB:")
    print(f"  Presidio AnalyzerEngine: {presidio_rate:.3f} MB/s")
    print(f"  Steward scan_text:       {steward_rate:.2f} MB/s")
    print(f"  Steward / Presidio throughput: {p_seconds / s_seconds:.0f}x")
    # Steward's fixed costs per call weigh more on a small input.
    small = doc.text[:doc.text.rfind("\n", 0, args.small_kb * 1000) + 1]
    small_mb = len(small.encode()) / 1e6
    small_rate = small_mb / best_of(max(args.repeat, 10),
                                    lambda: scan_text(small))
    print(f"  Steward on a small input, the first {small_mb:.2f} MB: "
          f"{small_rate:.2f} MB/s, {small_rate / presidio_rate:.0f}x "
          f"Presidio's rate")
    steward_sample = prf(truth, [s for s in steward_spans if s[1] <= cut])
    best: dict[str, tuple[float, float, float, int, float]] = {}
    for threshold in (0.0, 0.3, 0.5, 0.7):
        at = prf(truth, presidio_at(found, threshold))  # type: ignore[arg-type]
        for entity, row in at.items():
            if entity not in best or row[2] > best[entity][2]:
                best[entity] = (*row, threshold)
    print("\n  F1 per shared entity (Presidio at its best score threshold "
          "per entity):")
    print(f"  {'entity':26s} {'Steward':>8s} {'Presidio':>9s} "
          f"{'P thr':>6s} {'n':>5s}")
    for entity in SHARED:
        s = steward_sample.get(entity, (0, 0, 0, 0))
        p = best.get(entity, (0, 0, 0, 0, 0))
        mark = "" if s[2] >= p[2] else "  <- Presidio better"
        print(f"  {entity:26s} {s[2]:8.3f} {p[2]:9.3f} {p[4]:6.1f} "
              f"{s[3]:5d}{mark}")
    print_prf("Presidio detail at threshold 0.0", prf(
        truth, presidio_at(found, 0.0)))  # type: ignore[arg-type]


def raw_column_pass(table: pa.Table) -> None:
    """Every registered pattern over every column, no validation."""
    patterns = [f"^(?:{d.pattern})$" for d in registered()]
    for column in table.columns:
        for pattern in patterns:
            pc.match_substring_regex(column, pattern)


def combined_column_pass(table: pa.Table) -> None:
    """One RE2 pass per column: the union of every registered pattern,
    anchored, no validation (which identifier matched is not known)."""
    union = "^(?:" + "|".join(f"(?:{d.pattern})" for d in registered()) + ")$"
    for column in table.columns:
        pc.match_substring_regex(column, union)


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The least CPU time of ``repeats`` runs (the machine is shared)."""
    return min(timed(fn)[1] for _ in range(repeats))


def structured(args: argparse.Namespace, folder: Path) -> None:
    rows = Corpus(args.seed).records(args.rows)
    table = pa.Table.from_pylist(rows)
    csv_path = folder / "records.csv"
    pacsv.write_csv(table, csv_path)
    parquet_path = folder / "records.parquet"
    pq.write_table(table, parquet_path, row_group_size=100_000)
    csv_mb = csv_path.stat().st_size / 1e6
    print(f"\nStructured: {args.rows:,} rows x {table.num_columns} "
          f"columns; CSV {csv_mb:.1f} MB")
    seconds = best_of(args.repeat, lambda: scan_paths([csv_path]))
    print(f"  Steward CSV (parse + every value checked): "
          f"{csv_mb / seconds:.1f} MB/s (one core, best of {args.repeat})")
    p_seconds = best_of(args.repeat, lambda: scan_paths([parquet_path]))
    print(f"  Steward Parquet (same rows, CSV-equivalent bytes): "
          f"{csv_mb / p_seconds:.1f} MB/s")
    strings = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in table.column_names}))
    raw_seconds = best_of(args.repeat, lambda: raw_column_pass(strings))
    print(f"  Raw RE2 pass, all patterns over all columns, no validation "
          f"(data already parsed): {csv_mb / raw_seconds:.1f} MB/s")
    print(f"  Steward CSV time / raw pass time: {seconds / raw_seconds:.2f}")
    one_seconds = best_of(args.repeat, lambda: combined_column_pass(strings))
    print(f"  Raw RE2 pass, one combined pattern per column, no validation: "
          f"{csv_mb / one_seconds:.1f} MB/s; Steward CSV time / its time: "
          f"{seconds / one_seconds:.2f}")
    print(f"  (load average {os.getloadavg()[0]:.1f})")
    text = Corpus(args.seed).text_document(
        int(args.text_mb * 1_000_000), prose_sentences=8).text
    hyperscan_pass(text)


def hyperscan_pass(text: str) -> None:
    try:
        import hyperscan
    except ImportError:
        print("  (hyperscan not installed: no raw Hyperscan figure)")
        return
    usable, left_out = [], []
    for detector in registered():
        probe = hyperscan.Database()
        try:
            probe.compile(expressions=[detector.pattern.encode()],
                          flags=[hyperscan.HS_FLAG_SOM_LEFTMOST])
            usable.append(detector.pattern.encode())
        except hyperscan.error:
            left_out.append(detector.entity)
    db = hyperscan.Database()
    db.compile(expressions=usable, ids=list(range(len(usable))),
               elements=len(usable),
               flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(usable))
    if left_out:
        print(f"  (Hyperscan refused the patterns of {', '.join(left_out)}"
              " with start-of-match tracking; left out of the raw pass)")
    data = text.encode()
    hits = [0]

    def on_match(*_: object) -> None:
        hits[0] += 1

    _, seconds = timed(lambda: db.scan(data, match_event_handler=on_match))
    _, steward = timed(lambda: scan_text(text))
    print(f"  Raw Hyperscan pass over the free text, no validation: "
          f"{len(data) / 1e6 / seconds:.1f} MB/s; Steward scan_text takes "
          f"{steward / seconds:.1f}x as long")


def scale_out(args: argparse.Namespace, folder: Path) -> None:
    import distributed

    parts = folder / "parts"
    parts.mkdir()
    # One document, copied: the work per file is the same, and writing
    # tens of megabytes of Faker prose would take longer than scanning it.
    doc = Corpus(args.seed + 1).text_document(
        int(args.scale_mb * 1_000_000 / args.scale_files), prose_sentences=8)
    for n in range(args.scale_files):
        (parts / f"notes{n:03d}.txt").write_text(doc.text)
    total = sum(p.stat().st_size for p in parts.iterdir()) / 1e6
    print(f"\nScale-out: {total:.1f} MB of text in {args.scale_files} files "
          f"on a Dask LocalCluster (one thread per worker process); load "
          f"average {os.getloadavg()[0]:.1f} before")
    seconds: dict[int, list[float]] = {1: [], 2: []}
    reports = {}
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True,
        dashboard_address=":0", silence_logs=logging.CRITICAL,
    ) as two, distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True,
        dashboard_address=":0", silence_logs=logging.CRITICAL,
    ) as one:
        clusters = {1: one.scheduler_address, 2: two.scheduler_address}
        probes = {n: distributed.Client(a) for n, a in clusters.items()}
        cpu: dict[int, list[float]] = {1: [], 2: []}
        for address in clusters.values():
            scan_paths([parts], cluster=address)  # warm the workers
        # Alternate, so that both see the same neighbours on the machine.
        for _ in range(args.repeat):
            for workers, address in clusters.items():
                before = probes[workers].run(time.process_time)
                reports[workers], took = wall(lambda a=address: scan_paths(
                    [parts], cluster=a))
                after = probes[workers].run(time.process_time)
                seconds[workers].append(took)
                cpu[workers].append(sum(after[w] - before[w] for w in after))
        for probe in probes.values():
            probe.close()
    for workers, took in seconds.items():
        print(f"  {workers} worker(s): {total / min(took):.2f} MB/s best, "
              f"{total / sorted(took)[len(took) // 2]:.2f} MB/s median "
              f"(wall time, {len(took)} runs); the workers used "
              f"{sum(cpu[workers]) / sum(took):.2f} cores on average "
              f"and {sum(cpu[workers]) / len(took):.1f} CPU-s per scan")
    same = reports[1].findings == reports[2].findings
    middle = args.repeat // 2
    median = sorted(seconds[1])[middle] / sorted(seconds[2])[middle]
    print(f"  speed-up, 2 workers over 1: "
          f"{min(seconds[1]) / min(seconds[2]):.2f}x best to best, "
          f"{median:.2f}x median to median; same findings: {same}")
    print(f"  (this machine has {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f} when done: other work on the machine "
          f"takes cores from the workers)")
    work = (sum(cpu[2]) / len(cpu[2])) / (sum(cpu[1]) / len(cpu[1]))
    share = ((sum(cpu[2]) / sum(seconds[2]))
             / (sum(cpu[1]) / sum(seconds[1])))
    print(f"  CPU work with 2 workers / with 1: {work:.2f} (1.00: spreading "
          f"the units adds no work); CPU the 2-worker cluster got / CPU the "
          f"1-worker cluster got, per second: {share:.2f} (2.00 on an idle "
          f"2-core machine)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--text-mb", type=float, default=4.0)
    parser.add_argument("--presidio-kb", type=int, default=0,
                        help="Presidio reads this much (0: all the text)")
    parser.add_argument("--small-kb", type=int, default=300)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--scale-mb", type=float, default=64.0)
    parser.add_argument("--scale-files", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--only", choices=("text", "structured", "scale"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_scale and args.only in (None, "scale"):
            # First, before this process pins itself to one core.
            scale_out(args, Path(tmp))
        one_core()
        if args.only in (None, "text"):
            free_text(args)
        if args.only in (None, "structured"):
            structured(args, Path(tmp))


if __name__ == "__main__":
    main()
