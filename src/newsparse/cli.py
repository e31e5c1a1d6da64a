"""Command line: ``newsparse parse FILE... [--scraped-at T] [--jsonl]``.

One file (or ``-`` for stdin) prints the Article as JSON; several files, or ``--jsonl``, print
one JSON record per line, ``{"id": path, "article": {...}}`` or ``{"id": path, "error": {...}}``,
with a progress bar on stderr. ``--time-limit S`` parses pages in worker processes and gives
up on a page after S seconds. Exit status: 0 all parsed, 1 some page failed (or stdout was
closed early, as by ``| head``: then quietly), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsparse.api import parse
from newsparse.batch import PageInput, parse_many
from newsparse.errors import NewsparseError
from newsparse.pipeline import to_datetime


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsparse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("parse", help="parse pages into Articles (JSON)")
    run.add_argument("files", nargs="+", help="page files (text or HTML); - reads stdin")
    run.add_argument("--scraped-at", help="when the pages were fetched (ISO 8601; default now)")
    run.add_argument("--url", help="the page URL (single page only)")
    run.add_argument("--format", choices=("text", "html"), help="input format (default: detect)")
    run.add_argument("--jsonl", action="store_true", help="one JSON record per line")
    run.add_argument("--n-process", type=int, default=1, help="worker processes for batches")
    run.add_argument("--indent", type=int, default=2, help="JSON indent for a single page")
    run.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help="give up on a page after this long (pages then run in worker processes)",
    )
    return parser


def _read(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def _pages(files: Sequence[str], url: str | None = None) -> Iterator[PageInput]:
    for name in files:
        yield (_read(name), {"id": name, "url": url})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsparse`` command."""
    parser = _arguments()
    args = parser.parse_args(argv)
    if args.url and (args.jsonl or len(args.files) > 1):
        parser.error("--url applies to a single page; give each page's URL in a batch via the API")
    try:
        scraped_at = to_datetime(args.scraped_at)
    except NewsparseError as error:
        parser.error(str(error))
    if args.time_limit is not None and not args.time_limit > 0:
        parser.error("--time-limit must be a positive number of seconds")
    try:
        if not args.jsonl and len(args.files) == 1:
            if args.time_limit is None:
                article = parse(
                    _read(args.files[0]), scraped_at=scraped_at, url=args.url, format=args.format
                )
            else:
                (result,) = parse_many(
                    _pages(args.files, args.url),
                    scraped_at=scraped_at,
                    format=args.format,
                    time_limit=args.time_limit,
                )
                if result.article is None:
                    print(f"newsparse: {result.error}", file=sys.stderr)
                    return 1
                article = result.article
            print(article.model_dump_json(indent=args.indent or None))
            return 0
        failed = False
        results = parse_many(
            _pages(args.files),
            scraped_at=scraped_at,
            format=args.format,
            n_process=args.n_process,
            progress=sys.stderr.isatty() or len(args.files) > 1,
            time_limit=args.time_limit,
        )
        for result in results:
            failed = failed or not result.ok
            dropped = {"ok", "error" if result.ok else "article"}
            print(result.model_dump_json(exclude=dropped), flush=True)
        return 1 if failed else 0
    except NewsparseError as error:
        print(f"newsparse: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of stdout went away: point stdout at devnull so that the interpreter's
        # final flush does not fail again, and stop without a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        print(f"newsparse: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
