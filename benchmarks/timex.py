"""Time expressions: newsparse's ``extract_times`` beside dateparser, with the shared scorer.

Runs the TempEval-3-style scorer (``shared/bench/timex.py``: strict and relaxed span F1, value
F1, words/s beside the scorer's own regex baseline timed in the same run) on the shared TIMEX3
development data (``shared/data/timex-dev/tbaq.jsonl``: TimeBank and AQUAINT news, each with
its document creation time), ``shared`` being found beside the repository root unless
``--shared`` says where. The taggers:

- ``newsparse``: :func:`newsparse.extract_times` in English, each document's creation date
  (a date) read as midnight UTC and used as the reference;
- ``peer:dateparser``: dateparser's ``search_dates`` in English, the scorer's adapter.

The development data is for measuring only: rules must generalise (the judged figures come
from held-out TempEval-3 documents), so read the error listing for patterns, never for one
document's wording.

    python benchmarks/timex.py                          # the table
    python benchmarks/timex.py --errors errors.jsonl    # plus newsparse's misses and mistakes
    python benchmarks/timex.py --no-peers --passes 1    # newsparse alone, quickly
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path
from types import ModuleType

from newsparse import extract_times

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en",)
"""The development data is English news."""


def tag(text: str, dct: date) -> list[tuple[int, int, str | None]]:
    """The scorer's tagger: (start, end, TIMEX3 value) of every expression, resolved against
    the document creation date at midnight UTC."""
    reference = datetime.combine(dct, time(), tzinfo=timezone.utc)
    return [(t.start, t.end, t.value) for t in extract_times(text, reference, languages=LANGUAGES)]


def _scorer(shared: Path) -> ModuleType:
    """The shared scorer module (its folder also holds the peers' helper modules)."""
    path = shared / "bench" / "timex.py"
    spec = importlib.util.spec_from_file_location("shared_timex_scorer", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {path}")
    sys.path.insert(0, str(path.parent))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder"
    )
    parser.add_argument("--errors", help="write newsparse's misses and wrong values (JSONL)")
    parser.add_argument("--json", help="write the scorer's full results (JSON)")
    parser.add_argument("--passes", type=int, default=3, help="timing passes (median)")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--no-peers", action="store_true", help="leave dateparser out")
    args = parser.parse_args(argv)

    scorer = _scorer(args.shared)
    data = args.shared / "data" / "timex-dev" / "tbaq.jsonl"
    command = ["--data", str(data), "--passes", str(args.passes)]
    if not args.no_peers:
        command += ["--tagger", "peer:dateparser"]
    command += ["--tagger", "benchmarks/timex.py:tag"]  # last: --errors lists it
    for option, value in (
        ("--errors", args.errors and Path(args.errors).resolve()),
        ("--json", args.json and Path(args.json).resolve()),
        ("--limit", args.limit),
    ):
        if value is not None:
            command += [option, str(value)]
    print(f"data: {data}")
    os.chdir(ROOT)  # the tagger is named by its path from the repository root in the table
    return int(scorer.main(command))


if __name__ == "__main__":
    sys.exit(main())
