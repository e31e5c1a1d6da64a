"""Readers: raw input (bytes or str, text or HTML) -> ``Page.raw`` and ``Page.blocks``.

:class:`ReadStage` decodes bytes, detects the format when none was given, and hands the text
to the matching reader. Only the readers know how a format is laid out.
"""

from __future__ import annotations

from newsparse.document import Page
from newsparse.errors import EmptyInputError
from newsparse.readers.decode import decode
from newsparse.readers.html import looks_like_html, read_html
from newsparse.readers.text import read_text

__all__ = ["ReadStage", "decode", "read_html", "read_text"]


class ReadStage:
    """Stage "read": decode the input and split it into blocks (lines, or DOM blocks)."""

    name = "read"
    requires: tuple[str, ...] = ()
    assigns = ("raw", "blocks")

    def __call__(self, page: Page) -> Page:
        if isinstance(page.raw_input, bytes):
            page.raw, page.encoding = decode(page.raw_input)
        else:
            page.raw = page.raw_input
        if not page.raw.strip():
            raise EmptyInputError("the input holds no text")
        if page.format is None:
            page.format = "html" if looks_like_html(page.raw) else "text"
        if page.format == "html":
            read_html(page)
        else:
            read_text(page)
        return page
