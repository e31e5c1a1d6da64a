"""Coverage-guided fuzzing of ``newsparse.parse`` with atheris (libFuzzer for Python).

Each input is split by its first byte: the format hint (text, HTML, or detected) and whether
the rest is passed as bytes or decoded str. ``parse`` must return an Article or raise a
``NewsparseError``; any other exception, or a page taking more CPU time than the robustness
bound (max(10 s, 2 s per MB)), is a finding: libFuzzer saves the input as ``crash-<sha1>``.

    python fuzz/fuzz_parse.py -atheris_runs=100000 fuzz/corpus        # default pipeline
    NEWSPARSE_FUZZ_ENTITIES=1 python fuzz/fuzz_parse.py -max_total_time=600 fuzz/corpus

The default pipeline runs without the entity stage (spaCy costs milliseconds per input and
its robustness is spaCy's); ``NEWSPARSE_FUZZ_ENTITIES=1`` keeps it. See fuzz/README.md.
"""

from __future__ import annotations

import os
import sys
import time

import atheris

with atheris.instrument_imports(include=["newsparse"]):
    import newsparse
    from newsparse.api import to_datetime

    # The stages are imported by default_pipeline(): inside this block, so they are
    # instrumented for coverage too.
    PIPELINE = newsparse.default_pipeline()

if os.environ.get("NEWSPARSE_FUZZ_ENTITIES") != "1":
    PIPELINE.remove("entities")
SCRAPED_AT = to_datetime("2025-06-21T18:00:00Z")
FORMATS = (None, "text", "html")


def time_bound(size: int) -> float:
    """The robustness target for one page: max(10 s, 2 s per MB)."""
    return max(10.0, 2.0 * size / 1_000_000)


def test_one_input(data: bytes) -> None:
    """Parse one fuzzer input; anything but an Article or a NewsparseError is a finding."""
    if not data:
        return
    control, payload = data[0], data[1:]
    format = FORMATS[control % 3]
    raw: str | bytes = payload if control & 4 else payload.decode("utf-8", errors="replace")
    started = time.process_time()  # CPU time: on a loaded machine, wall time is not the page's
    try:
        article = PIPELINE(raw, scraped_at=SCRAPED_AT, format=format)
    except newsparse.NewsparseError:
        return
    elapsed = time.process_time() - started
    if elapsed > time_bound(len(payload)):
        raise TimeoutError(f"{elapsed:.1f} s of CPU for {len(payload):,} bytes")
    for paragraph in article.paragraphs:
        if article.body[paragraph.start : paragraph.end] != paragraph.text:
            raise AssertionError(f"paragraph offsets do not index the body: {paragraph}")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
