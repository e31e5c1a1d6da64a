"""Bytes -> str: BOM, declared charset, UTF-8, then detection; mojibake repaired; binary refused.

The order is the one browsers follow, so a page reads as it displayed: a byte-order mark wins,
then the charset the page declares (``<meta charset>``, ``<meta http-equiv="Content-Type">`` or
an XML declaration in its first 4 KB), then strict UTF-8, then statistical detection. Every
decode uses ``errors="replace"``, so no UnicodeDecodeError ever reaches the caller; how many
bytes were replaced is reported so the reader can warn about it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import is_bad

from newsparse.errors import BinaryInputError, EmptyInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF = 65536
"""Bytes (or characters) examined to decide; enough for a verdict, cheap on huge inputs."""

_DECLARATION_WINDOW = 4096
"""Where a charset declaration counts: the HTML standard's prescan reads the first 1024 bytes;
4 KB also finds declarations behind a long ``<head>`` of scripts, as lenient parsers do."""

_DECLARED_CHARSET = re.compile(
    rb"""<meta\s[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
    rb"""|<\?xml\s[^>]{0,256}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
"""``<meta charset=...>``, the ``charset=`` of ``<meta http-equiv content=...>``, or an XML
declaration's ``encoding``. Every repetition is bounded, so a scan costs linear time."""

_LEGACY_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
"""Codecs (by Python name) the HTML standard reads as windows-1252: servers say latin-1 or
ascii, pages hold cp1252's curly quotes and dashes."""

_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF file (WebP image, WAV audio)"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\x7fELF", "an executable"),
)
"""Magic numbers of formats that are never a web page's text, with what to tell the caller."""

_MAX_CONTROL_SHARE = 0.05
"""More control characters than this (NUL and the C0 set except tab, line and page breaks) in
the sniffed head means binary: text has at most a stray one, binary formats have plenty."""

_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")
"""C0 bytes that occur in text: tab, line feed, form feed, carriage return, and the escape
that starts terminal colour codes in scraped logs."""

_NON_TEXT_CONTROLS = bytes(code for code in range(32) if code not in _TEXT_CONTROLS)

DecodedBy = Literal["bom", "declared", "utf-8", "detected"]


@dataclass(frozen=True)
class Decoded:
    """Decoded input: its text, the encoding used, how that encoding was chosen, and how many
    byte sequences could not be decoded and became U+FFFD."""

    text: str
    encoding: str
    decided_by: DecodedBy
    replaced: int
    declared: str | None = None
    """The charset the input declared, also when it was overruled (a mislabelled UTF-8 page)."""


def binary_signature(head: str | bytes) -> str | None:
    """What binary format ``head`` (the start of an input) is, by its magic number, or None.

    A str is checked too: a scraper that decoded a PDF as Latin-1 keeps its ``%PDF-`` header.
    A magic number of printable characters only (``%PDF-``, ``GIF89a``, ``RIFF``) counts only
    when control characters follow, so a text page that starts with "RIFF" stays a page.
    """
    start = head[:16].encode("latin-1", errors="replace") if isinstance(head, str) else head[:16]
    for magic, what in _BINARY_SIGNATURES:
        printable_magic = all(0x20 <= byte < 0x7F for byte in magic)
        if start.startswith(magic) and (not printable_magic or control_share(head[:_SNIFF])):
            return what
    return None


def control_share(head: str | bytes) -> float:
    """The share of ``head`` that is control characters no text contains (see
    ``_TEXT_CONTROLS``): the measure of how binary an input looks."""
    if not head:
        return 0.0
    # A control character is one byte in UTF-8, and no other character encodes to one.
    data = head if isinstance(head, bytes) else head.encode("utf-8", "surrogatepass")
    controls = len(data) - len(data.translate(None, _NON_TEXT_CONTROLS))
    return controls / len(head)


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NUL bytes sit at one parity only and the head so
    decoded is text (ASCII-range text in UTF-16 without a byte-order mark), else None."""
    even, odd = head[0::2], head[1::2]
    pairs = min(len(even), len(odd))
    if pairs < 2:
        return None
    if odd.count(0) > 0.4 * pairs and even.count(0) == 0:
        candidate = "utf-16-le"
    elif even.count(0) > 0.4 * pairs and odd.count(0) == 0:
        candidate = "utf-16-be"
    else:
        return None
    text = head[: len(head) // 2 * 2].decode(candidate, errors="replace")
    return candidate if control_share(text) <= _MAX_CONTROL_SHARE else None


def declared_charset(data: bytes) -> str | None:
    """The charset ``data`` declares in its first 4 KB, as a Python codec name, or None when
    there is no declaration or it names no ASCII-compatible text encoding (a page that can
    state its charset in ASCII cannot be UTF-16, and ``rot13`` is no text encoding)."""
    found = _DECLARED_CHARSET.search(data, 0, _DECLARATION_WINDOW)
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _LEGACY_ALIASES.get(name, name)
    probe = "<meta charset=x>"
    try:
        if probe.encode("ascii").decode(name) != probe:
            return None
    except (LookupError, UnicodeDecodeError):
        return None
    return name


def _strict_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8, or None if it is not valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decoded(data: bytes, encoding: str, decided_by: DecodedBy) -> Decoded:
    """``data`` decoded leniently; ``replaced`` counts the U+FFFD of a decode that failed
    strictly (a literal U+FFFD in such an input counts too: an upper bound is enough to warn)."""
    try:
        return Decoded(data.decode(encoding), encoding, decided_by, 0)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, decided_by, text.count("\ufffd"))


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``: byte-order mark, declared charset, strict UTF-8, detection, in order.

    Text whose valid multi-byte UTF-8 sequences outnumber its invalid bytes is UTF-8 with some
    corruption (a truncated download, a stray byte), not a legacy encoding, where valid
    sequences are rare: it is decoded as UTF-8 with the invalid bytes replaced.

    A declared charset other than UTF-8 gives way when the bytes are valid UTF-8 with
    multi-byte sequences: that is a mislabelled UTF-8 page (a common server default; legacy
    multi-byte text is practically never valid UTF-8), and reading it as declared would only
    make mojibake to repair afterwards.

    Raises:
        EmptyInputError: ``data`` is empty or only whitespace.
        BinaryInputError: ``data`` is a known binary format or not text in any encoding.
    """
    if not data.strip():
        raise EmptyInputError("the input is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data, encoding, "bom")
    if (what := binary_signature(data)) is not None:
        raise BinaryInputError(f"the input is {what}, not text")
    head = data[:_SNIFF]
    if b"\x00" in head and (utf16 := _utf16_without_bom(head)) is not None:
        return _decoded(data, utf16, "detected")
    if control_share(head) > _MAX_CONTROL_SHARE:
        raise BinaryInputError("the input is binary data, not text")
    declared = declared_charset(data)
    as_utf8 = _strict_utf8(data)
    mislabelled = declared not in (None, "utf-8") and as_utf8 is not None and not data.isascii()
    if declared is not None and not mislabelled:
        return _decoded(data, declared, "declared")
    if as_utf8 is not None:
        return Decoded(as_utf8, "utf-8", "utf-8", 0, declared)
    lenient = data.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    if non_ascii - replaced > replaced:
        return Decoded(lenient, "utf-8", "utf-8", replaced, declared)
    best = from_bytes(data[: _SNIFF * 4]).best()
    if best is None or best.encoding is None:
        raise BinaryInputError("the input's encoding could not be detected")
    return _decoded(data, best.encoding, "detected")


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``, returning the text and the encoding used (see :func:`decode_bytes`).

    Raises:
        EmptyInputError: ``data`` is empty.
        BinaryInputError: ``data`` is not text in any encoding.
    """
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
"""A UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same way:
the trace every UTF-8 mojibake leaves. Text without one is not examined by ftfy at all."""


def _utf8_alternation(chars: list[str]) -> bytes:
    """A bytes regex matching the UTF-8 encoding of any of ``chars``."""
    return b"|".join(re.escape(char.encode("utf-8")) for char in chars)


_MOJIBAKE_LEADS, _MOJIBAKE_TRAILS = (
    [char for char in map(chr, range(0x2200)) if part.match(char)]  # all are below U+2200
    for part in map(re.compile, re.findall(r"\[[^]]*\]", _MOJIBAKE_PAIR.pattern))
)
_MOJIBAKE_PAIR_UTF8 = re.compile(
    b"(?:%s)(?:%s)" % (_utf8_alternation(_MOJIBAKE_LEADS), _utf8_alternation(_MOJIBAKE_TRAILS))
)
"""``_MOJIBAKE_PAIR`` over the UTF-8 encoding of a text (a byte scan, several times faster; the
encodings of the leads all start with the byte C3, which no other character's encoding holds
but at its start, so a match is a match of the text)."""


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 ("CafÃ©" -> "Café") when ftfy finds it unambiguous.

    Only the encoding is fixed (no other ftfy rewrites), and only when a sample looks broken,
    so clean text is returned unchanged and unexamined beyond the sample. Then only the lines
    bearing the trace go through ftfy (as its ``fix_text`` does, line by line): ftfy's cost
    grows with the text it is given, and a page often has a few broken lines in much markup.
    """
    sample = text[:_SNIFF]
    if (
        sample.isascii()
        or _MOJIBAKE_PAIR_UTF8.search(sample.encode("utf-8", "surrogatepass")) is None
        or not is_bad(sample)
    ):
        return text
    return "".join(
        ftfy.fix_encoding(line) if _MOJIBAKE_PAIR.search(line) else line
        for line in text.splitlines(keepends=True)
    )
