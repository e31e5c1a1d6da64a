"""Text reader: one block per non-blank line, each with its span in the decoded input.

A line longer than ``max_block_chars`` (a minified JSON blob, a page without line breaks) is
split at whitespace into several blocks, so no later stage ever works on an unbounded string.
"""

from __future__ import annotations

import re

from newsparse.document import Block, Page

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


def read_text(page: Page, max_block_chars: int = 20_000) -> Page:
    """Split ``page.raw`` into line blocks (blank lines are layout, not text)."""
    blocks: list[Block] = []
    for number, match in enumerate(_LINE.finditer(page.raw)):
        if match.group().isspace():
            continue
        for start, end in _pieces(match.start(), match.end(), page.raw, max_block_chars):
            blocks.append(
                Block(
                    text=page.raw[start:end], raw_start=start, raw_end=end, hints={"line": number}
                )
            )
    page.blocks = blocks
    return page
