"""Readers: raw input (bytes or str, text or HTML) -> ``Page.raw`` and ``Page.blocks``.

:class:`ReadStage` decodes bytes, repairs mojibake, enforces the size limit, detects the format
when none was given, and hands the text to the matching reader. Only the readers know how a
format is laid out.
"""

from __future__ import annotations

from newsparse.document import Page
from newsparse.errors import EmptyInputError, InputTooLargeError
from newsparse.readers.decode import decode, repair_mojibake
from newsparse.readers.html import looks_like_html, read_html
from newsparse.readers.text import read_text

__all__ = ["ReadStage", "decode", "read_html", "read_text", "repair_mojibake"]

MAX_INPUT_CHARS = 50_000_000
"""Default input limit (characters or bytes): 50 MB, the largest page a scraper plausibly saves."""

MAX_BLOCK_CHARS = 20_000
"""Default longest block: longer lines are split at whitespace."""


class ReadStage:
    """Stage "read": decode the input and split it into blocks (lines, or DOM blocks).

    Args:
        max_input_chars: larger inputs raise InputTooLargeError.
        max_block_chars: longer text lines are split into several blocks.
    """

    name = "read"
    requires: tuple[str, ...] = ()
    assigns = ("raw", "blocks")

    def __init__(
        self, max_input_chars: int = MAX_INPUT_CHARS, max_block_chars: int = MAX_BLOCK_CHARS
    ) -> None:
        self.max_input_chars = max_input_chars
        self.max_block_chars = max_block_chars

    def __call__(self, page: Page) -> Page:
        if len(page.raw_input) > self.max_input_chars:
            raise InputTooLargeError(
                f"the input has {len(page.raw_input):,} characters or bytes; the limit is "
                f"{self.max_input_chars:,} (ReadStage(max_input_chars=...))"
            )
        if isinstance(page.raw_input, bytes):
            page.raw, page.encoding = decode(page.raw_input)
        else:
            page.raw = page.raw_input
        if not page.raw.strip():
            raise EmptyInputError("the input holds no text")
        page.raw = repair_mojibake(page.raw)
        if page.format is None:
            page.format = "html" if looks_like_html(page.raw) else "text"
        if page.format == "html":
            read_html(page)
        else:
            read_text(page, self.max_block_chars)
        return page
