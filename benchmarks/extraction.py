#!/usr/bin/env python3
"""Article-body extraction: newsparse against its peers, on the shared AEB data, in one table.

newsparse runs only what the body needs (the default pipeline without the "timestamps",
"sources" and "entities" stages) and returns ``Article.body``. The peers (trafilatura, jusText,
readability-lxml, goose3, newspaper4k, Resiliparse, boilerpy3; ``pip install
"newsparse[benchmarks]"``) run through the adapters of the shared scorer, which also does the
scoring (the AEB metric: word 4-shingle precision/recall/F1, macro-averaged over pages) and the
timing (median of ``--passes`` timed passes after the scoring pass). Each input kind is scored
on the same pages: ``text`` (html-text dumps, newsparse's main input), ``text-browser``
(browser innerText) and ``html``; on text inputs the HTML peers get the text wrapped as HTML.

``--worst N`` then explains newsparse's N lowest-F1 pages per input: the longest runs of text it
kept that the truth does not have (and the block each run came from, with its reader hints), and
the longest runs of the truth it lost (and where they went: removed by which stage and reason,
put in a related article, or absent from the input). Those runs are the evidence for the next
boilerplate rule.

Usage (from the repository root)::

    python benchmarks/extraction.py                      # all tools, all inputs
    python benchmarks/extraction.py --tools newsparse trafilatura --inputs text --worst 5
    python benchmarks/extraction.py --save benchmarks/results-extraction.txt --worst 8

The shared folder (scorer and data) defaults to ``../shared`` next to the repository; pass
``--shared`` to use another. Extraction runs offline: the scorer blocks network access.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import newsparse
from newsparse.assemble import build_article
from newsparse.document import Block, Page
from newsparse.pipeline import Pipeline, default_pipeline

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPOSITORY.parent / "shared"
DATA_FOLDER = Path("data") / "aeb-dev"
SCORER = Path("bench") / "extraction.py"

INPUTS = ("text", "text-browser", "html")
NEWSPARSE = "newsparse"
PEERS = (
    "trafilatura",
    "justext",
    "readability-lxml",
    "goose3",
    "newspaper4k",
    "resiliparse",
    "boilerpy3",
)
ENRICHMENT_STAGES = ("timestamps", "sources", "entities")
"""Stages that add metadata and never change the body: left out of the body pipeline."""

RUNS_SHOWN = 3
"""Longest kept-but-wrong and lost runs shown per page by ``--worst``."""
RUN_PREVIEW = 160
"""Characters of a run shown; the run's length in words is printed beside it."""

_TOKEN = re.compile(r"\w+")
"""The scorer's tokens (the AEB metric's ``\\w+``), with their offsets."""


# --- running -------------------------------------------------------------------------------


def load_scorer(shared: Path) -> ModuleType:
    """Import the shared scorer module from ``shared/bench/extraction.py``."""
    path = shared / SCORER
    if not path.is_file():
        raise SystemExit(f"error: no scorer at {path} (pass --shared)")
    spec = importlib.util.spec_from_file_location("shared_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def body_pipeline() -> Pipeline:
    """The default pipeline without the enrichment stages: all that ``Article.body`` needs."""
    pipeline = default_pipeline()
    for name in ENRICHMENT_STAGES:
        pipeline.remove(name)
    return pipeline


def newsparse_body(pipeline: Pipeline, input_kind: str) -> Callable[[str, str | None], str]:
    """newsparse as an extractor of the scorer: page content (and URL) in, body out."""
    input_format: Literal["text", "html"] = "html" if input_kind == "html" else "text"

    def extract(content: str, url: str | None) -> str:
        return newsparse.parse(content, url=url, format=input_format, pipeline=pipeline).body

    return extract


@dataclass
class Cell:
    """One tool on one input: the scores, the speed and the pages it failed on."""

    precision: float
    recall: float
    f1: float
    pages_per_s: float | None
    errors: int
    wrapped: bool
    per_page: dict[str, tuple[float, float, float]]


def evaluate(
    scorer: ModuleType, extractors: Mapping[str, Any], pages: Sequence[Any], passes: int
) -> dict[str, Cell]:
    """Score each extractor on ``pages`` and time it; a page it fails on counts as empty.

    The timed passes are interleaved (one pass of each tool per round, as the shared scorer
    does), so a change of machine load during the run weighs on every tool alike.
    """
    predictions: dict[str, list[str | None]] = {}
    timings: dict[str, list[float]] = {tool: [] for tool in extractors}
    with contextlib.redirect_stderr(io.StringIO()):  # failures are counted, not dumped
        for tool, extractor in extractors.items():
            predictions[tool] = scorer.run_once(extractor, pages, "empty")
        for _ in range(passes):
            for tool, extractor in extractors.items():
                timings[tool].append(sum(scorer.time_pass(extractor, pages)))
    cells = {}
    for tool, extractor in extractors.items():
        metrics = scorer.score([p.truth for p in pages], predictions[tool], n_bootstrap=0)
        median = statistics.median(timings[tool]) if timings[tool] else None
        cells[tool] = Cell(
            precision=metrics["precision"],
            recall=metrics["recall"],
            f1=metrics["f1"],
            pages_per_s=len(pages) / median if median else None,
            errors=len(extractor.errors),
            wrapped=extractor.wrapped,
            per_page={p.id: c for p, c in zip(pages, metrics["per_page"], strict=True)},
        )
    return cells


def make_extractor(scorer: ModuleType, tool: str, input_kind: str, pipeline: Pipeline) -> Any:
    """The scorer's extractor object for ``tool`` on ``input_kind``."""
    if tool == NEWSPARSE:
        return scorer.Extractor(
            NEWSPARSE, newsparse_body(pipeline, input_kind), newsparse.__version__
        )
    return scorer.make_extractor(f"peer:{tool}", input_kind)


# --- the table -----------------------------------------------------------------------------


def render_table(
    results: dict[str, dict[str, Cell]], versions: dict[str, str], inputs: Sequence[str]
) -> str:
    """One row per tool, one column group (P, R, F1, pages/s) per input kind."""
    group = "{:>6} {:>6} {:>6} {:>8}"
    width = max(len(tool) for tool in results) + 2
    header = f"{'tool':<{width}}{'version':<10}" + " | ".join(f"{kind:^29}" for kind in inputs)
    columns = f"{'':<{width}}{'':<10}" + " | ".join(
        group.format("P", "R", "F1", "pages/s") for _ in inputs
    )
    lines = [header, columns, "-" * len(columns)]
    notes: list[str] = []
    for tool, cells in results.items():
        parts = []
        for kind in inputs:
            cell = cells[kind]
            speed = f"{cell.pages_per_s:.1f}" if cell.pages_per_s else "-"
            parts.append(
                group.format(f"{cell.precision:.3f}", f"{cell.recall:.3f}", f"{cell.f1:.3f}", speed)
            )
            if cell.errors:
                notes.append(f"{tool} failed on {cell.errors} {kind} page(s), scored as empty")
        lines.append(f"{tool:<{width}}{versions[tool]:<10}" + " | ".join(parts))
    if any(c.wrapped for cells in results.values() for c in cells.values()):
        notes.append("on text inputs, the HTML peers get the text wrapped as <p> per line")
    return "\n".join(lines + [f"  note: {note}" for note in notes])


# --- the worst pages -----------------------------------------------------------------------


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _shingles(words: Sequence[str]) -> Counter[tuple[str, ...]]:
    if len(words) < 4:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))


def unmatched_runs(text: str, other: str) -> list[tuple[int, str]]:
    """Runs of ``text`` in no 4-shingle shared with ``other`` (multiset-wise, as the metric
    counts), as (number of words, text), longest first."""
    spans = _spans(text)
    words = [text[s:e] for s, e in spans]
    available = _shingles(_TOKEN.findall(other))
    matched = [False] * len(words)
    for i in range(max(len(words) - 3, 1 if words else 0)):
        shingle = tuple(words[i : i + 4])
        if available[shingle] > 0:
            available[shingle] -= 1
            matched[i : i + len(shingle)] = [True] * len(shingle)
    runs: list[tuple[int, str]] = []
    start: int | None = None
    for i, is_matched in enumerate([*matched, True]):
        if not is_matched and start is None:
            start = i
        elif is_matched and start is not None:
            runs.append((i - start, text[spans[start][0] : spans[i - 1][1]]))
            start = None
    return sorted(runs, key=lambda run: -run[0])


def _overlap(run: str, text: str) -> float:
    """Share of the run's shingles that ``text`` holds."""
    mine = _shingles(_TOKEN.findall(run))
    total = sum(mine.values())
    return sum((mine & _shingles(_TOKEN.findall(text))).values()) / total if total else 0.0


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= RUN_PREVIEW else flat[: RUN_PREVIEW - 1] + "…"


def _describe_block(block: Block) -> str:
    """What the reader and the stages knew of a block, briefly."""
    hints = block.hints
    shown = [f"role={block.role}"]
    for key in ("tag", "class_hint", "in_article", "link_density", "heading", "line"):
        value = hints.get(key)
        if value is not None and value is not False:
            shown.append(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")
    return " ".join(shown)


def _places(page: Page, article: newsparse.Article) -> list[tuple[str, Counter[tuple[str, ...]]]]:
    """Where text of the page can have gone, each with the shingles of all its text in page
    order (so a run over many small blocks, such as table cells, is still found): each
    (stage, reason) of removal, each non-body role, the related articles, the whole input."""
    texts: defaultdict[str, list[str]] = defaultdict(list)
    for removal in article.removed:
        texts[f"removed by {removal.stage}: {removal.reason}"].append(removal.text)
    for block in page.blocks:
        if block.kept and block.role != "body":
            texts[f"kept with role={block.role}"].append(block.text)
    texts["put in a related article"] = [related.body for related in article.related]
    texts["in the input, in no body (rewritten by a stage?)"] = [page.raw]
    return [(place, _shingles(_TOKEN.findall("\n".join(parts)))) for place, parts in texts.items()]


def _where_lost(run: str, places: list[tuple[str, Counter[tuple[str, ...]]]]) -> str:
    """The first of ``places`` holding most of a lost run's shingles (the removals first)."""
    mine = _shingles(_TOKEN.findall(run))
    total = sum(mine.values()) or 1
    shares = [(sum((mine & found).values()) / total, place) for place, found in places]
    share, place = max(shares[:-2], default=(0.0, ""))
    if share >= 0.3:
        return place
    return next((place for share, place in shares[-2:] if share >= 0.3), "not in the input")


@dataclass
class Explanation:
    """Why one page scored as it did: the runs kept wrongly and the runs of the truth lost."""

    failure: str | None = None
    """The stage that raised, and its error, when newsparse failed on the page."""
    kept: list[tuple[int, str, Block | None]] = field(default_factory=list)
    """(words, text, the body block it mostly came from), longest first."""
    lost: list[tuple[int, str, str]] = field(default_factory=list)
    """(words, text, where it went), longest first."""


def explain_page(content: str, truth: str, input_kind: str, pipeline: Pipeline) -> Explanation:
    """Run newsparse on one page stage by stage and trace its unmatched runs."""
    page = pipeline.new_page(content, format="html" if input_kind == "html" else "text")
    for stage in pipeline.stages:
        try:
            page = stage(page)
        except Exception as error:  # name the stage, the table already counts the failure
            return Explanation(
                failure=f"stage {stage.name!r} raised {type(error).__name__}: {error}"
            )
    article = build_article(page)
    main = next((d for d in page.articles if d.is_main), page.articles[0])
    body_blocks = [b for b in page.blocks_of(main, "body") if b.kept_text()]
    places = _places(page, article)
    return Explanation(
        kept=[
            (words, run, max(body_blocks, key=lambda b: _overlap(run, b.kept_text()), default=None))
            for words, run in unmatched_runs(article.body, truth)
        ],
        lost=[
            (words, run, _where_lost(run, places))
            for words, run in unmatched_runs(truth, article.body)
        ],
    )


def _page_scores(cell: Cell, page_id: str) -> tuple[float, float, float]:
    """(F1, precision, recall) of one page from its normalised (tp, fp, fn)."""
    tp, fp, fn = cell.per_page[page_id]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def _hint_group(block: Block | None) -> str:
    """The reader hints that group kept-wrong text on HTML input."""
    if block is None:
        return "no block"
    hint = block.hints.get("class_hint")
    if hint:
        return f"class_hint={hint}"
    return f"no class_hint, in_article={block.hints.get('in_article')}"


def _shares(words_by_key: dict[str, int], total: int) -> list[str]:
    ranked = sorted(words_by_key.items(), key=lambda item: -item[1])
    return [f"    {words / total:6.1%}  {words:>6} words  {key}" for key, words in ranked]


def render_worst(
    pages: Sequence[Any], cell: Cell, input_kind: str, count: int, pipeline: Pipeline
) -> str:
    """Where newsparse's errors are on one input: over all pages, the words lost by where they
    went (and, on HTML, the words kept wrongly by the hints of their block); then the
    ``count`` lowest-F1 pages, each with its longest runs."""
    explained = {p.id: explain_page(p.content, p.truth, input_kind, pipeline) for p in pages}
    lost: defaultdict[str, int] = defaultdict(int)
    kept: defaultdict[str, int] = defaultdict(int)
    for explanation in explained.values():
        for words, _, place in explanation.lost:
            lost[place] += words
        for words, _, block in explanation.kept:
            kept[_hint_group(block)] += words
    lines = [f"\nnewsparse on {input_kind} input: where the lost words of the truth went"]
    lines += _shares(lost, sum(lost.values()) or 1)
    if input_kind == "html":
        lines.append("newsparse on html input: wrongly kept words, by the hints of their block")
        lines += _shares(kept, sum(kept.values()) or 1)
    worst = sorted(
        (p for p in pages if sum(cell.per_page[p.id])), key=lambda p: _page_scores(cell, p.id)
    )
    lines.append(f"newsparse's {count} worst pages on {input_kind} input (lowest F1 first)")
    for page in worst[:count]:
        f1, precision, recall = _page_scores(cell, page.id)
        lines.append(
            f"  {page.id[:12]}  F1 {f1:.3f}  P {precision:.3f}  R {recall:.3f}  {page.url}"
        )
        explanation = explained[page.id]
        if explanation.failure:
            lines.append(f"    {explanation.failure}")
        for words, run, block in explanation.kept[:RUNS_SHOWN]:
            where = f" [{_describe_block(block)}]" if block is not None else ""
            lines.append(f"    kept {words:>4} words: {_preview(run)!r}{where}")
        for words, run, place in explanation.lost[:RUNS_SHOWN]:
            lines.append(f"    lost {words:>4} words: {_preview(run)!r} [{place}]")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="shared folder (scorer and data)"
    )
    parser.add_argument("--data", type=Path, help=f"data folder (default: SHARED/{DATA_FOLDER})")
    parser.add_argument("--inputs", nargs="+", choices=INPUTS, default=list(INPUTS))
    parser.add_argument(
        "--tools", nargs="+", choices=(NEWSPARSE, *PEERS), default=[NEWSPARSE, *PEERS]
    )
    parser.add_argument("--passes", type=int, default=1, help="timed passes (0: no timing)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="explain N worst pages")
    parser.add_argument("--save", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.shared)
    data = args.data or args.shared / DATA_FOLDER
    pipeline = body_pipeline()
    scorer.block_network()
    results: dict[str, dict[str, Cell]] = {tool: {} for tool in args.tools}
    versions: dict[str, str] = {}
    pages_by_input: dict[str, list[Any]] = {}
    for input_kind in args.inputs:
        pages = scorer.load_pages([str(data)], input_kind)
        pages_by_input[input_kind] = pages
        extractors = {
            tool: make_extractor(scorer, tool, input_kind, pipeline) for tool in args.tools
        }
        versions.update((tool, extractor.version) for tool, extractor in extractors.items())
        for tool, cell in evaluate(scorer, extractors, pages, args.passes).items():
            results[tool][input_kind] = cell
        print(f"  {input_kind:<12} done", file=sys.stderr)

    pages_count = len(next(iter(pages_by_input.values())))
    report = [
        f"AEB article-body extraction, {data.name}: {pages_count} pages; P/R/F1 = AEB word "
        f"4-shingle metric, macro-averaged; pages/s = median of {args.passes} timed pass(es), "
        "one process",
        render_table(results, versions, args.inputs),
    ]
    if args.worst and NEWSPARSE in results:
        for input_kind in args.inputs:
            report.append(
                render_worst(
                    pages_by_input[input_kind],
                    results[NEWSPARSE][input_kind],
                    input_kind,
                    args.worst,
                    pipeline,
                )
            )
    text = "\n".join(report)
    print(text)
    if args.save:
        args.save.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
