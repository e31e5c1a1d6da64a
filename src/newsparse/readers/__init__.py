"""Readers: raw input (bytes or str, text or HTML) -> ``Page.raw`` and ``Page.blocks``.

:class:`ReadStage` enforces the size limit, decodes bytes, refuses binary data, repairs
mojibake, detects the format when none was given, hands the text to the matching reader, and
bounds the length of every block. Only the readers know how a format is laid out. What it had
to repair or guess is listed in ``Page.warnings`` and so in ``Article.warnings``.
"""

from __future__ import annotations

import re

from newsparse.document import Page
from newsparse.errors import (
    BinaryInputError,
    EmptyInputError,
    InputTooLargeError,
    PipelineError,
)
from newsparse.readers.decode import (
    Decoded,
    binary_signature,
    decode,
    decode_bytes,
    repair_mojibake,
)
from newsparse.readers.html import MAX_NESTING, looks_like_html, read_html, reset_caches
from newsparse.readers.text import MAX_BLOCKS, bound_blocks, read_text

__all__ = [
    "MAX_BLOCKS",
    "MAX_BLOCK_CHARS",
    "MAX_INPUT_CHARS",
    "MAX_NESTING",
    "ReadStage",
    "decode",
    "decode_bytes",
    "read_html",
    "read_text",
    "repair_mojibake",
    "reset_caches",
]

MAX_INPUT_CHARS = 50_000_000
"""Default input limit (characters or bytes): 50 MB, the largest page a scraper plausibly saves."""

MAX_BLOCK_CHARS = 20_000
"""Default longest block: longer lines (text) or DOM blocks (HTML) are split at whitespace."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
"""Control characters that are not text (tab, line breaks, form feed and escape are)."""
_CONTROL_BYTES = bytes(code for code in range(128) if _CONTROL.match(chr(code)))
"""The same characters as bytes: each is one byte in UTF-8, and no other character has one."""


def _count_controls(utf8: bytes) -> int:
    """How many characters of the UTF-8 text ``utf8`` ``_CONTROL`` matches (a byte count:
    several times faster than the regex)."""
    return len(utf8) - len(utf8.translate(None, _CONTROL_BYTES))


def _decoding_warnings(decoded: Decoded) -> list[str]:
    """What a caller should know about how the bytes were decoded."""
    warnings = []
    if decoded.decided_by == "detected":
        warnings.append(
            f"no charset declared and not UTF-8: decoded as {decoded.encoding} by detection"
        )
    if decoded.declared not in (None, decoded.encoding):
        warnings.append(f"the page declares charset {decoded.declared} but is UTF-8: read as UTF-8")
    if decoded.replaced:
        warnings.append(
            f"{decoded.replaced:,} byte sequence(s) invalid in {decoded.encoding} "
            "were replaced by U+FFFD"
        )
    return warnings


def _limit(name: str, value: int) -> int:
    """``value`` when it is a whole number of at least 1 (what every reader limit must be)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PipelineError(
            f"ReadStage({name}=...) must be a whole number of at least 1, not {value!r}"
        )
    return value


class ReadStage:
    """Stage "read": decode the input and split it into blocks (lines, or DOM blocks).

    Args:
        max_input_chars: larger inputs (in characters, or bytes before decoding) raise
            InputTooLargeError.
        max_block_chars: longer text lines and DOM blocks are split at whitespace into
            several blocks, so no stage works on an unbounded string.
        max_nesting: HTML start and end tags nested deeper are dropped before parsing
            (their text stays), so parsing stays fast on any markup.
        max_blocks: blocks (lines, or DOM blocks) read from a page, so a page of millions of
            tiny lines still parses in seconds. A warning says the rest was not read; in text,
            that rest is also recorded in ``Article.removed`` (reason ``beyond-block-limit``).

    Raises:
        PipelineError: a limit is not a whole number of at least 1.

    Raises (when called):
        InputTooLargeError: the input is over ``max_input_chars``.
        EmptyInputError: it holds no text.
        BinaryInputError: it is a binary format (PDF, image, archive) or no text encoding.
    """

    name = "read"
    requires: tuple[str, ...] = ()
    assigns = ("raw", "blocks")

    def __init__(
        self,
        max_input_chars: int = MAX_INPUT_CHARS,
        max_block_chars: int = MAX_BLOCK_CHARS,
        max_nesting: int = MAX_NESTING,
        max_blocks: int = MAX_BLOCKS,
    ) -> None:
        self.max_input_chars = _limit("max_input_chars", max_input_chars)
        self.max_block_chars = _limit("max_block_chars", max_block_chars)
        self.max_nesting = _limit("max_nesting", max_nesting)
        self.max_blocks = _limit("max_blocks", max_blocks)

    def __call__(self, page: Page) -> Page:
        if len(page.raw_input) > self.max_input_chars:
            raise InputTooLargeError(
                f"the input has {len(page.raw_input):,} characters or bytes; the limit is "
                f"{self.max_input_chars:,} (ReadStage(max_input_chars=...))"
            )
        if isinstance(page.raw_input, bytes):
            decoded = decode_bytes(page.raw_input)
            page.raw, page.encoding = decoded.text, decoded.encoding
            page.warnings.extend(_decoding_warnings(decoded))
        else:
            page.raw = page.raw_input
            if (what := binary_signature(page.raw)) is not None:
                raise BinaryInputError(f"the input is {what} read as text, not a page")
        if not page.raw or page.raw.isspace():
            raise EmptyInputError("the input holds no text")
        repaired = repair_mojibake(page.raw)
        if repaired != page.raw:
            page.warnings.append("mojibake repaired: UTF-8 text had been decoded as cp1252")
            page.raw = repaired
        utf8 = page.raw.encode("utf-8", "ignore")  # (as the HTML parser encodes it)
        if controls := _count_controls(utf8):
            page.warnings.append(
                f"the input holds {controls:,} control character(s) such as NUL: not text"
            )
        if page.format is None:
            page.format = "html" if looks_like_html(page.raw) else "text"
        if page.format == "html":
            read_html(page, self.max_nesting, utf8, self.max_blocks)
            bound_blocks(page, self.max_block_chars)
        else:
            read_text(page, self.max_block_chars, self.max_blocks)
        return page
