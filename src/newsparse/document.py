"""The working document that pipeline stages read and annotate.

A reader turns raw input into a :class:`Page` of :class:`Block` s, each remembering its span in
the decoded input. Stages *label* rather than delete: segmentation assigns blocks to
:class:`ArticleDraft` s, boilerplate marks whole blocks or inline spans as removed with a reason.
Bodies are assembled from what is kept, so every body character traces to the input and every
removal is accounted for by construction. This module imports only the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Literal

from newsparse.models import (
    Citation,
    Entity,
    Paragraph,
    Quote,
    Removal,
    Source,
    TimeExpression,
    Timestamp,
)

InputFormat = Literal["text", "html"]


def prefix_end(text: str, start: int, limit: int) -> int:
    """Where a piece of ``text`` starting at ``start`` and holding at most ``limit`` characters
    ends: at the end of the text if it fits, else at the last paragraph break that fits, else
    the last space, else hard."""
    if len(text) - start <= limit:
        return len(text)
    cut = text.rfind("\n\n", start + 1, start + limit)
    if cut < 0:
        cut = text.rfind(" ", start + 1, start + limit)
    return cut if cut >= 0 else start + limit


def read_limits(
    drafts: Sequence[ArticleDraft], texts: Sequence[str], budget: int | None
) -> list[int]:
    """How much of each draft's text (``texts[i]`` is ``drafts[i]``'s) a stage reads when
    together they may hold ``budget`` characters, taken main article first: all of a text
    that fits, else up to a paragraph break (see :func:`prefix_end`), then nothing of the
    texts after it. ``None`` reads everything.

    Enrichment stages spend such a budget per page, so that their time stays bounded whatever
    the size of the input.
    """
    limits = [len(text) for text in texts]
    if budget is None:
        return limits
    for index in sorted(range(len(drafts)), key=lambda i: not drafts[i].is_main):
        text = texts[index]
        limits[index] = end = prefix_end(text, 0, budget) if budget else 0
        budget = budget - end if end == len(text) else 0
    return limits


def unread_warning(what: str, option: str, limit: int, length: int, budget: int) -> str:
    """The warning for a draft whose body a stage's budget (``budget`` characters per page,
    set with ``option``) left unread past ``limit`` of its ``length`` characters; ``what`` is
    what went unread, led by the stage's name ("sources: citations and quotes")."""
    if limit:
        return f"{what} read in the first {limit:,} of {length:,} characters of the body ({option})"
    return f"{what} not read, the page's budget of {budget:,} characters was spent ({option})"


BlockRole = Literal["title", "meta", "body", "section", "other"]
"""What segmentation found a block to be: a headline, a header line (publisher, time, byline),
body text, a section header ("Related Articles"), or anything else on the page."""


@dataclass
class Cut:
    """An inline span of a block's text that a stage removed (offsets into ``Block.text``)."""

    start: int
    end: int
    reason: str
    stage: str
    detail: str | None = None


@dataclass(slots=True)
class Block:
    """A line (text input) or DOM block (HTML input) with its span in ``Page.raw``.

    ``char_map[i]`` is the offset in ``Page.raw`` of ``text[i]``; it is ``None`` while ``text``
    is exactly ``raw[raw_start:raw_end]``. ``hints`` holds what the reader knew (``tag``,
    ``heading``, ``link_density``, ``depth``, ``class_hint``).
    """

    text: str
    raw_start: int
    raw_end: int
    char_map: list[int] | None = None
    hints: dict[str, object] = field(default_factory=dict)
    label: str | None = None
    role: BlockRole | None = None
    article: int | None = None
    removal: Removal | None = None
    cuts: tuple[Cut, ...] = ()
    """Spans of ``text`` dropped, in the order stages cut them (a tuple: most blocks have none,
    and a page may hold tens of thousands of blocks)."""

    def raw_offset(self, index: int) -> int:
        """Offset in ``Page.raw`` of ``text[index]`` (``len(text)`` maps to ``raw_end``)."""
        if index >= len(self.text):
            return self.raw_end
        if self.char_map is None:
            return self.raw_start + index
        return self.char_map[index]

    @property
    def kept(self) -> bool:
        """True unless a stage removed the whole block."""
        return self.removal is None

    def remove(self, reason: str, stage: str, detail: str | None = None) -> None:
        """Drop the whole block, recording why (the first removal wins)."""
        if self.removal is None:
            self.removal = Removal(
                text=self.text,
                start=self.raw_start,
                end=self.raw_end,
                reason=reason,
                stage=stage,
                detail=detail,
            )

    def cut(self, start: int, end: int, reason: str, stage: str, detail: str | None = None) -> None:
        """Drop ``text[start:end]`` from the block, recording why."""
        if 0 <= start < end <= len(self.text):
            self.cuts += (Cut(start, end, reason, stage, detail),)

    def kept_pieces(self) -> list[tuple[int, int]]:
        """The ``[start, end)`` ranges of ``text`` that survive the cuts, in order."""
        if not self.kept:
            return []
        if not self.cuts:  # (most blocks)
            return [(0, len(self.text))] if self.text else []
        pieces: list[tuple[int, int]] = []
        cursor = 0
        for c in sorted(self.cuts, key=lambda c: c.start):
            if c.start > cursor:
                pieces.append((cursor, c.start))
            cursor = max(cursor, c.end)
        if cursor < len(self.text):
            pieces.append((cursor, len(self.text)))
        return pieces

    def kept_text(self) -> str:
        """The block's text without its cuts, stripped."""
        if not self.cuts:  # (most blocks)
            return self.text.strip() if self.removal is None else ""
        return "".join(self.text[s:e] for s, e in self.kept_pieces()).strip()

    def removals(self) -> list[Removal]:
        """Every removal recorded on this block: the whole block, or each cut."""
        if self.removal is not None:
            return [self.removal]
        return [
            Removal(
                text=self.text[c.start : c.end],
                start=self.raw_offset(c.start),
                end=self.raw_offset(c.end - 1) + 1,
                reason=c.reason,
                stage=c.stage,
                detail=c.detail,
            )
            for c in sorted(self.cuts, key=lambda c: c.start)
        ]


@dataclass
class Body:
    """An assembled article body: text, its paragraphs, and the raw offset of each character."""

    text: str
    spans: list[tuple[int, int]]
    """The ``[start, end)`` offsets of each paragraph in ``text``."""
    origins: list[tuple[Sequence[int], list[int] | None, int]] = field(repr=False)
    """Where each paragraph comes from: the indexes of its characters in its block's text, the
    block's ``char_map`` and its ``raw_start``."""

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs as output models, built on first use: stages read ``spans``, and a
        body may hold tens of thousands of paragraphs."""
        return [Paragraph(text=self.text[s:e], start=s, end=e) for s, e in self.spans]

    @cached_property
    def char_map(self) -> list[int]:
        """The offset in ``Page.raw`` of each character of ``text`` (a paragraph break maps to
        the character before it). Built on first use: most readers of a body need its text
        only, and the map holds an integer per character."""
        char_map: list[int] = []
        for kept, block_map, raw_start in self.origins:
            if char_map:
                char_map.extend((char_map[-1], char_map[-1]))
            if block_map is not None:
                char_map.extend(map(block_map.__getitem__, kept))
            elif isinstance(kept, range):
                char_map.extend(range(raw_start + kept.start, raw_start + kept.stop))
            else:
                char_map.extend(raw_start + i for i in kept)
        return char_map


@dataclass
class ArticleDraft:
    """An article being built: which blocks it owns and what enrichment stages found."""

    blocks: list[int] = field(default_factory=list)
    is_main: bool = False
    title: str | None = None
    source: Source | None = None
    aggregator: Source | None = None
    authors: list[str] = field(default_factory=list)
    published: Timestamp | None = None
    language: str | None = None
    entities: list[Entity] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Page:
    """The whole page being parsed: raw input, its blocks, and the articles found in it."""

    raw_input: str | bytes
    url: str | None = None
    scraped_at: datetime | None = None
    reference: datetime | None = None
    format: InputFormat | None = None
    raw: str = ""
    encoding: str | None = None
    blocks: list[Block] = field(default_factory=list)
    articles: list[ArticleDraft] = field(default_factory=list)
    language: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def blocks_of(self, draft: ArticleDraft, role: BlockRole | None = None) -> list[Block]:
        """The blocks a draft owns, optionally only those with the given role."""
        return [self.blocks[i] for i in draft.blocks if role is None or self.blocks[i].role == role]

    def body_of(self, draft: ArticleDraft) -> Body:
        """Assemble a draft's body from its kept body blocks: one paragraph per block."""
        parts: list[str] = []
        origins: list[tuple[Sequence[int], list[int] | None, int]] = []
        spans: list[tuple[int, int]] = []
        offset = 0
        for block in self.blocks_of(draft, "body"):
            if not block.kept:  # (a page of navigation links may have tens of thousands)
                continue
            pieces = block.kept_pieces()
            positions: Sequence[int]
            if len(pieces) == 1:  # no cut, or cuts at the ends only: one range (the fast path)
                text = block.text[pieces[0][0] : pieces[0][1]]
                positions = range(*pieces[0])
            else:
                text = "".join(block.text[s:e] for s, e in pieces)
                positions = [i for s, e in pieces for i in range(s, e)]
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            if not text:
                continue
            if parts:
                parts.append("\n\n")
                offset += 2
            parts.append(text)
            kept = positions[lead : lead + len(text)]  # indexes below len(block.text)
            origins.append((kept, block.char_map, block.raw_start))
            spans.append((offset, offset + len(text)))
            offset += len(text)
        return Body(text="".join(parts), spans=spans, origins=origins)
