"""Stage "normalize": canonical block text, glued UI labels split apart, the page language.

Every block's text becomes Unicode NFC without invisible characters and with single spaces,
while ``Block.char_map`` keeps the raw offset of each character, so every character still
traces to ``Page.raw``. Scrapers glue an icon's label or a publisher name to the value printed
after it ("timean hour ago", "NDTVa day ago") and image alt slugs to each other
("app-storeplay-store"); those are split here.

A dropped label prefix ("time") is kept on ``Block.label`` *and* recorded in ``Page.removals``
(reason "ui-label"), so the text is neither silently lost nor left in the value. A block left
with no visible character is dropped from the page like a blank line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from newsparse.document import Block, Page
from newsparse.lexicon import load_data, phrase_alternation
from newsparse.models import Removal
from newsparse.textshape import SLUG, STOPWORDS

_BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_INVISIBLE = frozenset(
    chr(code) for code in (0x00AD, 0x180E, 0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF)
) | frozenset(chr(code) for code in _BIDI_CONTROLS)
"""Characters with no visible form that scrapers leave in text: soft hyphen, zero-width space,
word joiner, BOM, bidi marks. ZWJ and ZWNJ are kept: they change how Indic, Persian and emoji
text is spelt."""

_HANGUL_VOWELS_AND_FINALS = range(0x1160, 0x1200)
_JOINERS = "\u200c\u200d"
"""Zero-width (non-)joiners: kept inside words, where they change spelling, but a line of
nothing else holds no text."""
_MAX_LABELLED_LENGTH = 80
_MAX_TIME_PHRASE_LENGTH = 40
"""Relative-time phrases are looked for in the last characters of a block only."""
"""Glued labels are looked for only in short blocks: a label sits beside a short value."""
_LETTERS = re.compile(r"[^\W\d_]+")
_LANGUAGE_SAMPLE_WORDS = 5000
_LANGUAGE_CHUNK_CHARS = 20_000
"""Characters of a page's text folded into words at once while sampling its first words."""
_MAX_REPLACED_CHARS = 16
"""Most distinct non-letters outside ASCII blanked one replace each (more: one translate)."""
_ASCII = bytes(range(128))
_ASCII_LETTERS_LOWERED = bytes(
    (ord(chr(byte).lower()) if chr(byte).isalpha() else ord(" ")) if byte < 128 else byte
    for byte in range(256)
)
"""Lowers the ASCII letters of UTF-8 text and blanks its other ASCII characters; the bytes of
the other characters are kept."""
_MIN_LANGUAGE_HITS = 3
_MIN_LANGUAGE_DENSITY = 0.05


def _relative_time_regex(languages: dict[str, dict[str, list[str]]]) -> re.Pattern[str]:
    """One pattern matching a relative-time phrase of any listed language at the end of a text.

    Units of one or two letters ("h", "min") need a numeric quantity, so "Tom ago" is no time.
    """
    alternatives: list[str] = []
    for entry in languages.values():
        long_units = [u for u in entry["units"] if len(u) > 2]
        short_units = [u for u in entry["units"] if len(u) <= 2]
        # (?<!\d): a digit run is tried once, from its first digit, not from each of its digits.
        quantity = rf"(?:(?<!\d)\d+|{phrase_alternation(entry['quantities'])})"
        amount = rf"(?:(?:{quantity})\s*)?(?:{phrase_alternation(long_units)})"
        if short_units:
            amount = rf"(?:{amount}|(?<!\d)\d+\s*(?:{phrase_alternation(short_units)}))"
        if entry["before"]:
            alternatives.append(rf"(?:{phrase_alternation(entry['before'])})\s+{amount}")
        if entry["after"]:
            alternatives.append(rf"{amount}\s+(?:{phrase_alternation(entry['after'])})")
        alternatives.append(phrase_alternation(entry["words"]))
    return re.compile(rf"(?:{'|'.join(alternatives)})(?!\w)[\s.]*\Z", re.IGNORECASE)


def _languages(name: str) -> dict[str, Any]:
    """The per-language entries of a data file (keys starting with "_" are its notes)."""
    return {k: v for k, v in load_data(name).items() if not k.startswith("_")}


_TIME_PHRASES: dict[str, dict[str, list[str]]] = _languages("relative_time.json")
_RELATIVE_TIME = _relative_time_regex(_TIME_PHRASES)
_TIME_SPACED_WORDS = frozenset(
    word.casefold()
    for entry in _TIME_PHRASES.values()
    for phrase in entry["after"] + [u for u in entry["units"] if len(u) <= 2]
    for word in _LETTERS.findall(phrase)[-1:]
)
"""Words a relative-time phrase can end with that the phrase separates from the word before
("3 days ago", "5h"): the last letters of the text must be the word itself."""
_TIME_GLUED_WORDS = tuple(
    word.casefold()
    for entry in _TIME_PHRASES.values()
    for phrase in entry["words"] + [u for u in entry["units"] if len(u) > 2]
    for word in _LETTERS.findall(phrase)[-1:]
)
"""Words a relative-time phrase can end with that a scraper may glue to the word before
("NDTVyesterday"): the last letters of the text must end with the word."""
_UI_LABELS = frozenset(
    label for labels in _languages("ui_labels.json").values() for label in labels
)
_LANGUAGES_OF = {
    word: [lang for lang, words in STOPWORDS.items() if word in words]
    for word in set().union(*STOPWORDS.values())
}


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text and, for each of its characters, the raw offset it came from."""

    text: str
    offsets: Sequence[int]
    end: int
    """Raw offset just past the last raw character the text covers."""

    def slice(self, start: int, end: int) -> NormalizedText:
        """The part ``text[start:end]``, stripped of spaces at both ends."""
        while start < end and self.text[start] == " ":
            start += 1
        while end > start and self.text[end - 1] == " ":
            end -= 1
        stop = self.end if end == len(self.text) else self.offsets[end]
        return NormalizedText(self.text[start:end], self.offsets[start:end], stop)


_HIDDEN = "".join(sorted(_INVISIBLE)) + "".join(
    char for char in map(chr, [*range(0x20), *range(0x7F, 0xA0)]) if not char.isspace()
)
"""Characters normalisation drops: the invisible ones and the controls (category Cc) that are
not whitespace."""
_HIDDEN_CLASS = "".join(map(re.escape, _HIDDEN))
_IRREGULAR = re.compile(rf"[\s{_HIDDEN_CLASS}]{{2,}}|[{_HIDDEN_CLASS}]|[^\S ]|\A | \Z")
"""A run of whitespace and hidden characters that normalisation changes: every run but a lone
space between two visible characters (``\\s`` is ``str.isspace``)."""
_WHITESPACE = re.compile(r"\s")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _visible_chars(text: str, offsets: Sequence[int]) -> tuple[str, list[int], int]:
    """``text`` without hidden characters, every whitespace run one space (at the offset of its
    first whitespace character), ends stripped; the raw offset of each character; and the
    index in ``text`` just past its last visible character.

    Only the irregular runs are visited: the text between them is kept a slice at a time.
    """
    parts: list[str] = []
    kept: list[int] = []
    cursor = 0
    last_end = len(text)
    for run in _IRREGULAR.finditer(text):
        start, end = run.span()
        parts.append(text[cursor:start])
        kept.extend(offsets[cursor:start])
        cursor = end
        if end == len(text):
            last_end = start
        elif start and (space := _WHITESPACE.search(text, start, end)) is not None:
            parts.append(" ")
            kept.append(offsets[space.start()])
    parts.append(text[cursor:])
    kept.extend(offsets[cursor:])
    return "".join(parts), kept, last_end


def _continues_cluster(previous: str, char: str) -> bool:
    """True when NFC may combine ``char`` with the character before it."""
    if unicodedata.combining(char) or ord(char) in _HANGUL_VOWELS_AND_FINALS:
        return True
    return len(unicodedata.normalize("NFC", previous + char)) < 2


def _compose(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """NFC over ``text``; a composed character maps to the raw character it starts with.

    An ASCII character never combines with the one before it, so only the runs of other
    characters (with the character before each, which a mark may combine with) are examined.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, offsets
    parts: list[str] = []
    composed: list[int] = []
    cursor = 0
    for run in _NON_ASCII.finditer(text):
        start = max(run.start() - 1, 0)
        parts.append(text[cursor:start])
        composed.extend(offsets[cursor:start])
        cluster_start = start
        for index in range(start + 1, run.end() + 1):
            if index < run.end() and _continues_cluster(text[index - 1], text[index]):
                continue
            _compose_cluster(text, offsets, cluster_start, index, parts, composed)
            cluster_start = index
        cursor = run.end()
    parts.append(text[cursor:])
    composed.extend(offsets[cursor:])
    return "".join(parts), composed


def _compose_cluster(
    text: str, offsets: list[int], start: int, end: int, parts: list[str], composed: list[int]
) -> None:
    """Append NFC of the cluster ``text[start:end]`` to ``parts`` and the raw offset of each of
    its characters to ``composed``: that of the raw character with the same base letter."""
    raw = text[start:end]
    nfc = unicodedata.normalize("NFC", raw)
    parts.append(nfc)
    if nfc == raw:
        composed.extend(offsets[start:end])
        return
    for char in nfc:
        base = unicodedata.normalize("NFD", char)[:1]
        composed.append(
            next(
                (
                    offsets[index]
                    for index in range(start, end)
                    if unicodedata.normalize("NFD", text[index])[:1] == base
                ),
                offsets[start],
            )
        )


def normalize_text(text: str, offsets: Sequence[int], end: int) -> NormalizedText:
    """Normalise ``text`` (NFC, no invisible characters, single spaces, stripped).

    Args:
        text: the text as read.
        offsets: the raw offset of each character of ``text``.
        end: the raw offset just past ``text``.

    Returns:
        The normalised text with the raw offset of each of its characters.

    Example:
        >>> raw = " Cafe\\u0301\\u00a0 au\\u200b lait"
        >>> normalize_text(raw, list(range(len(raw))), len(raw)).text
        'Café au lait'
    """
    if _is_clean(text):
        return NormalizedText(text, offsets, end)
    visible, kept, last_end = _visible_chars(text, offsets)
    if not visible:
        return NormalizedText("", [], end)
    after_last = bisect_right(offsets, offsets[last_end - 1])
    stop = offsets[after_last] if after_last < len(offsets) else end
    composed, composed_offsets = _compose(visible, kept)
    return NormalizedText(composed, composed_offsets, stop)


def _is_clean(text: str) -> bool:
    """True when normalising would not change ``text`` (the common case, checked fast).

    Invisible characters and every whitespace but the ASCII space are not printable.
    """
    return (
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and unicodedata.is_normalized("NFC", text)
    )


def _may_end_with_time(text: str) -> bool:
    """Cheap test before the relative-time regex: the last letters of ``text`` (before spaces
    and dots) are, or end with, a word a relative-time phrase can end with."""
    stripped = text.rstrip(" .")
    if not stripped[-1:].isalpha():  # (no letter last: the common case, told at once)
        return False
    start = len(stripped) - 1
    while start and stripped[start - 1].isalpha():
        start -= 1
    last = stripped[start:].casefold()
    return last in _TIME_SPACED_WORDS or last.endswith(_TIME_GLUED_WORDS)


def glued_time_start(text: str) -> int | None:
    """Where a relative-time phrase glued to a word before it starts ("NDTVa day ago" -> 4).

    Returns:
        The index of the phrase, or None when the text does not end with a relative time
        that follows a letter without a space.
    """
    if len(text) > _MAX_LABELLED_LENGTH or not _may_end_with_time(text):
        return None
    offset = max(0, len(text) - _MAX_TIME_PHRASE_LENGTH)
    match = _RELATIVE_TIME.search(text, offset)
    if match is None or match.start() == offset or not text[match.start() - 1].isalpha():
        return None
    return match.start()


def _label_length(text: str, time_start: int | None) -> int:
    """Length of a known UI label glued in front of a number or of the relative time starting
    at ``time_start`` (``glued_time_start`` of the text), else 0."""
    if len(text) > _MAX_LABELLED_LENGTH:
        return 0
    if time_start is not None:
        prefix = text[:time_start]
        is_icon_name = prefix.isalpha() and prefix.islower() and len(prefix) <= 12
        return time_start if prefix.casefold() in _UI_LABELS or is_icon_name else 0
    head = _LETTERS.match(text)
    if head is None or head.end() == len(text) or not text[head.end()].isdigit():
        return 0
    return head.end() if head.group().casefold() in _UI_LABELS else 0


def glued_slug_ends(text: str) -> list[int]:
    """End of each slug in image-alt slugs glued together ("app-storeplay-store" -> [9, 19]).

    Returns:
        The end offsets when ``text`` is two or more slugs sharing their last "-part",
        else an empty list.
    """
    if len(text) > _MAX_LABELLED_LENGTH or SLUG.fullmatch(text) is None:
        return []
    suffix = text[max(text.rfind("-"), text.rfind("_")) :]
    ends: list[int] = []
    cursor = 0
    while cursor < len(text):
        found = text.find(suffix, cursor + 1)
        if found < 0:
            return []
        cursor = found + len(suffix)
        ends.append(cursor)
    return ends if len(ends) >= 2 else []


def _glued_parts(text: str) -> tuple[tuple[int, int, str | None], ...] | None:
    """Where glued labels split a block's text: ``(start, end, label)`` of each part to keep,
    or None when nothing is glued (always so for a text too long to hold a label)."""
    if len(text) > _MAX_LABELLED_LENGTH:
        return None
    return _short_glued_parts(text)


def reset_caches() -> None:
    """Empty this stage's memo of glued-label splits (a bounded cache of a pure function)."""
    _short_glued_parts.cache_clear()


@lru_cache(maxsize=16384)
def _short_glued_parts(text: str) -> tuple[tuple[int, int, str | None], ...] | None:
    """:func:`_glued_parts` of a short text (cached: navigation labels repeat on every page)."""
    time_start = glued_time_start(text)
    label_length = _label_length(text, time_start)
    if label_length:
        return ((label_length, len(text), text[:label_length]),)
    if time_start is not None:
        return ((0, time_start, None), (time_start, len(text), None))
    if ends := glued_slug_ends(text):
        return tuple((start, end, None) for start, end in pairwise([0, *ends]))
    return None


def _pieces(text: NormalizedText) -> list[tuple[NormalizedText, str | None]]:
    """Split glued labels off one block's text: the parts to keep, each with its label."""
    parts = _glued_parts(text.text)
    if parts is None:
        return [(text, None)]
    return [(text.slice(start, end), label) for start, end, label in parts]


def _block_from(block: Block, text: NormalizedText, raw: str, label: str | None) -> Block:
    start = text.offsets[0]
    exact = raw[start : text.end] == text.text
    return Block(  # dataclasses.replace(block, ...) spelt out: it is several times slower
        text=text.text,
        raw_start=start,
        raw_end=text.end,
        char_map=None if exact else list(text.offsets),
        hints=dict(block.hints),
        label=label or block.label,
        role=block.role,
        article=block.article,
        removal=block.removal,
        cuts=block.cuts,
    )


def _chunks(texts: Iterable[str], size: int) -> Iterator[str]:
    """``texts`` joined by newlines into pieces of about ``size`` characters or more (a newline
    is no letter: no letter run spans two texts)."""
    chunk: list[str] = []
    length = 0
    for text in texts:
        chunk.append(text)
        length += len(text)
        if length >= size:
            yield "\n".join(chunk)
            chunk, length = [], 0
    if chunk:
        yield "\n".join(chunk)


def _folded_letter_runs(text: str) -> list[str]:
    """The letter runs (``_LETTERS``) of ``text`` casefolded, in order.

    Whole-text operations instead of a test per word: every character that is not a letter
    becomes a space (the few distinct ones outside ASCII each by a replace, then the ASCII ones
    by a byte table that lowers the ASCII letters), and the text is casefolded and split
    (casefolding a letter never gives a space).
    """
    if not text.isascii():
        others = set(_utf8(text).translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        blanks = [char for char in others if _LETTERS.fullmatch(char) is None]
        if len(blanks) > _MAX_REPLACED_CHARS:
            text = text.translate(dict.fromkeys(map(ord, blanks), " "))
        else:
            for char in blanks:
                text = text.replace(char, " ")
    lowered = _utf8(text).translate(_ASCII_LETTERS_LOWERED).decode("utf-8")
    return (lowered if lowered.isascii() else lowered.casefold()).split()


def _utf8(text: str) -> bytes:
    """``text`` in UTF-8, lone surrogates included (scraped text may hold them)."""
    return text.encode("utf-8", "surrogatepass")


def detect_language(texts: Iterable[str]) -> str | None:
    """ISO 639-1 code of the language whose stop words are densest in ``texts``.

    A stop word shared by several languages ("de", "a") counts for each as a fraction.

    Returns:
        The code, or None when no language has enough stop words or two tie.
    """
    sample: list[str] = []
    for chunk in _chunks(texts, _LANGUAGE_CHUNK_CHARS):
        sample += _folded_letter_runs(chunk)
        if len(sample) >= _LANGUAGE_SAMPLE_WORDS:
            break
    del sample[_LANGUAGE_SAMPLE_WORDS:]
    # Only stop words are counted (in the order they first occur, which the sums below
    # depend on).
    stop_words = Counter(filter(_LANGUAGES_OF.__contains__, sample))
    hits = dict.fromkeys(STOPWORDS, 0)
    scores = dict.fromkeys(STOPWORDS, 0.0)
    for word, count in stop_words.items():
        languages = _LANGUAGES_OF[word]
        for lang in languages:
            hits[lang] += count
            scores[lang] += count / len(languages)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best, runner_up = ranked[0], ranked[1]
    enough = hits[best] >= max(_MIN_LANGUAGE_HITS, _MIN_LANGUAGE_DENSITY * len(sample))
    return best if enough and scores[best] > scores[runner_up] else None


class NormalizeStage:
    """Stage "normalize": NFC, invisible characters, whitespace, glued labels, language."""

    name = "normalize"
    requires: tuple[str, ...] = ("blocks",)
    assigns: tuple[str, ...] = ("normalized", "language")

    def __init__(self, *, split_glued: bool = True, detect: bool = True) -> None:
        """Configure the stage.

        Args:
            split_glued: split labels, names and slugs glued to the text after them.
            detect: detect the page language from stop-word density.
        """
        self.split_glued = split_glued
        self.detect = detect

    def __call__(self, page: Page) -> Page:
        blocks: list[Block] = []
        for block in page.blocks:
            if self._leaves_unchanged(block, page.raw):
                blocks.append(block)
                continue
            offsets: Sequence[int] = block.char_map or range(
                block.raw_start, block.raw_start + len(block.text)
            )
            text = normalize_text(block.text, offsets, block.raw_end)
            if text.text.strip(_JOINERS).isspace() or not text.text.strip(_JOINERS):
                continue
            pieces = _pieces(text) if self.split_glued else [(text, None)]
            for piece, label in pieces:
                if label is not None:
                    page.removals.append(self._label_removal(text, label))
                if piece.text:
                    blocks.append(_block_from(block, piece, page.raw, label))
        page.blocks = blocks
        if self.detect:
            page.language = detect_language(b.text for b in blocks) or _declared(page)
        return page

    def _leaves_unchanged(self, block: Block, raw: str) -> bool:
        """True when normalising would give ``block`` back as it is (most blocks): its text is
        canonical and exactly its raw span, and no label is glued to it."""
        text = block.text
        return (
            block.char_map is None
            and bool(text)
            and _is_clean(text)
            and raw[block.raw_start : block.raw_end] == text
            and not (self.split_glued and _glued_parts(text))
        )

    def _label_removal(self, text: NormalizedText, label: str) -> Removal:
        return Removal(
            text=label,
            start=text.offsets[0],
            end=text.offsets[len(label) - 1] + 1,
            reason="ui-label",
            stage=self.name,
            detail=f"label {label!r} glued to the value after it; kept as Block.label",
        )


def _declared(page: Page) -> str | None:
    """The two-letter language the page declares (HTML ``lang``), if any."""
    declared = page.metadata.get("lang", "")[:2].lower()
    return declared if len(declared) == 2 and declared.isalpha() else None
