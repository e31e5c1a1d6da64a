"""Peak memory over one long stream of pages: it should stop growing once the stream is going.

One ``parse_many`` run over ``--pages`` pages (100,000 by default) of the whole default
pipeline, NER included. The pages are the shared development pages (``shared/data/aeb-dev``,
raw scraped text) in turn, each made unique by a last line with its running number, so the
stream keeps bringing strings spaCy has not seen (a repeated page would hide vocabulary growth).
At each checkpoint (1k, 5k, then every 10k pages) it prints the pages done, the time, pages/s over
the last stretch, and the peak so far of the summed RSS of this process and its workers
(sampled every 50 ms). Time should grow linearly and the peak should stay flat:
newsparse's target is a peak within 10% between 10k and 100k pages. ``--max-chars`` cuts
each page to its head, so that a long stream fits in less time (memory over the stream is what
is measured, not the cost of a page).

    python benchmarks/memory.py                            # 100,000 pages, 2 processes
    python benchmarks/memory.py --pages 20000 --n-process 1 --max-chars 3000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path

from throughput import PeakMemory  # the same sampler as the throughput benchmark

import newsparse

ROOT = Path(__file__).resolve().parent.parent
SCRAPED_AT = "2025-06-21T18:00:00Z"


def unique_pages(
    shared: Path, count: int, max_chars: int | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """``count`` development pages in turn (each cut to ``max_chars``), each ending with a
    line of its own number."""
    folder = shared / "data" / "aeb-dev" / "text"
    pages = [
        (p.stem, p.read_text(encoding="utf-8")[:max_chars]) for p in sorted(folder.glob("*.txt"))
    ]
    if not pages:
        raise SystemExit(f"no development pages in {folder} (use --shared)")
    for n, (page_id, raw) in enumerate(islice(cycle(pages), count)):
        yield f"{raw}\n\nReference {n:07d}-{page_id}.\n", {"id": f"{n}:{page_id}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-chars", type=int, help="cut each page to this many characters")
    args = parser.parse_args(argv)

    checkpoints = {1_000, 5_000, *range(10_000, args.pages, 10_000), args.pages}
    print(
        f"{args.pages:,} pages (cut to {args.max_chars or 'all'} characters), "
        f"n_process={args.n_process}, batch_size={args.batch_size}, "
        f"newsparse {newsparse.__version__}, {os.cpu_count()} cores"
    )
    print(f"{'pages':>9}  {'seconds':>8}  {'pages/s (stretch)':>17}  {'peak RSS MB':>11}  failed")
    done = failed = 0
    started = last_time = time.perf_counter()
    last_done = 0
    with PeakMemory() as memory:
        for result in newsparse.parse_many(
            unique_pages(args.shared.resolve(), args.pages, args.max_chars),
            scraped_at=SCRAPED_AT,
            n_process=args.n_process,
            batch_size=args.batch_size,
        ):
            done += 1
            failed += not result.ok
            if done in checkpoints:
                now = time.perf_counter()
                speed = (done - last_done) / (now - last_time)
                print(
                    f"{done:>9,}  {now - started:>8.0f}  {speed:>17.1f}  "
                    f"{memory.peak / 2**20:>11.0f}  {failed}",
                    flush=True,
                )
                last_done, last_time = done, now
    return 0


if __name__ == "__main__":
    sys.exit(main())
