"""Text reader: one block per non-blank line, each with its span in the decoded input.

A line longer than ``max_block_chars`` (a minified JSON blob, a page without line breaks) is
split at whitespace into several blocks, so no later stage ever works on an unbounded string;
:func:`bound_blocks` does the same for the blocks of any reader. Only the first ``max_blocks``
lines are read (the HTML reader stops at as many blocks): the work per block is what it is, so
a page of millions of one-word lines would otherwise take minutes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice

from newsparse.document import Block, Page
from newsparse.models import Removal

MAX_BLOCKS = 20_000
"""Default most blocks read from a page: news pages have a few thousand lines at most."""

_LINE = re.compile(r"[^\r\n]+")


def _pieces(start: int, end: int, text: str, limit: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into spans of at most ``limit`` chars, at whitespace if any."""
    spans: list[tuple[int, int]] = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut + 1 if cut > start else start + limit
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def _piece_hints(hints: dict[str, object], start: int, end: int) -> dict[str, object]:
    """A block's hints for its piece ``[start, end)``: inline hint spans clipped and rebased."""
    spans = hints.get("inline_hints")
    if not isinstance(spans, list):
        return dict(hints)
    clipped = [
        (max(a, start) - start, min(b, end) - start, hint)
        for a, b, hint in spans
        if min(b, end) > max(a, start)
    ]
    piece = {key: value for key, value in hints.items() if key != "inline_hints"}
    if clipped:
        piece["inline_hints"] = clipped
    return piece


def bound_blocks(page: Page, limit: int) -> Page:
    """Split each block of ``page`` longer than ``limit`` characters at whitespace into pieces
    of at most ``limit``, and say so in ``page.warnings``: stages then never see an unbounded
    string, whatever the reader. Only fresh reader blocks (``text == raw[raw_start:raw_end]``,
    no labels yet) are expected."""
    if all(len(block.text) <= limit for block in page.blocks):
        return page  # (the common case, checked fast)
    bounded: list[Block] = []
    split = 0
    for block in page.blocks:
        if len(block.text) <= limit:
            bounded.append(block)
            continue
        split += 1
        for start, end in _pieces(0, len(block.text), block.text, limit):
            bounded.append(
                replace(
                    block,
                    text=block.text[start:end],
                    raw_start=block.raw_start + start,
                    raw_end=block.raw_start + end,
                    hints=_piece_hints(block.hints, start, end),
                )
            )
    if split:
        page.warnings.append(
            f"{split} line(s) longer than {limit:,} characters were split into blocks "
            "(ReadStage(max_block_chars=...))"
        )
    page.blocks = bounded
    return page


def _drop_unread(page: Page, start: int, limit: int) -> None:
    """Record ``page.raw`` from ``start`` on, all after the first ``limit`` blocks, as removed
    without being read, and warn."""
    end = len(page.raw.rstrip())
    page.removals.append(
        Removal(
            text=page.raw[start:end],
            start=start,
            end=end,
            reason="beyond-block-limit",
            stage="read",
            detail=f"only the first {limit:,} blocks of a page are read",
        )
    )
    page.warnings.append(
        f"the page has more than {limit:,} blocks: the {end - start:,} characters after them "
        "were not read (ReadStage(max_blocks=...))"
    )


def read_text(page: Page, max_block_chars: int = 20_000, max_blocks: int = MAX_BLOCKS) -> Page:
    """Split ``page.raw`` into line blocks (blank lines are layout, not text); lines longer
    than ``max_block_chars`` become several blocks (see :func:`bound_blocks`). Lines after
    the first ``max_blocks`` are recorded in ``page.removals`` as removed unread, with a warning."""
    lines = (
        (n, match)
        for n, match in enumerate(_LINE.finditer(page.raw))
        if not match.group().isspace()
    )
    page.blocks = [
        Block(match.group(), *match.span(), hints={"line": n})
        for n, match in islice(lines, max_blocks)
    ]
    if (unread := next(lines, None)) is not None:
        _drop_unread(page, unread[1].start(), max_blocks)
    return bound_blocks(page, max_block_chars)
