"""Bytes -> str: BOM, then UTF-8, then charset detection; mojibake repaired; binary refused."""

from __future__ import annotations

import codecs

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


def _looks_binary(data: bytes) -> bool:
    head = data[:_SNIFF]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return b"\x00" in head or controls > len(head) * 0.05


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 ("CafÃ©" -> "Café") when ftfy finds it unambiguous.

    Only the encoding is fixed (no other ftfy rewrites), and only when a sample looks broken,
    so clean text is returned unchanged and unexamined beyond the sample.
    """
    if not is_bad(text[:_SNIFF]):
        return text
    return ftfy.fix_encoding(text)


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``, returning the text and the encoding used.

    Raises:
        EmptyInputError: ``data`` is empty.
        BinaryInputError: ``data`` is not text in any encoding.
    """
    if not data.strip():
        raise EmptyInputError("the input is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if _looks_binary(data):
        raise BinaryInputError("the input is binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: _SNIFF * 4]).best()
    if best is None or best.encoding is None:
        raise BinaryInputError("the input's encoding could not be detected")
    return data.decode(best.encoding, errors="replace"), best.encoding
