"""Shape of a line of text, and the one test of what is article text, shared by the stages.

Not a stage: plain functions on strings and reader hints. Segmentation and boilerplate must
agree on what a paragraph is and on what page furniture is, or parsing a body again would not
return the same body, and the HTML reader's evidence would count in one stage but not the other.

:func:`content_weight` is the classifier: one test for both readers. Text gives it the line
alone (its length, its stop words, furniture wording); HTML adds what the markup said (a
furniture ``class_hint``, the share of link text, whether the block sits in ``<article>``).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter

from newsparse.lexicon import load_data

WORD = re.compile(r"\w+")
SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")
"""A URL-slug-like token ("app-store", "share_icon"): image names and widget ids, not prose."""
CLOSING = "\"'”’»)]"
"""Characters that may follow a sentence's terminal punctuation."""
SENTENCE_END = ".!?…。！？"

FURNITURE_HINTS = frozenset(load_data("html_hints.json")["furniture_hints"])
"""Reader ``class_hint`` s of page furniture (ads, comments, navigation, related links, ...)."""
ASIDE_HINTS = frozenset(load_data("html_hints.json")["aside_hints"])
"""Reader ``class_hint`` s of an article's own parts that are not its running text (captions,
bylines and author bios)."""
MAX_LINK_DENSITY = 0.8
"""A block whose text is this much link text or more is a list of links, not prose."""
PROSE_STOPWORD_SHARE = 0.25
"""Share of stop words from which a line reads as full prose (teasers and tag clouds have
fewer: they are names and nouns)."""
FURNITURE_PROSE_WEIGHT = 0.1
"""What a paragraph worded like a cookie notice, legal text or a comment policy still weighs."""
MAX_CAPITALISED_SHARE = 0.6
"""Share of capitalised words above which a line is a list of names or titles (a tag cloud,
a run of teaser headlines), in any language that has capitals."""
LIST_WEIGHT = 0.2
"""What a line shaped like a list of names or titles still weighs."""
CAPTION_WEIGHT = 0.3
"""What a caption weighs: part of an article, yet no evidence of where its story is."""
IN_ARTICLE_BONUS = 1.5
"""Extra weight of a block the HTML puts inside ``<article>``/``<main>``."""
MAX_MARKER_CHARS = 60
"""Longest line tested as a comment-thread or widget marker."""

_CUES = load_data("boilerplate_cues.json")
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words)
    for lang, words in load_data("stopwords.json").items()
    if not lang.startswith("_")
}
"""Stop words by language (ISO 639-1): the evidence for sentence shape and page language."""


def _phrases(by_category: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
    return [p for by_language in by_category.values() for ps in by_language.values() for p in ps]


def reset_caches() -> None:
    """Empty the bounded memos of words and keys of recent texts (pure functions)."""
    lowered_words.cache_clear()
    comparison_key.cache_clear()


@lru_cache(maxsize=256)
def lowered_words(text: str) -> frozenset[str]:
    """The words of ``text`` in lower case, computed once per text for the several phrase
    lists and shape tests that look at the same block or sentence."""
    if text.isascii() or _lowers_as_folded(text):  # the words of the (cached) key
        return frozenset(comparison_key(text).split())
    return frozenset(map(str.lower, WORD.findall(text)))


def _lowers_as_folded(text: str) -> bool:
    """True when lowering ``text`` as a whole is case folding it and lowers each character
    alone, into one character: then lowering its words one by one gives the words of its
    :func:`comparison_key` (in Unicode, lowering a character alone into one never changes
    whether it is a word character). Capital sigma lowers by context: it is left out."""
    lowered = text.lower()
    return "Σ" not in text and len(lowered) == len(text) and lowered == text.casefold()


class PhraseMatcher:
    """Finds phrases of a data file in text as whole words, longest first; a space in a phrase
    matches any run of whitespace.

    One regex alternation of hundreds of phrases is tried at every character of the text; here
    the phrases are grouped by their first word, so only the words of the text that open some
    phrase are tried, each against its few phrases: one pass over the words, whatever the
    number of phrases. Every phrase must start and end with a word character.
    """

    def __init__(self, phrases: Iterable[str], *, ignore_case: bool = True) -> None:
        self._ignore_case = ignore_case
        groups: dict[str, list[str]] = {}
        self._most_words = 0
        """Most words in a phrase: only the last ones of a text can open a phrase closing it."""
        self._words_by_opener: dict[str, list[frozenset[str]]] = {}
        """The words of each phrase, by its first word in lower case: a text holding none of
        them whole skips the matching."""
        for phrase in sorted(set(phrases), key=len, reverse=True):
            words = WORD.findall(phrase)
            if not words or not phrase.startswith(words[0]) or not phrase.endswith(words[-1]):
                raise ValueError(f"phrase {phrase!r} must start and end with a word character")
            groups.setdefault(self._word_key(words[0]), []).append(
                re.escape(phrase).replace(r"\ ", r"\s+")
            )
            self._most_words = max(self._most_words, len(words))
            lowered = [word.lower() for word in words]
            self._words_by_opener.setdefault(lowered[0], []).append(frozenset(lowered))
        self._openers = frozenset(self._words_by_opener)
        """The first words of the phrases, as a set: intersected with a text's words in C."""
        flags = re.IGNORECASE if ignore_case else 0
        self._anywhere = {
            word: re.compile(rf"(?:{'|'.join(group)})(?!\w)", flags)
            for word, group in groups.items()
        }
        self._at_end = {
            word: re.compile(rf"(?:{'|'.join(group)})(?!\w)\W*\Z", flags)
            for word, group in groups.items()
        }

    def _word_key(self, word: str) -> str:
        return word.lower() if self._ignore_case else word

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The non-overlapping occurrences in ``text``, left to right."""
        present = lowered_words(text)
        openers = {
            opener
            for opener in present & self._openers
            if any(words <= present for words in self._words_by_opener[opener])
        }
        if not openers:
            return
        resume = 0
        for word in WORD.finditer(text):
            if word.start() < resume or word.group().lower() not in openers:
                continue
            pattern = self._anywhere.get(self._word_key(word.group()))
            if pattern is not None and (found := pattern.match(text, word.start())):
                resume = found.end()
                yield found

    def search(self, text: str) -> re.Match[str] | None:
        """The first occurrence in ``text``, or None."""
        return next(self.finditer(text), None)

    def opens(self, text: str) -> bool:
        """True when ``text`` starts with a phrase (after any non-word characters)."""
        word = WORD.search(text)
        if word is None:
            return False
        pattern = self._anywhere.get(self._word_key(word.group()))
        return pattern is not None and pattern.match(text, word.start()) is not None

    def closes(self, text: str) -> bool:
        """True when ``text`` ends with a phrase (before any non-word characters)."""
        last_words = deque(WORD.finditer(text), maxlen=self._most_words)
        for word in last_words:
            pattern = self._at_end.get(self._word_key(word.group()))
            if pattern is not None and pattern.match(text, word.start()) is not None:
                return True
        return False


_FURNITURE_PROSE = PhraseMatcher(_phrases(_CUES["furniture_prose"]))
_CLOSING_PROSE = {
    category: PhraseMatcher([p for ps in _CUES["furniture_prose"][category].values() for p in ps])
    for category in ("comments", "copyright")
}
"""Wording of what follows a story: a comment thread's opening notice, a copyright line."""
_FURNITURE_MARKER = re.compile(
    r"\W*(?:"
    + "|".join(m for markers in _CUES["furniture_markers"].values() for m in markers)
    + r")\W*",
    re.IGNORECASE,
)


_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not WORD.match(chr(c))})
"""Blanks out the ASCII characters that are not word characters (``WORD``)."""


@lru_cache(maxsize=1024)
def comparison_key(text: str) -> str:
    """Lower-case words only, so that case, punctuation and spacing do not matter.

    Cached: segmentation keys every block, boilerplate keys them again, and
    :func:`lowered_words` reads most texts' words from their key. An ASCII text is split by
    blanking what is not a word character, without a regex match per word.
    """
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
    return " ".join(WORD.findall(text.casefold()))


def words_of(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with terminal punctuation, closing quotes ignored."""
    stripped = text.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_paragraph(text: str) -> bool:
    """True for a sentence-shaped line (five words or more) or a long line."""
    return is_paragraph_of(text, words_of(text))


def is_paragraph_of(text: str, words: int) -> bool:
    """:func:`is_paragraph` of a ``text`` whose ``words`` (:func:`words_of`) are counted
    already: a caller measuring a line several ways splits it once."""
    return ((words >= 5 or len(text) >= 40) and ends_sentence(text)) or (
        words >= 30 or len(text) >= 200
    )


MIN_SENTENCE_WORDS = 10
"""Fewest words of a line read as a sentence that lacks its full stop (a lead paragraph
printed without one)."""
MAX_SENTENCE_CAPITALISED_SHARE = 0.5
"""Share of capitalised words above which such a line is a headline or a list of names."""


def reads_as_sentence(text: str, stopwords: frozenset[str]) -> bool:
    """True for a line worded like a sentence though it lacks terminal punctuation: enough
    words, of which enough are stop words of the page's language (when it is known) and few
    capitalised. Segmentation and boilerplate take such lines just before a body as its lead,
    not as header lines."""
    if len(text) < 2 * MIN_SENTENCE_WORDS:  # too short for the words: skip the tokenising
        return False
    words = WORD.findall(text)
    if len(words) < MIN_SENTENCE_WORDS:
        return False
    if stopwords:
        share = sum(word.casefold() in stopwords for word in words) / len(words)
        if share < PROSE_STOPWORD_SHARE:
            return False
    return _capitalised_share(text) <= MAX_SENTENCE_CAPITALISED_SHARE


CODE_SAMPLE_CHARS = 600
"""Characters of a long block looked at by :func:`looks_like_code`, in three windows (its
start, middle and end): enough to tell code from prose, without scanning a 20,000-char block."""
MIN_CODE_CHARS = 40
"""Fewest non-space characters of a line tested as code: shorter lines are labels or URLs."""
CODE_PUNCTUATION = '{}[]":;=<>\\/'
"""Punctuation of JSON, CSS, JavaScript and markup."""
MIN_CODE_PUNCTUATION_SHARE = 0.08
"""Share of code punctuation among non-space characters from which a line may be code."""
MAX_CODE_LETTER_SHARE = 0.9
"""Share of letters among non-space characters above which a line is text, whatever else."""
MIN_CODE_TOKEN_SHARE = 0.45
"""Share of the non-space characters in code tokens (``{"id":``, ``push(function(){``) from
which a line is code; prose with a formula, a bracket or an e-mail address stays under 0.3."""
MIN_CODE_PAIRS = 3
"""Quoted keys (``"id":``) that make a line spaced-out JSON, or declarations (``margin: 0;``)
that, between braces, make one CSS."""
_CODE_TOKEN = re.compile(
    r"""[{}=<>\\]|\[["'{\[]|["'}\]]\]|[;:,][^\s\d]|\.[A-Za-z_$][\w$]*\(|\(\)|["']\s*:"""
    r"""|\)[^\s.,;:!?"'”’»)\]]"""
)
"""What a token of code holds and a word of prose does not: a brace, '=', '<>' or a
backslash; a bracket next to a quote, a brace or a bracket (``["a",``); a separator glued to
what follows (``,"b"``, ``a:hover``); a method call or empty parentheses (``.push(``,
``function()``); a quoted key; a closing parenthesis glued to more code (``)})``)."""
_URL = re.compile(r"""(?:https?://|www\.)[^\s"'{}\[\]<>]*[.,;:!?)]*""")
"""A bare URL token (its query string's '=' is not code)."""
_JSON_KEY = re.compile(r'"[^"\s]{1,40}"\s*:')
"""A quoted key of JSON (``"id":``)."""
_CSS_DECLARATION = re.compile(r"[\w-]+\s*:\s*[^\s;:{}][^;:{}]{0,80};")
"""A CSS declaration ending in ';' (``margin: 0 auto;``)."""


def _code_sample(text: str) -> str:
    """The whole of a short ``text``; three windows of a long one (start, middle, end)."""
    if len(text) <= 3 * CODE_SAMPLE_CHARS:
        return text
    middle = (len(text) - CODE_SAMPLE_CHARS) // 2
    return "\n".join(
        (
            text[:CODE_SAMPLE_CHARS],
            text[middle : middle + CODE_SAMPLE_CHARS],
            text[-CODE_SAMPLE_CHARS:],
        )
    )


def looks_like_code(text: str) -> bool:
    """True for a block shaped like code or data rather than text: inline JSON state, CSS or
    JavaScript that a text dump keeps. Language-independent: it looks at characters only.

    Code is dense in code punctuation (``{}[]":;=<>\\/``) and not made almost only of
    letters; and most of its characters are in code tokens (minified JSON, JavaScript), or it
    holds several quoted keys (JSON spaced out) or, between braces, declarations (CSS). Prose
    with numbers, quotes, a URL, a formula or a table line has too few code tokens and pairs.
    A long block is judged on a sample (:data:`CODE_SAMPLE_CHARS`): its cost is bounded.
    """
    sample = _code_sample(text)
    return _code_shaped(sample, sample.split())


def looks_like_code_of(text: str, words: list[str]) -> bool:
    """:func:`looks_like_code` of a ``text`` whose ``words`` (``text.split()``) are at hand:
    a caller measuring a line several ways splits it once."""
    sample = _code_sample(text)
    return _code_shaped(sample, words if sample is text else sample.split())


def _code_shaped(sample: str, tokens: list[str]) -> bool:
    """The test of :func:`looks_like_code` on a sample and its whitespace-separated tokens."""
    solid = sum(map(len, tokens))
    if solid < MIN_CODE_CHARS:
        return False
    punctuation = sum(map(sample.count, CODE_PUNCTUATION))
    if punctuation < MIN_CODE_PUNCTUATION_SHARE * solid:
        return False
    if sum(map(str.isalpha, sample)) > MAX_CODE_LETTER_SHARE * solid:
        return False
    in_code = sum(
        len(token) for token in tokens if _CODE_TOKEN.search(token) and not _URL.fullmatch(token)
    )
    if in_code >= MIN_CODE_TOKEN_SHARE * solid:
        return True
    if len(_JSON_KEY.findall(sample)) >= MIN_CODE_PAIRS:
        return True
    braced = "{" in sample and "}" in sample
    return braced and len(_CSS_DECLARATION.findall(sample)) >= MIN_CODE_PAIRS


def stopwords_of(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (empty when it is unknown)."""
    return STOPWORDS.get(language or "", frozenset())


def marked_furniture(hints: Mapping[str, object], text: str | None = None) -> str | None:
    """What the reader's hints say a block is when it is page furniture, else None.

    A furniture ``class_hint`` names itself ("comment", "nav", ...); a block that is mostly
    link text is "link-list", unless its ``text`` (when given) is one web address: a link
    printing its own address is written out by the author, not a list of links. Text input
    has no hints, so this is None there.
    """
    hint = hints.get("class_hint")
    if isinstance(hint, str) and hint in FURNITURE_HINTS:
        return hint
    density = hints.get("link_density")
    if not isinstance(density, float) or density < MAX_LINK_DENSITY:
        return None
    printed_address = text is not None and _URL.fullmatch(text.strip()) is not None
    return None if printed_address else "link-list"


ITEM_TAGS = frozenset(load_data("html_hints.json")["item_tags"])
"""Tags of list items and table cells: a story told as a list or a table is short lines."""
STORY_LINE_TAGS = ITEM_TAGS | {"p"}
"""Tags of the story's own lines inside the HTML's article: list items, table cells and
paragraph elements (a menu or a recipe printed as short ``<p>`` lines)."""


def is_article_item(hints: Mapping[str, object]) -> bool:
    """True for a list item, table cell or paragraph element the HTML puts inside the article
    and does not mark as furniture: part of the story however short it is (a results table, a
    list of tips, a menu of short lines)."""
    in_article = bool(hints.get("in_article"))
    return in_article and hints.get("tag") in STORY_LINE_TAGS and marked_furniture(hints) is None


_ORDINAL = re.compile(r"\s*(\d{1,3})(?:[.)]|\s)")
"""A line opening with an entry's number ("3) ", "3. ", "3 Kyle Busch 5033")."""
MAX_ENTRY_LINES = 3
"""Most lines of one entry of a numbered list (its name, then a link or a description)."""


def _numbered_entries(texts: Sequence[str]) -> set[int]:
    """Indexes of the lines opening a numbered list's entries: a line opening with a number
    one more than a line's at most ``MAX_ENTRY_LINES`` before it ("1) ...", "2) ...")."""
    found: set[int] = set()
    latest: dict[int, int] = {}
    """Index of the latest line opening with each number."""
    for index, text in enumerate(texts):
        match = _ORDINAL.match(text)
        if match is None:
            continue
        number = int(match.group(1))
        previous = latest.get(number - 1)
        if previous is not None and index - previous <= MAX_ENTRY_LINES:
            found.update((previous, index))
        latest[number] = index
    return found


def list_entries(texts: Sequence[str], hints: Sequence[Mapping[str, object]]) -> list[bool]:
    """Which blocks are entries of the story's own lists, however short: the article's items
    (:func:`is_article_item`) and, in any language and without markup, the lines opening a
    numbered list's entries or a ranking table's rows; never a block marked as furniture."""
    numbered = _numbered_entries(texts)
    return [
        is_article_item(hint) or (index in numbered and marked_furniture(hint) is None)
        for index, hint in enumerate(hints)
    ]


def end_of_list(
    last: int, end: int, is_entry: Callable[[int], bool], is_prose: Callable[[int], bool]
) -> int:
    """The last line of the list that runs on after line ``last`` (``last`` when none does),
    before ``end``: entries, each followed by at most one line that is no paragraph
    (``is_prose``; the entry's link or note). Segmentation and boilerplate end a story's
    closing list alike."""
    while True:
        if last + 1 < end and is_entry(last + 1):
            last += 1
        elif last + 2 < end and is_entry(last + 2) and not is_prose(last + 1):
            last += 2
        else:
            return last


def marked_aside(hints: Mapping[str, object]) -> str | None:
    """The hint of a block the markup names a caption or byline (part of the article, not of
    its running text), else None. Text input has no hints, so this is None there."""
    hint = hints.get("class_hint")
    return hint if isinstance(hint, str) and hint in ASIDE_HINTS else None


def is_furniture_marker(text: str) -> bool:
    """True for a short line of a comment thread or widget ("Reply", "36 Votes", "Ann says:")."""
    return len(text) <= MAX_MARKER_CHARS and _FURNITURE_MARKER.fullmatch(text) is not None


def has_furniture_wording(text: str) -> bool:
    """True when ``text`` is worded like a cookie notice, legal text or a comment policy."""
    return _FURNITURE_PROSE.search(text) is not None


def closing_notice(text: str) -> str | None:
    """ "comments" when ``text`` is worded like the notice opening a comment thread ("Comments
    are moderated", "Leave a reply"), "copyright" when worded like a page's copyright line
    ("All rights reserved"), else None: both follow a story, never sit inside one."""
    return next((c for c, phrases in _CLOSING_PROSE.items() if phrases.search(text)), None)


def _capitalised_share(text: str) -> float:
    """Share of the words of ``text`` that start with a capital letter (digits not counted)."""
    return _capitalised_share_of(text.split())


def _capitalised_share_of(words: Iterable[str]) -> float:
    """:func:`_capitalised_share` of a text's ``words`` (``text.split()``). Built-in maps
    rather than a loop over the words: paragraphs are long."""
    initials = "".join(filter(str.isalpha, map(itemgetter(0), words)))
    return sum(map(str.isupper, initials)) / len(initials) if initials else 0.0


def content_weight(text: str, hints: Mapping[str, object], stopwords: frozenset[str]) -> float:
    """How much a block counts as article text: its length, scaled by the evidence.

    Zero for furniture the markup marks; scaled down for lines with few stop words (teasers,
    tag clouds: names and nouns, not sentences), for captions and for furniture wording;
    scaled up inside the
    HTML's ``<article>``. Segmentation picks the main article by these weights.

    Args:
        text: the block's text.
        hints: what the reader knew of the block (empty for text input).
        stopwords: stop words of the page's language (empty: no stop-word evidence).
    """
    if marked_furniture(hints) is not None:
        return 0.0
    folded = WORD.findall(text.casefold()) if stopwords else []
    wording = wording_weight(text, text.split(), folded, stopwords)
    return hinted_weight(wording, has_furniture_wording(text), hints)


def wording_weight(
    text: str, words: list[str], folded_words: Sequence[str], stopwords: frozenset[str]
) -> float:
    """What ``text`` weighs by its words alone (the first steps of :func:`content_weight`):
    its length, scaled down for few stop words and for a list of names. ``words`` is
    ``text.split()`` and ``folded_words`` the words of its :func:`comparison_key` (needed
    with ``stopwords`` only), which a caller measuring and keying the text has at hand."""
    weight = float(len(text))
    if stopwords:
        stops = sum(map(stopwords.__contains__, folded_words))
        share = stops / len(folded_words) if folded_words else 0.0
        weight *= min(1.0, share / PROSE_STOPWORD_SHARE)
    if _capitalised_share_of(words) > MAX_CAPITALISED_SHARE:
        weight *= LIST_WEIGHT
    return weight


def hinted_weight(wording: float, furniture_wording: bool, hints: Mapping[str, object]) -> float:
    """:func:`content_weight` of a block the markup does not mark as furniture, from its
    :func:`wording_weight`, whether it :func:`has_furniture_wording`, and the reader's hints
    (the remaining steps, in the same order: the same float)."""
    weight = wording
    if hints.get("class_hint") == "caption":
        weight *= CAPTION_WEIGHT
    if furniture_wording:
        weight *= FURNITURE_PROSE_WEIGHT
    if hints.get("in_article"):
        weight *= IN_ARTICLE_BONUS
    return weight
