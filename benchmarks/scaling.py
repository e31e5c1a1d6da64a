"""Time per MB of one ``parse`` call as the page grows from 10 KB to 50 MB: it should stay flat.

Inputs of each size are built by repeating real pages of the shared development set
(``shared/data/aeb-dev``: raw scraped text, and HTML whose ``<body>`` contents are repeated
inside one document) and by repeating hostile patterns: one huge line, very many short lines,
runs of punctuation (apart, and glued into long tokens), a single-line JSON blob, deeply nested
HTML, very many tiny HTML paragraphs. ``shared`` is found beside
the repository root unless ``--shared`` says where.

Each measurement runs in a fresh child process (so one size's memory does not inflate the
next's) under a time limit of ``max(10 s, 2 s per MB)``, newsparse's robustness target; a run
over the limit is stopped and reported as such, and the larger sizes of that input are skipped.
The pipeline is the default one, entity stage included (its NER reads a bounded number of
tokens per page); ``--no-entities`` drops it to show the rest alone.

    python benchmarks/scaling.py                                # all inputs, 10 KB .. 50 MB
    python benchmarks/scaling.py --sizes 10K,100K,1M --inputs text,html
    python benchmarks/scaling.py --no-entities --sizes 10K,100K,1M
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = "10K,100K,1M,10M,50M"
SCRAPED_AT = "2025-06-21T18:00:00Z"
_UNITS = {"K": 1_000, "M": 1_000_000}
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_SCRIPTS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
"""Code in a page: dropped before repeating, so that small sizes hold visible text too."""


def parse_size(text: str) -> int:
    """``"10K"`` -> 10000, ``"5M"`` -> 5000000, ``"123"`` -> 123."""
    text = text.strip().upper()
    if text[-1:] in _UNITS:
        return int(float(text[:-1]) * _UNITS[text[-1]])
    return int(text)


def time_limit(size: int) -> float:
    """The robustness target: max(10 s, 2 s per MB)."""
    return max(10.0, 2.0 * size / 1_000_000)


def _repeat_to(size: int, unit: str, separator: str = "\n\n") -> str:
    """``unit`` repeated (joined by ``separator``) and cut to ``size`` characters."""
    copies = size // (len(unit) + len(separator)) + 1
    return separator.join([unit] * copies)[:size]


def _aeb_text(shared: Path) -> str:
    return "\n\n".join(
        path.read_text(encoding="utf-8") for path in sorted((shared / "text").glob("*.txt"))
    )


def _aeb_html_bodies(shared: Path) -> str:
    bodies = []
    for path in sorted((shared / "html").glob("*.html.gz")):
        markup = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        found = _BODY.search(markup)
        bodies.append(_SCRIPTS.sub("", found.group(1) if found else markup))
    return "\n".join(bodies)


def _html_page(body: str) -> str:
    return f"<!doctype html><html><head><title>Scaling</title></head><body>{body}</body></html>"


def build(kind: str, size: int, shared: Path) -> tuple[str, str]:
    """The input of ``kind`` with about ``size`` characters, and its format."""
    sentence = "The minister said on Monday that talks with the union would resume. "
    builders: dict[str, Callable[[], tuple[str, str]]] = {
        "text": lambda: (_repeat_to(size, _aeb_text(shared)), "text"),
        "html": lambda: (
            _html_page(_repeat_to(size - 100, _aeb_html_bodies(shared), "\n")),
            "html",
        ),
        "one-line-prose": lambda: (_repeat_to(size, sentence, ""), "text"),
        "short-lines": lambda: (_repeat_to(size, "Share", "\n"), "text"),
        "one-letter-lines": lambda: (_repeat_to(size, "a", "\n"), "text"),
        "punctuation-runs": lambda: (_repeat_to(size, "Wait" + "." * 2000, " "), "text"),
        "glued-punctuation": lambda: (_repeat_to(size, sentence + ",;" * 5000, " "), "text"),
        "json-one-line": lambda: (
            json.dumps(
                [{"id": i, "headline": sentence, "tags": ["a", "b"]} for i in range(size // 100)]
            )[:size],
            "text",
        ),
        "html-short-paragraphs": lambda: (
            _html_page(_repeat_to(size - 100, "<p>a</p>", "")),
            "html",
        ),
        "html-deep-nesting": lambda: (
            _html_page("<div>" * (size // 11) + sentence + "</div>" * (size // 11)),
            "html",
        ),
        "html-one-paragraph": lambda: (
            _html_page("<p>" + _repeat_to(size, sentence, "") + "</p>"),
            "html",
        ),
    }
    return builders[kind]()


KINDS = (
    "text",
    "html",
    "one-line-prose",
    "short-lines",
    "one-letter-lines",
    "punctuation-runs",
    "glued-punctuation",
    "json-one-line",
    "html-deep-nesting",
    "html-one-paragraph",
    "html-short-paragraphs",
)


def measure_one(kind: str, size: int, shared: Path, entities: bool) -> dict[str, object]:
    """Parse one input of ``kind`` and ``size`` in this process; the outcome as a dict."""
    import newsparse

    pipeline = newsparse.default_pipeline()
    if not entities:
        pipeline.remove("entities")
    newsparse.parse("Warm-up\n\nThe minister said.", pipeline=pipeline, scraped_at=SCRAPED_AT)
    raw, format = build(kind, size, shared)
    started = time.perf_counter()
    try:
        article = newsparse.parse(raw, pipeline=pipeline, format=format, scraped_at=SCRAPED_AT)
        outcome = f"body {len(article.body):,} chars"
    except newsparse.NewsparseError as error:
        outcome = type(error).__name__
    seconds = time.perf_counter() - started
    return {"chars": len(raw), "seconds": seconds, "outcome": outcome}


def run_child(kind: str, size: int, shared: Path, entities: bool) -> dict[str, object]:
    """``measure_one`` in a fresh interpreter, stopped at the time limit."""
    command = [sys.executable, __file__, "--child", kind, str(size), "--shared", str(shared)]
    if not entities:
        command.append("--no-entities")
    limit = time_limit(size)
    try:
        # Interpreter start and warm-up (spaCy, dateparser) are not timed by the child.
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit + 60)
    except subprocess.TimeoutExpired:
        return {"chars": size, "seconds": None, "outcome": f"stopped after {limit + 60:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"chars": size, "seconds": None, "outcome": f"crashed: {last[:60]}"}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated, e.g. 10K,1M")
    parser.add_argument("--inputs", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument(
        "--no-entities", dest="entities", action="store_false", help="drop the entity stage"
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = args.shared / "data" / "aeb-dev" if (args.shared / "data").is_dir() else args.shared
    if args.child:
        result = measure_one(args.child[0], int(args.child[1]), shared, args.entities)
        print(json.dumps(result))
        return
    sizes = [parse_size(size) for size in args.sizes.split(",")]
    print(f"{'input':20} {'chars':>12} {'seconds':>9} {'s/MB':>8} {'limit s':>8}  outcome")
    for kind in args.inputs.split(","):
        for size in sizes:
            result = run_child(kind, size, shared, args.entities)
            seconds = result["seconds"]
            chars = int(str(result["chars"]))
            limit = time_limit(chars)
            if isinstance(seconds, float):
                per_mb = seconds / (chars / 1_000_000)
                verdict = "" if seconds <= limit else "  OVER LIMIT"
                timing = f"{seconds:9.2f} {per_mb:8.2f}"
            else:
                verdict, timing = "", f"{'-':>9} {'-':>8}"
            print(
                f"{kind:20} {chars:12,} {timing} {limit:8.0f}  {result['outcome']}{verdict}",
                flush=True,
            )
            if not isinstance(seconds, float) or seconds > limit:
                print(f"{kind:20} {'(larger sizes skipped)':>12}", flush=True)
                break


if __name__ == "__main__":
    main()
