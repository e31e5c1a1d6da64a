"""Stage "segment": which blocks form which article (main and related), block roles, titles.

The evidence is what holds on pages not seen before:

- a title-like line printed again within a few lines anchors an article (aggregators print a
  headline twice, then a third time above the body; text dumps repeat the ``<title>`` as the
  heading, often without its " - Site" suffix); a line the page prints down the page is a
  label, not a title, and where the HTML marks what lines are, one copy must be a heading;
- a section header from a multilingual list ("Related Articles", "À lire aussi") closes the
  article before it, and what follows it is related; with paragraphs close on both sides it
  is a related-links box inside the body, which goes on after the links;
- a body is a run of paragraphs (sentence-shaped or long lines) with at most a few short lines
  between them (subheadings, captions, and widgets left for the boilerplate stage); a block
  shaped like code (inline JSON, CSS, JavaScript: ``textshape.looks_like_code``) or marked as
  a heading is never a paragraph, however long, so it neither forms nor extends a body; the
  entries of the story's own lists (``textshape.list_entries``: items and ``<p>`` lines inside
  the HTML's article, numbered lines in any input) neither break nor end it, however short;
- short lines between a title and its body are header lines (publisher, time, byline), save
  the lines worded like sentences just before the body: its lead, printed without a full stop;
- a paragraph the page prints twice (a ticker, a widget) weighs nothing.

A page without any of this is one article holding every block. Blocks no article owns are
removed with a reason ("section-header", "duplicate-title", "outside-article").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from newsparse.document import ArticleDraft, Block, BlockRole, Page
from newsparse.lexicon import load_data
from newsparse.textshape import (
    CLOSING,
    WORD,
    comparison_key,
    end_of_list,
    has_furniture_wording,
    hinted_weight,
    is_furniture_marker,
    is_paragraph_of,
    list_entries,
    looks_like_code_of,
    marked_furniture,
    reads_as_sentence,
    stopwords_of,
    wording_weight,
    words_of,
)

_SITE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " · ")
_SITE_SEPARATOR = re.compile("|".join(map(re.escape, _SITE_SEPARATORS)))
"""Any of :data:`_SITE_SEPARATORS`: one search tells that most lines have none."""
_SECTION_HEADERS = frozenset(
    " ".join(WORD.findall(phrase.casefold()))
    for lang, phrases in load_data("section_headers.json").items()
    if not lang.startswith("_")
    for phrase in phrases
)
_TEXT_HINTS = frozenset({"line"})
"""The only hint of a text input's block (its line number): nothing else tells blocks apart."""
_TITLE_WORDS = range(3, 41)
_MAX_TITLE_LENGTH = 300
_REPEAT_WINDOW = 8
"""How many blocks apart two copies of a title may be printed."""
_BODY_WINDOW = 8
"""How many header lines may separate a title from its body."""
_TITLE_SEARCH_WINDOW = 20
"""How far before an untitled body to look for a repeated (page-title) line."""
_UNTITLED_META = 4
"""Short lines kept as header lines before a body that has no title."""
_HEADLINE_KEYS = ("headline", "title", "og:title", "twitter:title")
"""Metadata naming the page's own story (JSON-LD first, then the document, then ``<meta>``)."""
_MIN_DOCUMENT_TITLE_WORDS = 5
"""Fewest words of a first line taken for the document title: a story's title, not a label."""
_HEADLINE_SIMILARITY = 0.6
"""Share of words a line must have in common with the page's headline to print it."""


def _head_key(text: str) -> str:
    """Key of the text before a trailing " - Site" part, or "" when there is none (or the
    text is too long to be a title)."""
    if len(text) > _MAX_TITLE_LENGTH or not _SITE_SEPARATOR.search(text):
        return ""
    cut = max(map(text.rfind, _SITE_SEPARATORS))
    if cut <= 0:
        return ""
    head = comparison_key(text[:cut])
    return head if words_of(head) >= 2 else ""


class _Shape(NamedTuple):
    """What segmentation looks at in one block. Immutable: the lines a text dump prints
    again share one, and ``_replace`` makes the changed copies. A named tuple: a frozen
    dataclass costs several times more to build, and one is built per block."""

    text: str
    stopwords: frozenset[str]
    """The stop words of the page's language (for :attr:`lead`)."""

    paragraph: bool
    title_like: bool
    section: bool
    key: str
    head_key: str
    heading: bool
    weight: float
    """Content weight of a paragraph (``textshape.content_weight``); 0 for other lines."""
    item: bool
    """An entry of the story's own lists (``textshape.list_entries``: an item or ``<p>`` inside
    the HTML's article, a numbered line): part of the story however short, so it neither
    breaks nor ends a body."""
    html: bool
    """The block comes from HTML: the markup tells what it is."""
    marked_heading: bool
    """The HTML marks the block as a heading (h1-h6)."""
    boxed: bool = False
    """Part of a related-links box inside a body: its header and the links after it."""
    headline: bool = False
    """Prints the page's headline (metadata, or the document title opening a text dump)."""
    opens_story: bool = False
    """The first line printing the headline below the document title: the story's heading."""

    @property
    def lead(self) -> bool:
        """Worded like a sentence though neither a paragraph nor a heading the HTML marks
        (``textshape.reads_as_sentence``): just before a body, its lead rather than a header
        line. Asked of those few lines only, so measured when asked."""
        return (
            not self.paragraph
            and not self.marked_heading
            and reads_as_sentence(self.text, self.stopwords)
        )

    @property
    def marker(self) -> bool:
        """A short line of a comment thread or widget ("Reply", "36 Votes"). Asked of the
        lines among a run's paragraphs only, so measured when asked."""
        return not self.paragraph and is_furniture_marker(self.text)

    def same_title(self, other: _Shape) -> bool:
        """True when both blocks print the same title, a " - Site" suffix aside."""
        if not self.key or not other.key:
            return False
        return self.key in (other.key, other.head_key) or other.key == self.head_key


def _shape(block: Block, stopwords: frozenset[str], entry: bool) -> _Shape:
    """The shape of one block; each tokenisation of its text is done once and shared."""
    text = block.text
    hints = block.hints
    words = text.split()
    marked_heading = "heading" in hints
    paragraph = (
        is_paragraph_of(text, len(words))
        and marked_furniture(hints) is None
        and not marked_heading
        and not looks_like_code_of(text, words)
    )
    key = comparison_key(text)
    weight = 0.0
    if paragraph:  # textshape.content_weight, on the words at hand
        wording = wording_weight(text, words, key.split(), stopwords)
        weight = hinted_weight(wording, has_furniture_wording(text), hints)
    scriptio_continua = len(words) < 3 and len(text) >= 8 and not text.isascii()
    title_like = (
        (len(words) in _TITLE_WORDS or scriptio_continua)
        and len(text) <= _MAX_TITLE_LENGTH
        and not text.rstrip(CLOSING).endswith(".")
        and not text[0].islower()
    )
    return _Shape(  # positional: several times faster than keywords, once per block
        text,
        stopwords,
        paragraph,
        title_like,
        key in _SECTION_HEADERS,  # section
        key,
        _head_key(text),
        hints.get("tag") in ("h1", "h2"),  # heading
        weight,
        entry,  # item
        "tag" in hints,  # html
        marked_heading,
    )


def _printed_again(shape: _Shape, keys: Counter[str], head_keys: set[str]) -> bool:
    """False when no other line of the page can print the same title as ``shape``
    (``_Shape.same_title``): its key is the page's only one, its " - Site" head no line's
    key, and its key no line's head. Most title-like lines are printed once: they are not
    scanned for copies."""
    if not shape.key:
        return False
    return (
        keys[shape.key] > 1
        or shape.key in head_keys
        or (bool(shape.head_key) and shape.head_key in keys)
    )


@dataclass
class _Plan:
    """One article found on the page, before blocks are labelled."""

    after_header: bool
    """A section header separates it from an article found before it."""
    weight: float
    """Content weight of its paragraphs, less for the comment-thread markers among them."""
    titled: bool = False
    """Opened by a title printed twice close together."""
    announced: bool = False
    """Its title repeats a line printed earlier on the page (the document title)."""
    headlined: bool = False
    """Its title prints the page's headline."""
    title: int | None = None
    copies: list[int] = field(default_factory=list)
    meta: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)


class SegmentStage:
    """Stage "segment": split the page into its main and related articles."""

    name = "segment"
    requires: tuple[str, ...] = ("blocks",)
    assigns: tuple[str, ...] = ("articles",)

    def __init__(
        self,
        *,
        max_gap: int = 6,
        max_tail: int = 8,
        min_untitled_chars: int = 400,
        main_share: float = 0.5,
    ) -> None:
        """Configure the stage.

        Args:
            max_gap: short lines allowed between two paragraphs of one body.
            max_tail: short lines after a body's last paragraph that still belong to it (the
                boilerplate stage judges them).
            min_untitled_chars: paragraph characters of a substantial body: one a repeated
                line announces, or (on a page with titled articles) one without a title.
            main_share: the least weight, relative to the heaviest body, of the first titled
                article for it to be the main one.
        """
        self.max_gap = max_gap
        self.max_tail = max_tail
        self.min_untitled_chars = min_untitled_chars
        self.main_share = main_share

    def __call__(self, page: Page) -> Page:
        stopwords = stopwords_of(page.language)
        entries = list_entries([b.text for b in page.blocks], [b.hints for b in page.blocks])
        known: dict[tuple[str, bool], _Shape] = {}
        """Shapes of the blocks without markup hints, by text: a page repeating a line
        thousands of times ("Share", "Reply") measures it once."""
        shapes: list[_Shape] = []
        for block, entry in zip(page.blocks, entries, strict=True):
            if not block.hints.keys() <= _TEXT_HINTS:  # hints differ block by block
                shapes.append(_shape(block, stopwords, entry))
                continue
            shape = known.get((block.text, entry))
            if shape is None:
                shape = known[block.text, entry] = _shape(block, stopwords, entry)
            shapes.append(shape)
        shapes = _weigh_repeats(shapes)
        shapes = _mark_headlines(shapes, _headlines(page, shapes))
        plans = self._plans(shapes)
        if not plans and page.blocks:
            plans = [_Plan(after_header=False, weight=0, body=list(range(len(page.blocks))))]
        self._label(page, shapes, plans)
        return page

    def _plans(self, shapes: list[_Shape]) -> list[_Plan]:
        """Articles region by region; regions start at repeated titles, section headers and
        the line printing the page's headline.

        Without any repeated title the page holds one article: its main body. With them,
        a body without a title needs ``min_untitled_chars`` to count as an article too.
        """
        groups = {copies[0]: copies for copies in self._title_groups(shapes)}
        shapes = self._mark_boxes(shapes, set(groups))
        sections = [i for i, s in enumerate(shapes) if s.section and not s.boxed]
        copies = {i for group in groups.values() for i in group}
        story = [i for i, s in enumerate(shapes) if s.opens_story and i not in copies]
        anchors = sorted({0, *groups, *sections, *story, len(shapes)})
        plans: list[_Plan] = []
        after_header = False
        for start, end in pairwise(anchors):
            if shapes[start].section:
                after_header = bool(plans)
                plan = self._untitled(shapes, start + 1, end, after_header)
            elif start in groups:
                plan = self._titled(shapes, groups[start], end, after_header)
            else:
                plan = self._untitled(shapes, start, end, after_header)
            if plan is not None and (
                plan.titled or not groups or plan.weight >= self.min_untitled_chars
            ):
                plans.append(plan)
        if not groups and plans:
            return [main] if (main := _main_plan(plans, self.main_share)) else []
        return plans

    def _title_groups(self, shapes: list[_Shape]) -> Iterator[list[int]]:
        """Copies of each title printed more than once close together (``_titles``).

        A line printing the same title as the one that opened a rejected chain would only
        find the rest of that chain, so it is not scanned again: a run of thousands of
        repeated lines ("5 minutes ago") costs one scan, not one per line.
        """
        bodiless: set[int] = set()
        prints = Counter(shape.key for shape in shapes if shape.title_like)
        """How many times the page prints each title-like line."""
        keys = Counter(shape.key for shape in shapes)
        head_keys = {shape.head_key for shape in shapes}
        anchors = [
            index
            for index, shape in enumerate(shapes)
            if shape.title_like and not shape.section and _printed_again(shape, keys, head_keys)
        ]
        resume = 0
        """The line after the last title found: its copies are not scanned again."""
        for index in anchors:
            if index < resume or index in bodiless:
                continue
            anchor = shapes[index]
            copies = [index]
            cursor = index + 1
            while (
                cursor < len(shapes)
                and cursor - copies[-1] <= _REPEAT_WINDOW
                and not shapes[cursor].paragraph
                and not shapes[cursor].section
            ):
                if shapes[cursor].same_title(anchor):
                    copies.append(cursor)
                cursor += 1
            if len(copies) > 1 and self._titles(shapes, copies, prints[anchor.key]):
                yield copies
                resume = copies[-1] + 1
            else:
                bodiless.update(
                    i
                    for i in copies[1:]
                    if (shapes[i].key, shapes[i].head_key) == (anchor.key, anchor.head_key)
                )

    def _titles(self, shapes: list[_Shape], copies: list[int], prints: int) -> bool:
        """True when two or more lines printing the same text close together are an article's
        title: a body follows them; where the HTML marks what lines are, one is a heading (else
        they are a label, such as an author's name printed twice); and the page prints the text
        at most once more (a label recurring down the page is no title: "Eat every 2 hours"
        above each meal of a menu, the header row of each table)."""
        return (
            prints <= len(copies) + 1
            and any(shapes[i].marked_heading or not shapes[i].html for i in copies)
            and self._body_follows(shapes, copies[-1])
        )

    def _body_follows(self, shapes: list[_Shape], last_copy: int) -> bool:
        for cursor in range(last_copy + 1, min(len(shapes), last_copy + 1 + _BODY_WINDOW)):
            if shapes[cursor].section:
                return False
            if shapes[cursor].paragraph:
                return True
        return False

    def _mark_boxes(self, shapes: list[_Shape], group_starts: set[int]) -> list[_Shape]:
        """Mark related-links boxes printed inside a body: a section header with paragraphs
        close before and after it (no repeated title between), and the links that follow it.
        """
        paragraphs = [i for i, s in enumerate(shapes) if s.paragraph]
        marked = list(shapes)
        for header, shape in enumerate(shapes):
            if not shape.section:
                continue
            after = bisect_right(paragraphs, header)
            if after == 0 or after == len(paragraphs):
                continue
            before, following = paragraphs[after - 1], paragraphs[after]
            close = max(header - before, following - header) <= self.max_gap + 1
            if close and not group_starts.intersection(range(before, following)):
                for index in range(header, following):
                    marked[index] = shapes[index]._replace(boxed=True)
        return marked

    def _clusters(self, shapes: list[_Shape], start: int, end: int) -> list[list[int]]:
        """Runs of paragraphs in ``[start, end)`` with at most ``max_gap`` lines between them
        (a related-links box inside the body does not count); the first line printing the
        page's headline starts a new run: the story begins after it."""
        clusters: list[list[int]] = []
        gap = 0
        for index in range(start, end):
            if shapes[index].opens_story:
                gap = self.max_gap + 1
            if not shapes[index].paragraph:
                gap += not (shapes[index].boxed or shapes[index].item)
                continue
            if clusters and gap <= self.max_gap:
                clusters[-1].append(index)
            else:
                clusters.append([index])
            gap = 0
        return clusters

    def _body(self, shapes: list[_Shape], cluster: list[int], end: int, floor: int) -> list[int]:
        """The lines worded like sentences just before the cluster (its lead; from ``floor``
        on), the cluster's blocks, then the short lines after its last paragraph
        (bounded, but a list or table of the article's that runs on goes on to its end)."""
        first = cluster[0]
        while first - 1 >= floor and shapes[first - 1].lead:
            first -= 1
        stop = min(end, cluster[-1] + 1 + self.max_tail)
        for cursor in range(cluster[-1] + 1, stop):
            if shapes[cursor].paragraph:
                stop = cursor
                break
        entry = next((i for i in (stop - 1, stop - 2) if i > cluster[-1] and shapes[i].item), None)
        if entry is not None:  # a list's entry (and its note) closes the tail: the list goes on
            last = end_of_list(entry, end, lambda i: shapes[i].item, lambda i: shapes[i].paragraph)
            stop = max(stop, last + 1)
        return [i for i in range(first, stop) if not shapes[i].boxed]

    def _titled(
        self,
        shapes: list[_Shape],
        copies: list[int],
        end: int,
        after_header: bool,
    ) -> _Plan | None:
        """The article a repeated title announces; None when the next one starts before a body."""
        clusters = self._clusters(shapes, copies[-1] + 1, end)
        if not clusters:
            return None
        cluster = clusters[0]
        title = min(copies, key=lambda i: (len(shapes[i].key), i))
        body = self._body(shapes, cluster, end, copies[-1] + 1)
        copied = set(copies)  # (a line printed thousands of times has as many copies)
        meta = [i for i in range(copies[0], body[0]) if i not in copied]
        return _Plan(
            after_header=after_header,
            weight=_cluster_weight(shapes, cluster),
            titled=True,
            headlined=any(shapes[i].headline for i in copies),
            title=title,
            copies=[i for i in copies if i != title],
            meta=meta,
            body=body,
        )

    def _untitled(
        self,
        shapes: list[_Shape],
        start: int,
        end: int,
        after_header: bool,
    ) -> _Plan | None:
        """The body of a region no repeated title opens, and its title if one fits.

        A line printing the document title again (as the story's heading) or the page's
        headline announces a body: the first substantial run within a few blocks after it
        (``min_untitled_chars``, and ``main_share`` of the region's heaviest run: a widget's
        label printed twice announces no teaser). The heaviest such run wins; without one,
        the heaviest run of the region does. The body starts at the first substantial run
        after its title: the runs between them (split by a box of links, a video) are the
        story's too.
        """
        clusters = self._clusters(shapes, start, end)
        if not clusters:
            return None
        weights = [_cluster_weight(shapes, c) for c in clusters]
        starts = [c[0] for c in clusters]
        announced: list[tuple[int, int]] = []
        least = max(self.min_untitled_chars, self.main_share * max(weights))
        for line in range(start, end):
            shape = shapes[line]
            if not shape.title_like:
                continue
            if shape.headline or (line > 0 and shape.same_title(shapes[0])):
                first = bisect_left(starts, line)
                stop = bisect_right(starts, line + _TITLE_SEARCH_WINDOW)
                heavy = [k for k in range(first, stop) if weights[k] >= least]
                if heavy:
                    announced.append((heavy[0], line))
        title: int | None
        if announced:
            best, title = max(
                announced,
                key=lambda pair: (shapes[pair[1]].headline, weights[pair[0]], -pair[0]),
            )
        else:
            best = max(range(len(clusters)), key=lambda k: (weights[k], -k))
            title = self._find_title(shapes, start, starts[best])
        first = best
        if title is not None:
            first = next(
                (
                    k
                    for k in range(bisect_left(starts, title), best)
                    if weights[k] >= self.min_untitled_chars
                ),
                best,
            )
        cluster = [index for k in range(first, best + 1) for index in clusters[k]]
        body = self._body(shapes, cluster, end, start if title is None else title + 1)
        meta_start = max(start, body[0] - _UNTITLED_META) if title is None else title + 1
        return _Plan(
            after_header=after_header,
            weight=weights[best],
            announced=bool(announced),
            headlined=title is not None and shapes[title].headline,
            title=title,
            meta=list(range(meta_start, body[0])),
            body=body,
        )

    def _find_title(self, shapes: list[_Shape], start: int, body_start: int) -> int | None:
        """The title of a body nothing announced: the last heading the HTML marked shortly
        before it, else the first title-like line among the few just before it."""
        near = range(max(start, body_start - _BODY_WINDOW), body_start)
        headings = [i for i in near if shapes[i].heading and shapes[i].title_like]
        if headings:
            return headings[-1]
        return next((i for i in near if shapes[i].title_like), None)

    def _label(self, page: Page, shapes: list[_Shape], plans: list[_Plan]) -> None:
        main = _main_plan(plans, self.main_share)
        ordered = ([main] if main else []) + [p for p in plans if p is not main]
        page.articles = []
        for number, plan in enumerate(ordered):
            draft = ArticleDraft(is_main=plan is main)
            roles: list[tuple[int, BlockRole]] = [(i, "title") for i in plan.copies]
            roles += [(i, "meta") for i in plan.meta] + [(i, "body") for i in plan.body]
            if plan.title is not None:
                roles.append((plan.title, "title"))
                draft.title = page.blocks[plan.title].text
            for index, role in roles:
                page.blocks[index].role = role
                page.blocks[index].article = number
            for index in plan.copies:
                page.blocks[index].remove(
                    "duplicate-title", self.name, "another copy of the article's title"
                )
            draft.blocks = sorted({i for i, _ in roles})
            page.articles.append(draft)
        for block, shape in zip(page.blocks, shapes, strict=True):
            if block.article is not None:
                continue
            if shape.section:
                block.role = "section"
                block.remove("section-header", self.name, "opens a list of other stories")
            else:
                block.role = "other"
                block.remove("outside-article", self.name, "no article's title, header or body")


def _weigh_repeats(shapes: list[_Shape]) -> list[_Shape]:
    """Weigh nothing for a paragraph printed more than once: a ticker or widget the page
    repeats, not its story."""
    prints = Counter(shape.key for shape in shapes if shape.paragraph)
    if all(count == 1 for count in prints.values()):
        return shapes
    return [
        shape._replace(weight=0.0) if shape.paragraph and prints[shape.key] > 1 else shape
        for shape in shapes
    ]


def _cluster_weight(shapes: list[_Shape], cluster: list[int]) -> float:
    """Content weight of a run of paragraphs, divided by the comment-thread markers ("Reply",
    "36 Votes") printed among them beyond the first: a thread is prose between markers."""
    markers = sum(shapes[i].marker for i in range(cluster[0], cluster[-1] + 1))
    return sum(shapes[i].weight for i in cluster) / max(1, markers)


def _headlines(page: Page, shapes: list[_Shape]) -> list[set[str]]:
    """Word sets of the page's headline: from the HTML's metadata, else the first line of a text
    dump when it is title-like and long enough to name a story (html-text dumps open with the
    ``<title>``)."""
    found = [page.metadata[key] for key in _HEADLINE_KEYS if key in page.metadata]
    if (
        not found
        and shapes
        and shapes[0].title_like
        and words_of(shapes[0].key) >= _MIN_DOCUMENT_TITLE_WORDS
        and page.format != "html"
    ):
        found = [page.blocks[0].text]
    words: list[set[str]] = []
    for text in found:
        head = _head_key(text) or comparison_key(text)
        if head and set(head.split()) not in words:
            words.append(set(head.split()))
    return words


def _mark_headlines(shapes: list[_Shape], headlines: list[set[str]]) -> list[_Shape]:
    """Set ``headline`` on title-like lines sharing most of their words with a headline, and
    ``opens_story`` on the first of them after the page's first line (the document title)."""
    if not headlines:
        return shapes
    marked = list(shapes)
    opened = False
    headline_words = set[str]().union(*headlines)
    for index, shape in enumerate(shapes):
        if not shape.title_like or not shape.key or shape.item:
            continue
        if headline_words.isdisjoint(shape.key.split()):  # (most lines: no word in common)
            continue
        words = set(shape.key.split())
        if any(
            len(words & headline) >= _HEADLINE_SIMILARITY * max(len(words), len(headline))
            for headline in headlines
        ):
            opens = index > 0 and not opened
            opened = opened or opens
            marked[index] = shape._replace(headline=True, opens_story=opens)
    return marked


def _heaviness(plan: _Plan) -> tuple[bool, float]:
    """Rank of a body as the page's story: announced by a repeated line first (unless a
    section header such as "You may also like" opens its region: a related story, or a line
    of furniture printed again), then weight."""
    return plan.announced and not plan.after_header, plan.weight


def _main_plan(plans: list[_Plan], share: float) -> _Plan | None:
    """The main article: the heaviest one printing the page's headline, else the first titled
    one before any "related" header, else the heaviest.

    Aggregators print the main story first and the related ones after a header; a titled
    teaser much lighter than the heaviest body (``share`` of it) is a sidebar, not the story.
    """
    if not plans:
        return None
    heaviest = max(plans, key=_heaviness)
    headlined = [p for p in plans if p.headlined and p.weight >= share * heaviest.weight]
    if headlined:
        return max(headlined, key=lambda p: p.weight)
    first = next(
        (
            p
            for p in plans
            if p.titled and not p.after_header and p.weight >= share * heaviest.weight
        ),
        None,
    )
    return first or heaviest
