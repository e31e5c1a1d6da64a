"""Text reader: one block per non-blank line, each with its span in the decoded input."""

from __future__ import annotations

import re

from newsparse.document import Block, Page

_LINE = re.compile(r"[^\r\n]+")


def read_text(page: Page) -> Page:
    """Split ``page.raw`` into line blocks (blank lines are layout, not text)."""
    page.blocks = [
        Block(text=m.group(), raw_start=m.start(), raw_end=m.end(), hints={"line": n})
        for n, m in enumerate(_LINE.finditer(page.raw))
        if not m.group().isspace()
    ]
    return page
