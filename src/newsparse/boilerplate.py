"""Stage "boilerplate": page furniture inside each article's body, removed with a reason.

Evidence is general: cue phrases kept as data in several languages (ad labels and vendors,
calls to action, app, newsletter and cookie prompts, comment widgets, navigation), line shape
(length, terminal punctuation, title case, stop-word density in the page's language), whether a
line addresses the reader, and position (before the first or after the last paragraph).

For each body block of each article, in order:

0. markup: a block the HTML reader marks as furniture (a comment, navigation, related-links or
   ad container, or a list of links, save a link printing its own web address;
   ``textshape.marked_furniture``) is removed, with the hint as its reason, and so is an
   inline span it marks so; a block shaped like code (inline JSON state, CSS, JavaScript;
   ``textshape.looks_like_code``) is removed as "code";
1. ad runs: an ad widget printed inside a paragraph ("by Taboola Sponsored Links You May Like
   ... Shop Now Undo") is cut from the sentence boundary before it to the sentence after it,
   so the text around it joins up ("he said. Brazilian ...");
2. prompts: sentences closing or opening a paragraph that prompt the reader ("Stay informed
   with ... Join Now") are cut; a block of nothing else is removed;
3. whole blocks: a line equal to a cue phrase, an image alt slug, a short line holding a cue,
   a short paragraph with enough evidence (cues, an imperative, addressing the reader);

then, per article, what is left before the first or after the last paragraph goes (position;
save the lead, lines worded like sentences right before the first paragraph, and the entries
of a list closing the story, ``textshape.list_entries``), and so do paragraphs at either end
worded like a cookie notice or legal text; a paragraph worded like a comment thread's notice
or a copyright line after the first paragraph ends the body (it and all that follows go).

Steps 1-3 depend on a block's text alone: a page printing one line thousands of times judges
it once.

The first and last paragraph test mirrors segmentation's, so a body parsed again is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from newsparse.document import Block, Cut, Page
from newsparse.lexicon import load_data
from newsparse.textshape import (
    SLUG,
    WORD,
    PhraseMatcher,
    closing_notice,
    comparison_key,
    end_of_list,
    ends_sentence,
    has_furniture_wording,
    is_paragraph,
    list_entries,
    looks_like_code,
    lowered_words,
    marked_aside,
    marked_furniture,
    reads_as_sentence,
    stopwords_of,
)

_CUES = load_data("boilerplate_cues.json")
_SENTENCE_BREAK = re.compile(
    r"[.!?…。！？](?<![.!?…。！？][.!?…。！？])[.!?…。！？]*[\"'”’»)\]]*(?=[\s\u2013\u2014-]|\Z)"
)
"""Terminal punctuation, closing quotes, then a space, a dash or the end. A match starts only
where a run of terminal punctuation does (the look-behind, after its first character), so a
long run not followed by a space ("....a") is tried once, not once per character (linear
time); opening with the punctuation lets the regex engine skip to it."""
_OPENING = "\"'“‘«([¿¡"


_CLOSING_DETAIL = {
    "comments": "from a comment thread's notice on: the story ended",
    "copyright": "from the page's copyright notice on: the story ended",
}
"""Removal detail of what follows a notice that closes a story (``textshape.closing_notice``)."""


def _flatten(by_language: dict[str, list[str]]) -> list[str]:
    return [phrase for phrases in by_language.values() for phrase in phrases]


def _openers(phrases: list[str]) -> frozenset[str]:
    """The first word of each phrase, lowered: a ``PhraseMatcher`` of the phrases finds none in a
    text whose ``lowered_words`` hold none of them, so one set test skips it."""
    return frozenset(WORD.findall(phrase)[0].lower() for phrase in phrases)


_EXACT = {
    comparison_key(phrase): category
    for category, by_language in _CUES["exact"].items()
    for phrase in _flatten(by_language)
}
_CONTAINS_CATEGORY = {
    comparison_key(phrase): category
    for category, by_language in _CUES["contains"].items()
    for phrase in _flatten(by_language)
}
_CONTAINS = PhraseMatcher(
    phrase for by_language in _CUES["contains"].values() for phrase in _flatten(by_language)
)
_IMAGE_NOUNS = frozenset(comparison_key(n) for n in _flatten(_CUES["image_nouns"]))
_AD_LABEL = PhraseMatcher(_flatten(_CUES["ad_labels"]))
_AD_VENDOR = PhraseMatcher(
    [*_CUES["ad_vendors"], *(f"by {vendor}" for vendor in _CUES["ad_vendors"])],
    ignore_case=False,
)
_AD_LINK = PhraseMatcher(_flatten(_CUES["ad_headings"]) + _flatten(_CUES["ad_buttons"]))
_AD_BUTTON = PhraseMatcher(_flatten(_CUES["ad_buttons"]))
_AD_BUTTON_OPENERS = _openers(_flatten(_CUES["ad_buttons"]))
_AD_BUTTON_WORDS = max(len(WORD.findall(b)) for b in _flatten(_CUES["ad_buttons"]))
"""The first words of the ad buttons and the most words of one: a sentence closing with an ad
button (``_AD_BUTTON.closes``) has one of the first among its last few words."""
_AD_OPENERS = _openers([*_flatten(_CUES["ad_labels"]), *_CUES["ad_vendors"]])
"""The first words of the ad labels and vendors ("by Outbrain" holds the vendor's): a text with
none of them holds no ad run."""
_READER = frozenset(_flatten(_CUES["reader_address"]))
_IMPERATIVE = PhraseMatcher(_flatten(_CUES["imperatives"]))


@dataclass(frozen=True)
class _Link:
    """One ad-widget cue inside a paragraph; only a ``strong`` one (label, vendor) opens a run."""

    start: int
    end: int
    strong: bool


def _label_shaped(match: re.Match[str]) -> bool:
    """True for a cue printed as a label (capitalised), not as an ordinary lower-case word."""
    word = match.group()
    if word.startswith("by "):
        word = word[3:].lstrip()
    return word[:1].isupper()


def _ad_links(text: str) -> list[_Link]:
    if lowered_words(text).isdisjoint(_AD_OPENERS):  # (most paragraphs)
        return []
    found = [
        _Link(m.start(), m.end(), strong=True)
        for pattern in (_AD_LABEL, _AD_VENDOR)
        for m in pattern.finditer(text)
        if _label_shaped(m)
    ]
    if not found:
        return []
    found += [_Link(m.start(), m.end(), False) for m in _AD_LINK.finditer(text) if _label_shaped(m)]
    found.sort(key=lambda link: (link.start, -link.end))
    links: list[_Link] = []
    for link in found:
        if not links or link.start >= links[-1].end:
            links.append(link)
    return links


def _starts_sentence(text: str) -> bool:
    """True when ``text`` (what follows a cut) begins like a sentence, or is empty."""
    rest = text.lstrip()
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENING


def ad_runs(text: str, window: int = 160) -> list[tuple[int, int]]:
    """Spans of ``text`` holding an ad widget printed inline, each up to the next sentence.

    A run opens at an ad label or vendor ("Sponsored", "by Outbrain") standing at a sentence
    boundary, and goes on through widget headings and buttons ("You May Like", "Shop Now",
    "Undo") that follow within ``window`` characters without a sentence break in between.

    Args:
        text: one paragraph.
        window: the most characters (an ad's headline) allowed between two cues of a run.

    Returns:
        ``[start, end)`` spans; ``end`` includes the spaces up to the next sentence.
    """
    links = _ad_links(text)
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(links):
        first = links[index]
        end = first.end
        index += 1
        if not first.strong:
            continue
        while (
            index < len(links)
            and links[index].start - end <= window
            and _SENTENCE_BREAK.search(text, end, links[index].start) is None
        ):
            end = links[index].end
            index += 1
        before = text[: first.start].rstrip()
        if (not before or ends_sentence(before)) and _starts_sentence(text[end:]):
            runs.append((first.start, len(text) - len(text[end:].lstrip())))
    return runs


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, each without the spaces around it."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    trimmed: list[tuple[int, int]] = []
    for a, b in spans:
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if a < b:
            trimmed.append((a, b))
    return trimmed


class _Judge:
    """Shape and cue tests in the page's language."""

    def __init__(self, language: str | None, max_widget_words: int, max_prompt_words: int) -> None:
        self.stopwords = stopwords_of(language)
        self.max_widget_words = max_widget_words
        self.max_prompt_words = max_prompt_words
        self._cues: dict[str, list[str]] = {}

    def cues(self, text: str) -> list[str]:
        """The promo cues (``_CONTAINS``) in ``text``, found once per text: a block's prompt
        edges and its verdict both ask for them."""
        found = self._cues.get(text)
        if found is None:
            found = self._cues[text] = [m.group() for m in _CONTAINS.finditer(text)]
        return found

    def headline_shaped(self, sentence: str) -> bool:
        """A few capitalised words with few stop words: a promo headline, not prose."""
        words = [w for w in WORD.findall(sentence) if not w.isdigit()]
        if not words or len(words) > 8:
            return False
        capitalised = sum(w[0].isupper() for w in words)
        function = sum(w.casefold() in self.stopwords for w in words)
        return 2 * capitalised >= len(words) and 3 * function <= len(words)

    def addresses_reader(self, text: str) -> bool:
        return any(w.casefold() in _READER for w in WORD.findall(text))

    def promo_sentence(self, sentence: str, *, cued: bool = True) -> bool:
        """A sentence with a promo or call-to-action cue that speaks to the reader (``cued``
        False: the caller knows it holds no promo cue, only an ad button can close it)."""
        if _AD_BUTTON.closes(sentence):
            return True
        if not cued or _CONTAINS.search(sentence) is None:
            return False
        return bool(
            _IMPERATIVE.opens(sentence)
            or self.addresses_reader(sentence)
            or self.headline_shaped(sentence)
        )

    def promo_edge(
        self,
        text: str,
        start: int,
        end: int,
        *,
        at_end: bool,
        sentences: list[tuple[int, int]] | None = None,
        cued: bool = True,
    ) -> tuple[int, int]:
        """The promo sentences closing (or opening) ``text[start:end]``; empty span if none.

        The outermost sentence must be a promo sentence; the run goes inwards through promo,
        headline-shaped and imperative sentences ("Ready to dive in?"), possibly to the other
        edge (then the whole text is promo). ``sentences`` are those of ``text[start:end]``
        when the caller has them already; ``cued`` False tells that it holds no promo cue.
        """
        if sentences is None:
            sentences = _sentences(text, start, end)
        ordered = sentences[::-1] if at_end else sentences
        taken: list[tuple[int, int]] = []
        for a, b in ordered:
            sentence = text[a:b]
            follows = bool(taken) and (
                self.headline_shaped(sentence) or _IMPERATIVE.opens(sentence)
            )
            if follows or self.promo_sentence(sentence, cued=cued):
                taken.append((a, b))
            else:
                break
        if not taken:
            return (start, start)
        if at_end:
            return (min(a for a, _ in taken), end)
        return (start, _next_start(text, max(b for _, b in taken)))

    def verdict(self, text: str) -> tuple[str, str] | None:
        """Why a whole block is furniture (reason, detail), or None to keep it."""
        if SLUG.fullmatch(text):
            return "image-placeholder", "an image alt-text slug"
        key = comparison_key(text)
        if key in _EXACT:
            return _EXACT[key], f"the line is the cue {key!r}"
        words = key.count(" ") + 1 if key else 0  # (a key's words are single-spaced)
        few_words = words in (2, 3) or (words == 1 and text.islower())
        if few_words and _IMAGE_NOUNS.intersection(key.split()):
            return "image-placeholder", "a short line naming an image"
        prose = is_paragraph(text)
        if prose and words > self.max_prompt_words:
            return None
        hits = self.cues(text)
        if not hits:
            return None
        category = _category(hits)
        detail = f"cues {hits[:4]}"
        if not prose and words <= self.max_widget_words:
            return category, f"a short line with {detail}"
        sentences = [text[a:b] for a, b in _sentences(text, 0, len(text))]
        score = min(2, len(hits)) + self.addresses_reader(text)
        score += any(_IMPERATIVE.opens(s) for s in sentences)
        if score >= 3:
            return category, f"{detail}, addressing the reader or imperative"
        return None


def _category(hits: list[str]) -> str:
    """The reason code of the longest of the cues ``hits`` ("promo" when there is none)."""
    return _CONTAINS_CATEGORY[comparison_key(max(hits, key=len))] if hits else "promo"


def _last_words(text: str, start: int, end: int, count: int) -> list[str]:
    """The last ``count`` words of ``text[start:end]`` (all of them when it has fewer), found
    in a window at its end, widened while the window's first word may be cut short."""
    window = max(start, end - 16 * count)
    words = WORD.findall(text, window, end)
    while len(words) <= count and window > start:
        window = max(start, window - 64 * count)
        words = WORD.findall(text, window, end)
    return words[-count:]


def _may_close_with_button(text: str, start: int, end: int) -> bool:
    """False when neither the first nor the last sentence of ``text[start:end]`` closes with an
    ad button: none of the last words of either opens one (most paragraphs are told so without
    being split into sentences)."""
    if lowered_words(text[start:end]).isdisjoint(_AD_BUTTON_OPENERS):
        return False
    first = _SENTENCE_BREAK.search(text, start, end)
    ends = (end,) if first is None else (first.end(), end)
    return any(
        word.lower() in _AD_BUTTON_OPENERS
        for sentence_end in ends
        for word in _last_words(text, start, sentence_end, _AD_BUTTON_WORDS)
    )


def _closing_notice(text: str) -> str | None:
    """``textshape.closing_notice`` of ``text``, asked only when it has furniture wording at all
    (the wording of both notices is furniture wording): one phrase search for most paragraphs."""
    return closing_notice(text) if has_furniture_wording(text) else None


def _next_start(text: str, index: int) -> int:
    """Index of the first non-space character at or after ``index``."""
    return len(text) - len(text[index:].lstrip())


class _Outcome(NamedTuple):
    """What judging a block's text did: the spans it cut and why it removed the block."""

    cuts: tuple[Cut, ...]
    removal: tuple[str, str | None] | None
    """(reason, detail) of the block's removal, if it was removed."""

    @classmethod
    def of(cls, block: Block) -> _Outcome:
        removal = block.removal
        return cls(block.cuts, None if removal is None else (removal.reason, removal.detail))

    def apply(self, block: Block, stage: str) -> None:
        """Do to ``block`` (of the same text) what ``stage`` did to the block judged."""
        for cut in self.cuts:
            block.cut(cut.start, cut.end, cut.reason, cut.stage, cut.detail)
        if self.removal is not None:
            block.remove(self.removal[0], stage, self.removal[1])


class BoilerplateStage:
    """Stage "boilerplate": remove ads, calls to action, prompts and widgets from bodies."""

    name = "boilerplate"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = ("boilerplate",)

    def __init__(
        self,
        *,
        max_widget_words: int = 12,
        max_prompt_words: int = 40,
        ad_window: int = 160,
        max_aside_share: float = 0.3,
    ) -> None:
        """Configure the stage.

        Args:
            max_widget_words: the longest line (in words) a single cue can condemn.
            max_prompt_words: the longest sentence-shaped block that cues, an imperative and
                addressing the reader together can condemn (longer ones only lose inline runs).
            ad_window: the most characters between two cues of one inline ad run.
            max_aside_share: the largest share of a body's words that blocks marked as
                captions or bylines may hold and still be removed.
        """
        self.max_widget_words = max_widget_words
        self.max_prompt_words = max_prompt_words
        self.ad_window = ad_window
        self.max_aside_share = max_aside_share

    def __call__(self, page: Page) -> Page:
        judge = _Judge(page.language, self.max_widget_words, self.max_prompt_words)
        judged: dict[str, _Outcome] = {}
        """What steps 1-3 did to a block's text, by text: a page repeating a line thousands
        of times ("Share", "Reply") judges it once."""
        for draft in page.articles:
            body = [b for b in page.blocks_of(draft, "body") if b.kept]
            self._remove_asides(body)
            for block in body:
                if not block.kept:
                    continue
                text = block.kept_text()
                hint = marked_furniture(block.hints, text)
                if hint is not None:
                    block.remove(hint, self.name, "the HTML marks the block as page furniture")
                    continue
                if looks_like_code(text):
                    block.remove("code", self.name, "shaped like code or data (JSON, CSS, JS)")
                    continue
                self._cut_marked_spans(block)
                if block.cuts:  # the steps depend on the marked spans: judge it afresh
                    self._judge_text(block, judge)
                elif (outcome := judged.get(block.text)) is not None:
                    outcome.apply(block, self.name)
                else:
                    self._judge_text(block, judge)
                    judged[block.text] = _Outcome.of(block)
            self._trim_edges(body, judge.stopwords)
        return page

    def _judge_text(self, block: Block, judge: _Judge) -> None:
        """Steps 1-3 on a block: inline ad runs, prompts at its edges, the whole block."""
        self._cut_ad_runs(block)
        self._cut_promo_edges(block, judge)
        found = judge.verdict(block.kept_text()) if block.kept else None
        if found is not None:
            block.remove(found[0], self.name, found[1])

    def _remove_asides(self, body: list[Block]) -> None:
        """Remove the blocks the markup names captions or bylines (a photo caption or credit,
        the author line or bio), unless together they would be most of the body's words (then
        the markup names a wrapper of the story, not a part of it)."""
        asides = [b for b in body if marked_aside(b.hints) is not None]
        if not asides:
            return
        aside_words = sum(len(b.text.split()) for b in asides)
        total_words = sum(len(b.text.split()) for b in body)
        if aside_words > self.max_aside_share * total_words:
            return
        for block in asides:
            hint = marked_aside(block.hints)
            block.remove(f"{hint}", self.name, "the HTML marks the block as a caption or byline")

    def _cut_marked_spans(self, block: Block) -> None:
        """Cut the inline spans the HTML marks as furniture (a promo ``<span>`` in a sentence)."""
        spans = block.hints.get("inline_hints")
        if not isinstance(spans, list):
            return
        for start, end, hint in spans:
            if marked_furniture({"class_hint": hint}) is not None:
                block.cut(start, end, hint, self.name, "the HTML marks the span as page furniture")

    def _cut_ad_runs(self, block: Block) -> None:
        """Cut inline ad runs; a block that is one ad run is removed as an advertisement."""
        runs = ad_runs(block.text, self.ad_window)
        if runs and runs[0][0] == 0 and runs[0][1] == len(block.text):
            block.remove("advertisement", self.name, "the line is an ad-widget run")
        for start, end in runs:
            block.cut(start, end, "ad-run", self.name, "ad-widget labels and buttons in a row")

    def _cut_promo_edges(self, block: Block, judge: _Judge) -> None:
        """Cut promo sentences closing or opening the block; remove it if nothing else is left."""
        pieces = block.kept_pieces()
        if not pieces:
            return
        low, high = pieces[0][0], pieces[-1][1]
        cued = bool(judge.cues(block.text[low:high]))
        if not cued and not _may_close_with_button(block.text, low, high):
            return  # without a cue, only an ad button closing the first or last sentence prompts
        sentences = _sentences(block.text, low, high)
        for at_end in (True, False):
            start, end = judge.promo_edge(
                block.text, low, high, at_end=at_end, sentences=sentences, cued=cued
            )
            if start >= end:
                continue
            reason = _category(judge.cues(block.text[start:end]))
            if start <= low and end >= high:
                block.remove(reason, self.name, "every sentence is a prompt to the reader")
                return
            where = "closing" if at_end else "opening"
            block.cut(start, end, reason, self.name, f"prompt sentences {where} a paragraph")
            low, high = (low, start) if at_end else (end, high)
            sentences = [(a, b) for a, b in sentences if low <= a and b <= high]

    def _trim_edges(self, body: list[Block], stopwords: frozenset[str]) -> None:
        """Remove what is left before the first and after the last paragraph of a body (save
        its lead, lines worded like sentences right before it, and the article's list or
        table right after it), the paragraphs at either end worded like a cookie notice or
        legal text, and everything from a comment thread's or a copyright notice on."""
        core = [i for i, b in enumerate(body) if b.kept and is_paragraph(b.kept_text())]
        for ordered in (core, core[::-1]):
            for index in ordered:
                if not has_furniture_wording(body[index].kept_text()):
                    break
                body[index].remove(
                    "furniture-wording", self.name, "a cookie, legal or comment-policy notice"
                )
        core = [i for i in core if body[i].kept]
        if not core:
            return
        notices = ((i, _closing_notice(body[i].kept_text())) for i in core[1:])
        closing = next(((i, notice) for i, notice in notices if notice is not None), None)
        if closing is not None:  # what follows a story: the story ended before it
            end, notice = closing
            for block in body[end:]:
                if block.kept:
                    block.remove(notice, self.name, _CLOSING_DETAIL[notice])
            core = [i for i in core if i < end]
        first = core[0]
        while (
            first > 0
            and body[first - 1].kept
            and "heading" not in body[first - 1].hints
            and reads_as_sentence(body[first - 1].kept_text(), stopwords)
        ):
            first -= 1
        entries = list_entries([b.text for b in body], [b.hints for b in body])
        last = end_of_list(
            core[-1],
            len(body),
            entries.__getitem__,
            lambda i: is_paragraph(body[i].kept_text()),
        )
        for index, block in enumerate(body):
            if block.kept and not first <= index <= last:
                where = "before-body" if index < first else "after-body"
                block.remove(where, self.name, "a short line outside the run of paragraphs")
