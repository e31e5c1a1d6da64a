"""Stage "sources": who published each article, who reposted it, whom its body cites, and who
said what.

Four questions per article, each answered from evidence that holds across sites:

* **publisher** (``draft.source``): the outlet that wrote the article. Evidence, strongest
  first: a wire credit opening the body (``WASHINGTON (AP) —``, ``By Reuters``), the article's
  header lines (``CNN``, ``By Jane Doe, Reuters``, ``Reuters · 3 hours ago``), the page
  metadata (``og:site_name`` ...), the URL's domain. Names are checked against a gazetteer of
  agencies, outlets and aggregators (``data/outlets.json``) whose canonical name becomes
  ``Source.normalized``; bylined people go to ``draft.authors``.
* **aggregator** (``draft.aggregator``): the site that reposts other outlets' articles. A known
  aggregator domain, site name or logo line, or a brand the page names in its own app and
  feature prompts ("Download X app today", removed boilerplate included) when the page carries
  articles of several other publishers. An aggregator is never a publisher.
* **citations** (``draft.citations``): every *named* source the body cites through a reporting
  cue ("according to X", "X said", "..., said X", "told X", "X's team announced"), the cues kept
  as data in several languages (``data/sources_cues.json``). Names are runs of capitalised
  tokens; titles and descriptors are dropped ("Interior Minister Jane Roe" -> "Jane Roe",
  "Chinese state media Xinhua" -> "Xinhua"), a short form resolves to the fullest name the
  body gives ("Roe" -> "Jane Roe"), and the kind comes from the gazetteer, the
  country list (``data/sources_countries.json``) and the words of the name
  (``data/sources_words.json``).

* **quotes** (``draft.quotes``): every direct quotation of four words or more, marks included,
  in straight, curly, angle or single marks (single marks and straight ones pair by context,
  so apostrophes are not taken for quotation marks; titles and slogans are left out, by the
  naming words of ``data/sources_cues.json``), with its speaker: the name its attribution
  gives, or the nearest fitting source a pronoun or a defined noun ("he", "the statement",
  "the minister") refers back to, or the speaker of the quotation a bare paragraph
  continues; ``None`` for unnamed speakers. A named speaker is also cited.

:func:`extract_citations` and :func:`extract_quotes` run, on any text, the code the stage
runs on each body. Everything
is a single pass over tokens with bounded look-around, so time is linear in the text's length.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit

from newsparse.document import ArticleDraft, Block, Body, Page, read_limits, unread_warning
from newsparse.errors import PipelineError
from newsparse.lexicon import load_data
from newsparse.models import Citation, Quote, Source, SourceKind, SourceRole, TextSpan

# --------------------------------------------------------------------------------------------
# data

_CUES: dict[str, Any] = load_data("sources_cues.json")
_WORDS: dict[str, Any] = load_data("sources_words.json")
_OUTLET_RECORDS: list[dict[str, Any]] = load_data("outlets.json")["outlets"]
_COUNTRY_RECORDS: list[dict[str, Any]] = load_data("sources_countries.json")["countries"]

_KEY_DROPPED = re.compile(r"[.'\u2019\u2018`]")
_KEY_SEPARATOR = re.compile(r"[^\w&]+")
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")


def name_key(name: str) -> str:
    """The comparison form of a name: no accents, case, dots, apostrophes or leading "the".

    >>> name_key("The U.S. Attorney’s Office")
    'us attorneys office'
    """
    return _name_key(name)


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    """:func:`name_key`, computed once per distinct name (the same names recur in every
    sentence and every lookup)."""
    if name.isascii():  # nothing to decompose (most names: the cheap path)
        plain = name.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _KEY_SEPARATOR.sub(" ", _KEY_DROPPED.sub("", plain)).replace("_", " ").strip()
    plain = " ".join(plain.split())
    return plain[4:] if plain.startswith("the ") else plain


def reset_caches() -> None:
    """Forget every memo of this module (name keys, acronym tests): each is a pure lookup,
    bounded in size, rebuilt on next use."""
    for cache in (_name_key, _is_acronym):
        cache.cache_clear()


def _loose_key(key: str) -> str:
    """A key that ignores a plural "s" on each word ("time of india" = "times of india")."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") else word for word in key.split()
    )


@lru_cache(maxsize=8192)
def _is_acronym(text: str) -> bool:
    """All-capital forms such as "AP" or "RFE/RL", matched case-sensitively."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _words(field_name: str) -> frozenset[str]:
    return frozenset(_WORDS[field_name])


def _casefolded(field_name: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in _WORDS[field_name])


_TITLES = _casefolded("titles")
_WEAK_TITLES = _casefolded("weak_titles")
_PARTICLES = _casefolded("name_particles")
_NAME_SUFFIXES = _casefolded("name_suffixes")
_JOINABLE_HEADS = _casefolded("joinable_heads")
_GOVERNMENT_WORDS = _casefolded("government_words")
_ORGANISATION_WORDS = _casefolded("organisation_words")
_OUTLET_WORDS = _casefolded("outlet_words")
_OTHER_WORDS = _casefolded("other_words")
_UNNAMED = _words("unnamed")
_TIME_WORDS = _casefolded("time_words")
_CORPORATE_SUFFIXES = _words("corporate_suffixes")
_PLATFORM_KEYS = frozenset(name_key(p) for p in _WORDS["platforms"])
_INTERNATIONAL_KEYS = frozenset(name_key(m) for m in _WORDS["international_markers"])
_GOVERNMENT_BODY_KEYS = frozenset(name_key(b) for b in _WORDS["government_bodies"])
_ORGANISATION_KEYS = frozenset(name_key(o) for o in _WORDS["organisations"])
_PLACE_KEYS = frozenset(name_key(p) for p in _WORDS["places"])
_BODY_WORDS = _GOVERNMENT_WORDS | _ORGANISATION_WORDS | _OUTLET_WORDS | _OTHER_WORDS
_GOVERNMENT_HEADS = tuple(word for word in _GOVERNMENT_WORDS if len(word) >= 7)
"""Long government words also end compounds ("Finanzministerium", "Bundespolizei")."""


@dataclass(frozen=True)
class _Country:
    name: str
    demonym: str | None


def _country_index() -> tuple[dict[str, _Country], dict[str, _Country], frozenset[str]]:
    """Country names and variants by key, demonyms by key, and the keys of capitals."""
    by_name: dict[str, _Country] = {}
    by_demonym: dict[str, _Country] = {}
    capitals: set[str] = set()
    for record in _COUNTRY_RECORDS:
        demonyms: list[str] = record["demonyms"]
        country = _Country(record["name"], demonyms[0] if demonyms else None)
        for form in (record["name"], *record["variants"]):
            by_name.setdefault(name_key(form), country)
        if record["capital"]:
            capitals.add(name_key(record["capital"]))
        for demonym in demonyms:
            by_demonym.setdefault(name_key(demonym), country)
    return by_name, by_demonym, frozenset(capitals)


_COUNTRIES, _DEMONYMS, _CAPITAL_KEYS = _country_index()
_PLACE_LIKE_KEYS = frozenset(_COUNTRIES) | _PLACE_KEYS | _CAPITAL_KEYS
_ACRONYM_COUNTRIES = frozenset(
    form for record in _COUNTRY_RECORDS for form in record["variants"] if _is_acronym(form)
)


# --------------------------------------------------------------------------------------------
# the gazetteer of outlets, agencies and aggregators


@dataclass(frozen=True)
class Outlet:
    """A gazetteer record: a news agency, outlet or aggregator."""

    name: str
    kind: str
    country: str
    forms: tuple[str, ...]
    domains: tuple[str, ...]
    ambiguous: bool = False

    @property
    def canonical(self) -> str:
        """The common name, without the qualifier that only disambiguates ("ABC (Spain)")."""
        return _PARENTHETICAL.sub("", self.name)

    @property
    def source_kind(self) -> SourceKind:
        """Agencies are "agency"; outlets and aggregators (websites too) are "outlet"."""
        return "agency" if self.kind == "agency" else "outlet"


class Gazetteer:
    """Looks names, header lines and URLs up among known outlets (first record wins a form)."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self._by_key: dict[str, Outlet] = {}
        self._by_acronym: dict[str, Outlet] = {}
        self._by_loose_key: dict[str, Outlet | None] = {}
        self._by_domain: dict[str, Outlet] = {}
        self._by_opening: dict[str, list[tuple[str, Outlet]]] = {}
        self._printed: set[str] = set()
        self._common_word_keys: set[str] = set()
        for record in records:
            outlet = Outlet(
                name=record["name"],
                kind=record["kind"],
                country=record["country"],
                forms=(_PARENTHETICAL.sub("", record["name"]), *record["variants"]),
                domains=tuple(record["domains"]),
                ambiguous=record.get("ambiguous", False),
            )
            for form in outlet.forms:
                self._add_form(form, outlet)
            for domain in outlet.domains:
                self._by_domain.setdefault(domain.casefold(), outlet)
        for forms in self._by_opening.values():
            forms.sort(key=lambda item: -len(item[0]))

    def _add_form(self, form: str, outlet: Outlet) -> None:
        if outlet.ambiguous and not _is_acronym(form) and " " not in name_key(form):
            self._common_word_keys.add(name_key(form))
        if _is_acronym(form) and len(form) <= 6:
            self._by_acronym.setdefault(form, outlet)
        else:
            key = name_key(form)
            self._by_key.setdefault(key, outlet)
            loose = _loose_key(key)
            if loose in self._by_loose_key and self._by_loose_key[loose] is not outlet:
                self._by_loose_key[loose] = None  # ambiguous: never guessed
            else:
                self._by_loose_key[loose] = outlet
        self._printed.add(form)
        for printed in {form, form.upper()}:
            self._by_opening.setdefault(printed[:2].casefold(), []).append((printed, outlet))

    def find(self, name: str, *, distinctive: bool = False) -> Outlet | None:
        """The outlet printed as ``name`` (acronyms only in capitals: "AP", not "Ap").

        With ``distinctive``, names that are also common words ("Time", "The Hill") are not
        taken: alone on a header line they are as likely a menu item as a credit.
        """
        name = name.strip()
        if name in self._by_acronym:
            return self._by_acronym[name]
        if len(name) <= 6 and _is_acronym(name):
            return None
        key = name_key(name)
        if distinctive and key in self._common_word_keys:
            return None
        return self._by_key.get(key)

    def prints(self, form: str) -> bool:
        """Whether some outlet is printed exactly as ``form`` (lower-case names: "dpa", "taz")."""
        return form in self._printed

    def find_loosely(self, name: str, *, distinctive: bool = False) -> Outlet | None:
        """Like :meth:`find`, forgiving a plural "s" ("New York Time" -> The New York Times)."""
        found = self.find(name, distinctive=distinctive)
        if found is not None:
            return found
        key = name_key(name)
        return self._by_loose_key.get(_loose_key(key)) if len(key) >= 8 else None

    def find_opening(self, text: str) -> tuple[Outlet, int] | None:
        """The outlet whose distinctive printed form opens ``text`` on a word boundary.

        A boundary is the end, a non-alphanumeric character, or a case change after a
        capital ("CNNa day ago": a header glued to its time label). Common-word names
        ("Tempo de leitura") never open a line as a credit.
        """
        for form, outlet in self._by_opening.get(text[:2].casefold(), ()):
            if not text.startswith(form) or name_key(form) in self._common_word_keys:
                continue
            end = len(form)
            if end == len(text) or not text[end].isalnum():
                return outlet, end
            if form[-1].isupper() and text[end].islower():
                return outlet, end
        return None

    def find_domain(self, url: str | None) -> Outlet | None:
        """The outlet of the URL's host, trying its registered domain and parent domains."""
        if not url:
            return None
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").casefold()
        labels = host.removeprefix("www.").split(".")
        for i in range(len(labels) - 1):
            found = self._by_domain.get(".".join(labels[i:]))
            if found is not None:
                return found
        return None


GAZETTEER = Gazetteer(_OUTLET_RECORDS)
"""The outlets, agencies and aggregators of ``data/outlets.json``."""


# --------------------------------------------------------------------------------------------
# tokens, quotations, sentences

_WORD_TOKEN = r"[^\W_]+(?:[-/&.'\u2019][^\W_]+)*"
_TOKEN = re.compile(rf"{_WORD_TOKEN}|[^\w\s]{{8,}}|[^\w\s]")
"""A word, or a mark; a run of eight marks or more ("........", "-=-=-=-=") is one token: no
cue reads inside one, and a page of them would otherwise be a token per character."""
_POSSESSIVE_ENDINGS = ("'s", "\u2019s")
_ELISION = re.compile(r"[^\W\d_]{1,4}['\u2019](?=[^\W\d_])")
_ABBREVIATIONS = frozenset(
    word.rstrip(".").casefold()
    for field_name in ("titles", "weak_titles", "name_suffixes", "organisation_words", "unnamed")
    for word in _WORDS[field_name]
    if word.endswith(".")
) | frozenset(word.rstrip(".").casefold() for word in _WORDS["abbreviations"])


@dataclass(slots=True, unsafe_hash=True, init=False)
class _Token:
    """A word, a punctuation mark, a possessive "'s", or a whole quotation (``quote``).

    Never modified once made, but not ``frozen``, and with its own ``__init__``: a frozen
    dataclass's, or one calling ``__post_init__``, costs a third of tokenising, and a body has
    tens of thousands of tokens (millions in a run of marks), all alive until the body is
    done: what a token holds is kept to its text, start and flags. Equality and hashing are
    by value, as a frozen one's.
    """

    text: str
    start: int
    quote: bool
    lower: str = field(compare=False, repr=False)
    """The text case-folded (read for every token, many times: computed once; the text itself
    when already in lower case)."""
    is_word: bool = field(compare=False, repr=False)
    """Not a quotation, and starts with a letter or digit."""

    def __init__(self, text: str, start: int, quote: bool = False) -> None:
        self.text = text
        self.start = start
        self.quote = quote
        lower = text.casefold()
        self.lower = text if lower == text else lower
        self.is_word = not quote and text[:1].isalnum()

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_possessive(self) -> bool:
        return self.text in _POSSESSIVE_ENDINGS

    @property
    def is_capitalised(self) -> bool:
        return self.is_word and _is_capitalised(self.text)


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """Words and marks of ``text[start:end]``; abbreviations keep their dot, "'s" splits off."""
    tokens: list[_Token] = []
    append = tokens.append
    consumed = start
    for match in _TOKEN.finditer(text, start, end):
        begin, stop = match.span()
        if begin < consumed:
            continue  # the dot an abbreviation took
        word = match.group()
        if stop < end and text[stop] == "." and word[0].isalpha() and _takes_dot(word):
            word, stop = word + ".", stop + 1
        consumed = stop
        if "'" in word or "\u2019" in word:
            tokens.extend(_Token(part, offset) for part, offset in _apostrophe_parts(word, begin))
        else:
            append(_Token(word, begin))
    return tokens


def _takes_dot(word: str) -> bool:
    """Whether a word starting with a letter keeps the "." after it: an abbreviation ("U.S.",
    "Gov.", "P.")."""
    return len(word) == 1 or "." in word or word.casefold() in _ABBREVIATIONS


def _apostrophe_parts(word: str, begin: int) -> list[tuple[str, int]]:
    """(text, start) of the tokens of a word holding an apostrophe that starts at ``begin``:
    an elision before a capital splits off ("l'AFP"), and so does a possessive "'s"."""
    parts: list[tuple[str, int]] = []
    elision = _ELISION.match(word)
    if elision and word[elision.end() :][:1].isupper():  # "l'AFP", "dell'Istat"
        parts.append((word[: elision.end()], begin))
        word, begin = word[elision.end() :], begin + elision.end()
    if len(word) > 2 and word.endswith(_POSSESSIVE_ENDINGS):
        parts.append((word[:-2], begin))
        parts.append((word[-2:], begin + len(word) - 2))
    else:
        parts.append((word, begin))
    return parts


_WORD_THEN_DOT = re.compile(rf"({_WORD_TOKEN})(\.?)")
"""A word of :data:`_TOKEN` (its marks left out) and the full stop right after it, if any."""


def _casefolded_words(text: str) -> Iterator[str]:
    """The tokens of :func:`_tokens` over the whole of ``text`` that start with a letter or a
    digit, case-folded: no token is made, and marks are skipped inside the regex."""
    for word, dot in _WORD_THEN_DOT.findall(text):
        if dot and word[0].isalpha() and _takes_dot(word):
            word += "."
        if "'" in word or "\u2019" in word:
            parts = _apostrophe_parts(word, 0)
            yield from (part.casefold() for part, _ in parts if part[:1].isalnum())
        else:
            yield word.casefold()


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each non-empty line."""
    for match in re.finditer(r"[^\n]+", text):
        if not match.group().isspace():
            yield match.start(), match.end()


_DOUBLE_CLOSERS = {
    '"': '"\u201d',
    "\u201c": '\u201d"',
    "\u00ab": "\u00bb",
    "\u201e": "\u201c\u201d",
}
_SINGLE_MARKS = "'\u2018\u2019"
_DOUBLE_MARK = re.compile(f"[{''.join(_DOUBLE_CLOSERS)}{''.join(_DOUBLE_CLOSERS.values())}]")
"""A mark that opens or closes a double quotation: the only characters the pairing reads."""
_SINGLE_MARK = re.compile(f"[{_SINGLE_MARKS}]")
_OPENING_CONTEXT = '([{\u2014\u2013-:/"\u201c'


def _may_open(text: str, i: int, start: int, end: int, *, single: bool) -> bool:
    """Whether the mark at ``i`` can open a quotation: at the paragraph start or after a space
    or an opening punctuation, and before a letter (single marks: "'90s" is an elision) or,
    for double marks, before any visible character."""
    if i + 1 >= end:
        return False
    before_ok = i == start or text[i - 1].isspace() or text[i - 1] in _OPENING_CONTEXT
    following = text[i + 1]
    return before_ok and (following.isalpha() if single else not following.isspace())


def _may_close(text: str, i: int, end: int) -> bool:
    """Whether the mark at ``i`` can close a quotation: after a visible character and not
    inside a word ("don't", "Tsikhanouskaya's" hold apostrophes, not closing marks)."""
    return not text[i - 1].isspace() and (i + 1 == end or not text[i + 1].isalnum())


def _double_quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Double-mark quotations of one paragraph. Curly and angle marks pair by their shape;
    a straight mark opens and closes by its context, so a stray inch mark pairs with nothing.
    A quotation opening the paragraph that does not close runs to its end (it continues in
    the next paragraph)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    closers = ""
    for mark in _DOUBLE_MARK.finditer(text, start, end):
        i, char = mark.start(), mark.group()
        if opened is not None:
            if char in closers and (char != '"' or _may_close(text, i, end)):
                spans.append((opened, i + 1))
                opened = None
        elif char in _DOUBLE_CLOSERS and (
            char != '"' or _may_open(text, i, start, end, single=False)
        ):
            opened, closers = i, _DOUBLE_CLOSERS[char]
    if opened == start:
        spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class _SingleMark:
    """A single mark that may open or close a quotation; ``weak`` closers end a plural
    possessive before a lower-case word ("the players' union") as often as a quotation."""

    position: int
    opens: bool
    closes: bool
    weak: bool


def _single_marks(
    text: str, start: int, end: int, doubles: Sequence[tuple[int, int]]
) -> list[_SingleMark]:
    """The single marks of a paragraph outside its double quotations that may pair."""
    marks: list[_SingleMark] = []
    inside = iter(doubles)
    current = next(inside, None)
    for found in _SINGLE_MARK.finditer(text, start, end):
        i, char = found.start(), found.group()
        while current is not None and current[1] <= i:
            current = next(inside, None)
        if current is not None and current[0] <= i:
            continue
        opens = char != "\u2019" and _may_open(text, i, start, end, single=True)
        closes = char != "\u2018" and i > start and _may_close(text, i, end)
        if opens or closes:
            weak = (
                closes
                and text[i - 1] == "s"
                and i + 2 < end
                and text[i + 1] == " "
                and text[i + 2].islower()
            )
            marks.append(_SingleMark(i, opens, closes, weak))
    return marks


def _single_quotations(
    text: str, start: int, end: int, doubles: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Single-mark quotations of one paragraph (British and Indian copy), found outside its
    double quotations: an opening mark pairs with the next closing one, a weak closer only
    when no strong one follows before the next opening mark."""
    marks = _single_marks(text, start, end, doubles)
    strong_later = [False] * len(marks)
    seen_strong = False
    for index in range(len(marks) - 1, -1, -1):
        strong_later[index] = seen_strong
        mark = marks[index]
        if mark.closes and not mark.weak:
            seen_strong = True
        elif mark.opens:
            seen_strong = False
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for index, mark in enumerate(marks):
        if opened is None:
            if mark.opens:
                opened = mark.position
        elif mark.closes and not (mark.weak and strong_later[index]):
            spans.append((opened, mark.position + 1))
            opened = None
    if opened == start:
        spans.append((start, end))
    return spans


def _quotations_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations of one paragraph, marks included, in order; a quotation nested in another
    belongs to the outer one."""
    doubles = _double_quotations(text, start, end)
    spans = sorted([*doubles, *_single_quotations(text, start, end, doubles)])
    outermost: list[tuple[int, int]] = []
    for span in spans:
        if outermost and span[0] < outermost[-1][1]:
            continue  # a double quotation inside a single one
        outermost.append(span)
    return outermost


def quotation_spans(text: str, min_words: int = 4) -> list[tuple[int, int]]:
    """``[start, end)`` of each quotation of at least ``min_words`` words (marks included).

    Curly and angle double marks pair by shape; straight marks and single marks by context:
    a quotation opens after a space or punctuation and before a letter, and closes after a
    visible character and not inside a word, so apostrophes ("don't", "Tsikhanouskaya's",
    "rock 'n' roll", "'90s") are not taken for quotation marks ('...' in Indian and British
    copy is). A quotation that opens a paragraph and does not close runs to the paragraph's
    end.
    """
    return [
        (start, end)
        for para_start, para_end in _paragraph_spans(text)
        for start, end in _quotations_in(text, para_start, para_end)
        if len(text[start + 1 : end - 1].split()) >= min_words
    ]


# The look-behind starts a match only where a run of terminal punctuation starts (linear time).
_SENTENCE_END = re.compile(r"(?<![.!?\u2026])[.!?\u2026]+[\"\u201d\u2019'\u00bb)\]]*\s+")
_SENTENCE_OPENING = "\"'\u201c\u2018\u00ab(["


def sentence_spans(text: str, quotations: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: paragraphs split after ., ! or ? followed by a capital,
    a digit or an opening mark, except after abbreviations ("U.S.", "Gov.") and inside
    quotations (a quoted passage of several sentences stays in its citing sentence)."""
    spans: list[tuple[int, int]] = []
    quote_index = 0
    for para_start, para_end in _paragraph_spans(text):
        sentence_start = para_start
        for match in _SENTENCE_END.finditer(text, para_start, para_end):
            following = match.end()
            if following >= para_end:
                break
            nxt = text[following]
            if not (nxt.isupper() or nxt.isdigit() or nxt in _SENTENCE_OPENING):
                continue
            stop = match.start() + len(match.group().rstrip())
            while quote_index < len(quotations) and quotations[quote_index][1] < stop:
                quote_index += 1
            if (
                quote_index < len(quotations)
                and quotations[quote_index][0] < stop - 1 < stop < (quotations[quote_index][1])
            ):
                continue  # the stop is inside a quotation
            if match.group().startswith(".") and _ends_with_abbreviation(text, match.start()):
                continue
            spans.append((sentence_start, stop))
            sentence_start = following
        spans.append((sentence_start, para_end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """Whether the word before the dot at ``dot`` is an abbreviation ("Gov", "U.S", "P")."""
    begin = dot
    while begin > 0 and dot - begin < 12 and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:dot]
    if not word:
        return False
    return (len(word) == 1 and word.isupper()) or "." in word or word.casefold() in _ABBREVIATIONS


# --------------------------------------------------------------------------------------------
# cue lexicon


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t.lower for t in _tokens(text, 0, len(text)))


@dataclass(frozen=True)
class _Lexicon:
    """The cues and function words of one language, as lower-cased token tuples and sets."""

    before: frozenset[tuple[str, ...]]
    verbs: frozenset[tuple[str, ...]]
    recipients: frozenset[tuple[str, ...]]
    participles: frozenset[tuple[str, ...]]
    after: frozenset[tuple[str, ...]]
    evidence_nouns: frozenset[str]
    evidence_links: frozenset[str]
    descriptors: frozenset[str]
    spokes_roles: frozenset[tuple[str, ...]]
    collective_bodies: frozenset[tuple[str, ...]]
    skip_before_verb: frozenset[str]
    passive: frozenset[str]
    determiners: frozenset[str]
    prepositions: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    verb_endings: tuple[str, ...]
    clause_links: frozenset[str]
    verb_blockers: frozenset[tuple[str, ...]]
    media_before: frozenset[tuple[str, ...]]
    subject_pronouns: frozenset[str]
    referring_nouns: frozenset[str]
    naming_words: frozenset[tuple[str, ...]]
    openings: dict[str, list[tuple[str, ...]]]
    speech_openings: dict[str, list[tuple[str, ...]]]
    cue_words: frozenset[str]

    @classmethod
    def of(cls, entry: dict[str, list[str]]) -> _Lexicon:
        """The lexicon of one language entry of ``sources_cues.json``."""

        def phrases(name: str) -> frozenset[tuple[str, ...]]:
            return frozenset(p for p in (_phrase(text) for text in entry[name]) if p)

        def words(name: str) -> frozenset[str]:
            return frozenset(w.casefold() for w in entry[name])

        cue_fields = ("before", "verbs", "recipients", "participles", "after")
        cues = frozenset(cue for name in cue_fields for cue in phrases(name))
        openings: dict[str, list[tuple[str, ...]]] = {}
        for cue in sorted(cues, key=len, reverse=True):
            openings.setdefault(cue[0], []).append(cue)
        speech = phrases("verbs") | phrases("speech_verbs") | phrases("participles")
        speech_openings: dict[str, list[tuple[str, ...]]] = {}
        for verb in sorted(speech, key=len, reverse=True):
            speech_openings.setdefault(verb[0], []).append(verb)
        return cls(
            before=phrases("before"),
            verbs=phrases("verbs"),
            recipients=phrases("recipients"),
            participles=phrases("participles"),
            after=phrases("after"),
            evidence_nouns=words("evidence_nouns"),
            evidence_links=words("evidence_links"),
            descriptors=words("descriptors"),
            spokes_roles=phrases("spokes_roles"),
            collective_bodies=phrases("collective_bodies"),
            skip_before_verb=words("skip_before_verb"),
            passive=words("passive"),
            determiners=words("determiners"),
            prepositions=words("prepositions"),
            person_pronouns=words("person_pronouns"),
            thing_pronouns=words("thing_pronouns"),
            verb_endings=tuple(entry["verb_endings"]),
            clause_links=words("clause_links"),
            verb_blockers=phrases("verb_blockers"),
            media_before=phrases("media_before"),
            subject_pronouns=words("subject_pronouns"),
            referring_nouns=words("referring_nouns"),
            naming_words=phrases("naming_words"),
            openings=openings,
            speech_openings=speech_openings,
            cue_words=frozenset(word for cue in cues for word in cue),
        )

    def cue_at(self, lowers: Sequence[str], index: int) -> tuple[str, ...] | None:
        """The longest cue starting at token ``index``."""
        for cue in self.openings.get(lowers[index], ()):
            if tuple(lowers[index : index + len(cue)]) == cue:
                return cue
        return None

    def speech_at(self, lowers: Sequence[str], index: int) -> tuple[str, ...] | None:
        """The longest verb attributing a quotation ("said", "continued", "saying") at
        token ``index``."""
        for verb in self.speech_openings.get(lowers[index], ()):
            if tuple(lowers[index : index + len(verb)]) == verb:
                return verb
        return None


_LEXICONS: dict[str, _Lexicon] = {
    language: _Lexicon.of(entry) for language, entry in _CUES["languages"].items()
}
_LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    language: lexicon.determiners | frozenset(c[0] for c in lexicon.verbs | lexicon.before)
    for language, lexicon in _LEXICONS.items()
}


_LANGUAGES_OF_MARKER: dict[str, tuple[str, ...]] = {}
for _language, _markers in _LANGUAGE_MARKERS.items():
    for _marker in _markers:
        _LANGUAGES_OF_MARKER[_marker] = (*_LANGUAGES_OF_MARKER.get(_marker, ()), _language)
"""Each marker word's languages: one dictionary lookup per word instead of one per language."""


def _language_of(lowers: Iterable[str]) -> str:
    """The cue language whose function words and cues the text uses most (English on a tie)."""
    counts = dict.fromkeys(_LEXICONS, 0)
    languages_of = _LANGUAGES_OF_MARKER
    for word in lowers:
        for language in languages_of.get(word, ()):
            counts[language] += 1
    return max(counts, key=lambda language: (counts[language], language == "en"))


# --------------------------------------------------------------------------------------------
# names: capitalised runs and what they name


@dataclass(frozen=True, slots=True)
class _Run:
    """Tokens ``[first, last]`` of a sentence that form one capitalised name."""

    first: int
    last: int
    joined: bool  # continues over "of"/"for"/"on" after a head noun ("Ministry of Defence")


@dataclass(frozen=True)
class _Name:
    """What a run names: the name's span in the text, its kind (None: person or organisation,
    decided with the rest of the body), its canonical form and any dropped descriptor."""

    start: int
    end: int
    text: str
    kind: SourceKind | None
    canonical: str
    descriptor: str = ""
    outlet: Outlet | None = None
    surname_only: bool = False


_JOINERS = frozenset(j.casefold() for j in _WORDS["joiners"])
_JOINER_WORDS = frozenset(word for joiner in _JOINERS for word in joiner.split())
_OFFICE_WORDS = _GOVERNMENT_WORDS | _ORGANISATION_WORDS


def _is_capitalised(word: str) -> bool:
    """Whether a word starts with a capital or is an acronym ("iPhone" is neither: a word
    starting in lower case is never an acronym, which spares the lookup)."""
    first = word[0]
    return first.isupper() or (not first.islower() and _is_acronym(word))


def _is_name_start(token: _Token) -> bool:
    """A capitalised word, or an outlet printed in lower case ("dpa")."""
    return token.is_word and (_is_capitalised(token.text) or GAZETTEER.prints(token.text))


def _joiner_length(tokens: Sequence[_Token], index: int) -> int:
    """How many joiner tokens ("of", "for the") start at ``index`` before a capitalised word."""
    for length in (2, 1):
        if index + length < len(tokens):
            phrase = " ".join(t.lower for t in tokens[index : index + length])
            if phrase in _JOINERS and tokens[index + length].is_capitalised:
                return length
    return 0


@dataclass(frozen=True)
class _Vocabulary:
    """How a text writes its words: which it writes in lower case (common words, cue words)
    and which it capitalises inside sentences (names), to read sentence-initial capitals."""

    lower_case: frozenset[str]
    inner_capitals: frozenset[str]

    @classmethod
    def of(cls, sentences: Iterable[Sequence[_Token]], lexicon: _Lexicon) -> _Vocabulary:
        lower_case: set[str] = set(lexicon.cue_words)
        inner: set[str] = set()
        for tokens in sentences:
            for position, token in enumerate(tokens):
                if not token.is_word:
                    continue
                if token.text[0].islower():
                    lower_case.add(token.text)
                elif position > 0 and not _opens_clause(tokens, position):
                    inner.add(token.text)
        return cls(frozenset(lower_case), frozenset(inner))

    def marks_sentence_start(self, tokens: Sequence[_Token], first: int, lexicon: _Lexicon) -> bool:
        """Whether the capital of ``tokens[first]``, opening a sentence, says nothing about
        a name: an unnamed or common word ("Officials", "Police"), a lone word the text never
        capitalises elsewhere ("See tweets"), or a verb form before a name ("Hosting Cook")."""
        token = tokens[first]
        if token.text in _UNNAMED or token.lower in self.lower_case:
            return True
        if token.text in self.inner_capitals or _is_acronym(token.text) or _is_known(token.text):
            return False
        for length in (2, 3, 4):  # "Rolling Stone reported": the capital opens a known name
            if first + length <= len(tokens) and _is_known(
                " ".join(t.text for t in tokens[first : first + length])
            ):
                return False
        following = tokens[first + 1] if first + 1 < len(tokens) else None
        if following is None or not following.is_capitalised:
            return True
        return token.lower.endswith(lexicon.verb_endings) and following.text in self.inner_capitals


def _opens_clause(tokens: Sequence[_Token], position: int) -> bool:
    """Whether ``tokens[position]`` opens the sentence, or a clause after a dash, a colon or
    a quotation ending in punctuation (`"...," Roe said`)."""
    if position == 0:
        return True
    previous = tokens[position - 1]
    if previous.quote:
        return previous.text[:-1].rstrip()[-1:] in ",.!?\u2026"
    return previous.text in "\u2014\u2013-:"


def _is_known(name: str) -> bool:
    key = name_key(name)
    return (
        GAZETTEER.find(name) is not None
        or key in _PLACE_LIKE_KEYS
        or key in _DEMONYMS
        or key in _ORGANISATION_KEYS
        or key in _GOVERNMENT_BODY_KEYS
    )


def _is_dateline(tokens: Sequence[_Token], run_first: int, run_last: int) -> bool:
    """An all-capital place opening a paragraph before "," or a dash ("BUFFALO, N.Y. —")."""
    after = tokens[run_last + 1].text if run_last + 1 < len(tokens) else ""
    words = tokens[run_first : run_last + 1]
    return (
        run_first == 0
        and after in (",", "\u2014", "\u2013", "-")
        and all(_is_acronym(t.text) and len(t.text) > 3 for t in words if t.is_word)
    )


def _runs(tokens: Sequence[_Token], vocabulary: _Vocabulary, lexicon: _Lexicon) -> list[_Run]:
    """The capitalised runs of a sentence's tokens.

    A run continues over name particles ("da"), joiners after a head noun ("Ministry of
    Defence"), "&" and "/" between capitals, and "'s" before an office word ("U.S. Attorney's
    Office"). A sentence-initial capital that says nothing about a name is left out
    (:meth:`_Vocabulary.marks_sentence_start`), and so is a dateline.
    """
    runs: list[_Run] = []
    i = 0  # the first token after the last run
    starts = [
        index for index, token in enumerate(tokens) if token.is_word and _is_name_start(token)
    ]
    for first in starts:
        if first < i:
            continue
        if _opens_clause(tokens, first) and vocabulary.marks_sentence_start(tokens, first, lexicon):
            first += 1
            if first >= len(tokens) or not _is_name_start(tokens[first]):
                continue
        last, joined = first, False
        while last + 1 < len(tokens):
            nxt = tokens[last + 1]
            if _is_name_start(nxt) and not nxt.quote:
                last += 1
                continue
            if tokens[last].lower in _JOINABLE_HEADS and (
                length := _joiner_length(tokens, last + 1)
            ):
                last += length + 1
                joined = True
                continue
            after = tokens[last + 2] if last + 2 < len(tokens) else None
            if after is None or not after.is_capitalised:
                break
            particle = nxt.lower in _PARTICLES or nxt.text in ("&", "/", "-")
            if not (particle or (nxt.is_possessive and after.lower in _OFFICE_WORDS)):
                break
            last += 2
        if not _is_dateline(tokens, first, last):
            runs.append(_Run(first, last, joined))
        i = last + 1
    return runs


_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,3}")


def _is_person_token(token: _Token) -> bool:
    """A word that can be part of a personal name (not a title, office, acronym or demonym)."""
    text = token.text
    if not token.is_capitalised or token.lower in _NAME_SUFFIXES:
        return token.lower in _NAME_SUFFIXES
    if _INITIALS.fullmatch(text):
        return True  # "P.", "P.J."
    if token.lower in _PARTICLES:
        return True
    if _is_acronym(text) or text in _UNNAMED:
        return False
    lower = token.lower
    if lower in _TITLES or lower in _WEAK_TITLES or lower in _BODY_WORDS:
        return False
    if lower.endswith(_GOVERNMENT_HEADS):
        return False  # "Finanzministerium"
    return name_key(text) not in _DEMONYMS and not any(c.isdigit() for c in text)


def _person_suffix(words: Sequence[_Token]) -> int:
    """Index where the trailing personal-name part of ``words`` starts (len when none)."""
    start = len(words)
    i = len(words) - 1
    while i >= 0:
        inner_particle = words[i].lower in _PARTICLES and 0 < i < len(words) - 1 and start == i + 1
        if not (_is_person_token(words[i]) or inner_particle):
            break
        start = i
        i -= 1
    while start < len(words) and (
        words[start].text in _PARTICLES or words[start].lower in _NAME_SUFFIXES
    ):
        start += 1  # a name does not begin with "da" or "Jr."
    return start


def _is_common(word: str, lower_case: frozenset[str]) -> bool:
    """Whether the text writes ``word`` (or its plural) in lower case elsewhere."""
    return word in lower_case or word + "s" in lower_case


def _body_kind(words: Sequence[_Token], key: str) -> SourceKind:
    """The kind of a named body from the words of its name."""
    lowers = [w.lower for w in words]
    key_words = key.split()
    tail_keys = {" ".join(key_words[-length:]) for length in range(1, min(len(key_words), 6) + 1)}
    if any(k in _INTERNATIONAL_KEYS for k in tail_keys) or any(
        name_key(w.text) in _INTERNATIONAL_KEYS for w in words
    ):
        return "organisation"
    if tail_keys & _ORGANISATION_KEYS:
        return "organisation"
    if tail_keys & _GOVERNMENT_BODY_KEYS:
        return "government"
    if any(w in _OTHER_WORDS for w in lowers):
        return "other"
    if any(w in _GOVERNMENT_WORDS for w in lowers) or lowers[-1].endswith(_GOVERNMENT_HEADS):
        return "government"
    if lowers[-1] in _OUTLET_WORDS or (
        _is_acronym(words[0].text) and GAZETTEER.find(words[0].text)
    ):
        return "outlet"
    return "organisation"


def _analyse(
    text: str, words: Sequence[_Token], joined: bool, lower_case: frozenset[str] = frozenset()
) -> _Name | None:
    """What the capitalised words of a run name, or None for nothing citable.

    ``lower_case`` holds the words the text writes in lower case: a role printed with a
    capital before a name ("Administrator Jim Bridenstine") is dropped from the person.
    """
    start, end = words[0].start, words[-1].end
    printed = text[start:end]
    key = name_key(printed)
    if not key or key in _PLATFORM_KEYS or printed in _UNNAMED or len(key) < 2:
        return None
    outlet = GAZETTEER.find(printed)
    if outlet is not None:
        return _Name(start, end, printed, outlet.source_kind, outlet.canonical, outlet=outlet)
    country = _COUNTRIES.get(key)
    if country is not None and (not _is_acronym(printed) or printed in _ACRONYM_COUNTRIES):
        return _Name(start, end, printed, "government", country.name)
    if key in _PLACE_KEYS or key in _CAPITAL_KEYS:
        return _Name(start, end, printed, "government", printed)
    if key in _ORGANISATION_KEYS:
        return _Name(start, end, printed, "organisation", printed)
    if key in _GOVERNMENT_BODY_KEYS:
        return _Name(start, end, printed, "government", printed)
    if all(w.lower in _TITLES or w.lower in _WEAK_TITLES for w in words):
        return None  # "one neo-bank CEO told me"
    suffix = _person_suffix(words)
    while len(words) - suffix > 2 and _is_common(words[suffix].lower, lower_case):
        suffix += 1
    name_words = [
        w
        for position, w in enumerate(words[suffix:])
        if not (w.lower in _PARTICLES and (position > 0 or w.text in _PARTICLES))
        and w.lower not in _NAME_SUFFIXES
    ]
    prefix = words[:suffix]
    titled = any(w.lower in _TITLES or w.lower in _WEAK_TITLES for w in prefix)
    last_is_title = bool(prefix) and (
        prefix[-1].lower in _TITLES or (prefix[-1].lower in _WEAK_TITLES and len(name_words) >= 2)
    )
    complement = bool(prefix) and prefix[-1].lower in _JOINER_WORDS
    place = bool(name_words) and name_key(text[words[suffix].start : end]) in _PLACE_LIKE_KEYS
    if (
        name_words
        and (not joined or titled)
        and not complement
        and not place
        and words[-1].lower not in _BODY_WORDS
    ):
        person_start = words[suffix].start
        person = text[person_start:end]
        descriptor = text[start:person_start].strip()
        if len(name_words) >= 2 and prefix:
            return _Name(person_start, end, person, "person", person, descriptor)
        if len(name_words) >= 2:
            return _Name(start, end, printed, None, printed)
        if last_is_title:
            return _Name(person_start, end, person, "person", person, descriptor, surname_only=True)
        if not prefix:
            return _Name(start, end, printed, None, printed, surname_only=True)
    return _Name(start, end, printed, _body_kind(words, key), printed)


# --------------------------------------------------------------------------------------------
# citation candidates in one sentence


@dataclass(frozen=True)
class _Found:
    """A name a cue points at, before the body-wide resolution of canonical names and kinds."""

    name: _Name
    cue: tuple[int, int]
    sentence: tuple[int, int]
    possessor: str = ""
    recipient: bool = False


class _Sentence:
    """One sentence as tokens (each quotation one token) with its runs, scanned for cues."""

    def __init__(
        self,
        text: str,
        span: tuple[int, int],
        quotations: Sequence[tuple[int, int]],
        lexicon: _Lexicon,
    ) -> None:
        self.text = text
        self.span = span
        self.lexicon = lexicon
        self.tokens = self._tokens_with_quotations(quotations)
        self.lowers = [t.lower for t in self.tokens]
        self.runs: list[_Run] = []
        self.run_ending: dict[int, _Run] = {}
        self.run_starting: dict[int, _Run] = {}
        self.lower_case: frozenset[str] = frozenset()
        self._names: dict[_Run, _Name | None] = {}

    @cached_property
    def token_at(self) -> dict[int, int]:
        """The index of the token starting at each offset (made when first asked: most
        sentences never are)."""
        return {token.start: index for index, token in enumerate(self.tokens)}

    def find_runs(self, vocabulary: _Vocabulary) -> None:
        """Find the sentence's names, once the whole text's vocabulary is known."""
        self.runs = _runs(self.tokens, vocabulary, self.lexicon)
        self.lower_case = vocabulary.lower_case
        self.run_ending = {run.last: run for run in self.runs}
        self.run_starting = {run.first: run for run in self.runs}

    def _tokens_with_quotations(self, quotations: Sequence[tuple[int, int]]) -> list[_Token]:
        start, end = self.span
        tokens: list[_Token] = []
        cursor = start
        first = bisect_right(quotations, start, key=lambda q: q[1])
        last = bisect_left(quotations, end, key=lambda q: q[0])
        for q_start, q_end in quotations[first:last]:
            tokens.extend(_tokens(self.text, cursor, max(cursor, q_start)))
            tokens.append(_Token(self.text[q_start:q_end], q_start, quote=True))
            cursor = q_end
        tokens.extend(_tokens(self.text, cursor, end))
        return tokens

    def name_of(self, run: _Run) -> _Name | None:
        """What ``run`` names (analysed once)."""
        if run not in self._names:
            words = self.tokens[run.first : run.last + 1]
            self._names[run] = _analyse(self.text, words, run.joined, self.lower_case)
        return self._names[run]

    def candidates(self) -> Iterator[_Found]:
        """Every (name, cue) pair of the sentence, in cue order."""
        yield from self._embed_credit()
        openings = self.lexicon.openings  # a word no cue starts with is passed by at once
        free = 0  # the first token after the last cue
        cited_before = False
        for i, lower in enumerate(self.lowers):
            if i < free or lower not in openings or not self.tokens[i].is_word:
                continue
            cue = self.lexicon.cue_at(self.lowers, i)
            if cue is None:
                continue
            end = i + len(cue) - 1
            found = list(self._cited_by(cue, i, end, cited_before))
            cited_before = cited_before or bool(found)
            yield from found
            free = end + 1

    def _embed_credit(self) -> Iterator[_Found]:
        """The credit line of an embedded post: "— Robert Maguire (@RobertMaguire_) ..."."""
        tokens = self.tokens
        run = self.run_starting.get(1)
        if run is None or tokens[0].text not in "\u2014\u2013-" or run.last + 2 >= len(tokens):
            return
        if tokens[run.last + 1].text == "(" and tokens[run.last + 2].text == "@":
            name = self.name_of(run)
            if name is not None:
                yield _Found(name, (tokens[0].start, tokens[0].end), self.span)

    def _cited_by(
        self, cue: tuple[str, ...], first: int, last: int, cited_before: bool
    ) -> Iterator[_Found]:
        """The names the cue at tokens ``[first, last]`` points at, by the cue's category."""
        lexicon = self.lexicon
        cue_span = (self.tokens[first].start, self.tokens[last].end)
        names: list[_Name] = []
        if cue in lexicon.before:
            introduced = list(self._forward(last + 1, evidence=True))
            if cue in lexicon.media_before:  # "via USA Today", not "via Bangladesh"
                media = ("outlet", "agency", "person", None)
                introduced = [name for name in introduced if name.kind in media]
            names.extend(introduced)
        recipients = (
            list(self._forward(last + 1, evidence=False)) if cue in lexicon.recipients else []
        )
        blocked = tuple(self.lowers[first : last + 2]) in lexicon.verb_blockers
        if (cue in lexicon.verbs or cue in lexicon.after) and not blocked:
            opening = (
                first == 0 or self.tokens[first - 1].quote or self.tokens[first - 1].text == ","
            )
            inverted = opening and cue in lexicon.verbs and cue not in lexicon.recipients
            forward = list(self._forward(last + 1, evidence=False)) if inverted else []
            names.extend(forward or self._subject_before(first))
        if (
            cue in lexicon.participles
            and not cited_before
            and first > 0
            and self.tokens[first - 1].text in ",;:"
        ):
            names.extend(self._sentence_subject(first))
        for name in names:
            yield _Found(name, cue_span, self.span, self._possessor_of(name))
        for name in recipients:
            yield _Found(name, cue_span, self.span, self._possessor_of(name), recipient=True)

    # -- looking forward: "according to X", "told X", "..., said X" -----------------------

    def _forward(self, index: int, *, evidence: bool) -> Iterator[_Name]:
        """The source named by the noun phrase starting at ``index``.

        The phrase may hold determiners, lower-case descriptors ("state media"), an evidence
        noun with its link ("data from"), a possessor ("X's spokesperson" cites X). Its last
        run is the source; a person "of"/"from" an outlet cites both.
        """
        lexicon = self.lexicon
        runs: list[tuple[_Run, str]] = []  # (run, link word before it)
        link = ""
        i, steps = index, 0
        while i < len(self.tokens) and steps < 16:
            steps += 1
            token = self.tokens[i]
            run = self.run_starting.get(i)
            if run is not None:
                runs.append((run, link))
                link = ""
                i = run.last + 1
                if i < len(self.tokens) and self.tokens[i].is_possessive:
                    owner = self._spokes_owner_after(i + 1, run)
                    if owner is not None:
                        yield owner
                        return
                    runs.pop()
                    i += 1
                continue
            lower = token.lower
            if not token.is_word and not (token.text == "-" and runs):
                break
            hyphenated = "-" in lower and lower == token.text  # "state-run"
            if (
                lower in lexicon.determiners
                or lower in lexicon.descriptors
                or hyphenated
                or (evidence and lower in lexicon.evidence_nouns)
            ):
                i += 1
            elif lower in lexicon.evidence_links and (runs or evidence):
                link = lower
                i += 1
            elif runs and (length := self._role_at(i, lexicon.spokes_roles)):
                owner = self.name_of(runs[-1][0])
                person_run = self.run_starting.get(i + length)
                person = self.name_of(person_run) if person_run is not None else None
                if person is not None:  # "told VOA Pentagon correspondent Carla Babb"
                    yield person
                    if owner is not None and owner.kind in ("outlet", "agency"):
                        yield owner
                elif owner is not None:
                    yield owner
                return
            else:
                break
        yield from self._pick(runs)

    def _pick(self, runs: list[tuple[_Run, str]]) -> Iterator[_Name]:
        """The head of a noun phrase's runs: the last, leaving out qualifying places and
        demonyms; a person linked to an outlet ("Brian Batko of the Post-Gazette") too."""
        names = [(self.name_of(run), link) for run, link in runs if not self._is_modifier(run)]
        named = [(n, link) for n, link in names if n is not None and not self._only_demonym(n)]
        if len(named) > 1:  # "the Argus Leader of Sioux Falls": the place only qualifies
            named = [
                (n, link) for n, link in named if name_key(n.text) not in _PLACE_LIKE_KEYS
            ] or named
        if not named:
            return
        last, link = named[-1]
        yield last
        if len(named) >= 2 and link and last.kind in ("outlet", "agency"):
            yield named[-2][0]

    @staticmethod
    def _only_demonym(name: _Name) -> bool:
        """A demonym alone ("Russian", "Americans say") names no one in particular."""
        key = name_key(name.text)
        return key in _DEMONYMS or (key.endswith("s") and key[:-1] in _DEMONYMS)

    def _is_modifier(self, run: _Run) -> bool:
        """A country or demonym qualifying the noun after it ("US media", "Russian state media")."""
        after = run.last + 1
        if (
            after >= len(self.tokens)
            or not self.tokens[after].is_word
            or self.tokens[after].is_capitalised
        ):
            return False
        key = name_key(self.text[self.tokens[run.first].start : self.tokens[run.last].end])
        return key in _COUNTRIES or key in _DEMONYMS

    def _role_at(self, index: int, roles: frozenset[tuple[str, ...]]) -> int:
        """Length of the role noun phrase ("spokesperson", "press office") at ``index``."""
        for length in (2, 1):
            if tuple(self.lowers[index : index + length]) in roles:
                return length
        return 0

    def _spokes_owner_after(self, index: int, owner: _Run) -> _Name | None:
        """``owner``'s name when a spokes role follows its "'s" ("Senator Roe's team")."""
        if index < len(self.tokens) and self._role_at(index, self.lexicon.spokes_roles):
            return self.name_of(owner)
        return None

    # -- looking back: "X said", "X, who ..., said", "a WeWork spokesperson said" ----------

    def _subject_before(self, verb: int) -> Iterator[_Name]:
        """The subject of the verb at ``verb``: the name just before it (adverbs, auxiliaries
        and a coordinated verb skipped), an apposition's name, or an owned role or body."""
        lexicon = self.lexicon
        k = verb - 1
        skipped = 0
        while k >= 0 and skipped < 3 and self.lowers[k] in lexicon.skip_before_verb:
            k -= 1
            skipped += 1
        previous = self.tokens[k - 1] if k >= 2 else None
        coordinated = previous is not None and previous.is_word and not previous.is_capitalised
        if coordinated and self.lowers[k] in lexicon.clause_links:
            k -= 2  # "X responded and confirmed"
        if k < 0 or self.lowers[k] in lexicon.passive:
            return
        run = self.run_ending.get(k)
        if run is not None:
            name = self.name_of(run)
            if name is not None and self._governed(run, name):
                run = self.run_ending.get(self._preposition_before(run) - 1)  # "X in Y said"
                name = self.name_of(run) if run is not None else None
                if name is not None and run is not None and self._governed(run, name):
                    name = None
            if name is not None and not self._only_demonym(name):
                yield name
            return
        if self.tokens[k].text == ",":
            yield from self._appositive_subject(k)
            return
        found = list(self._owned_subject(k))
        yield from found or self._role_opening(verb)

    def _role_opening(self, verb: int) -> Iterator[_Name]:
        """The body whose role opens the sentence: "An Associated Press journalist in the area
        also reported" cites the Associated Press (no comma before the verb)."""
        first = 1 if self.lowers and self.lowers[0] in self.lexicon.determiners else 0
        run = self.run_starting.get(first)
        if run is None or verb - run.last > 20:
            return
        if any(t.text == "," for t in self.tokens[run.last : verb]):
            return
        if self._role_at(run.last + 1, self.lexicon.spokes_roles):
            name = self.name_of(run)
            if name is not None:
                yield name

    def _governed(self, run: _Run, name: _Name) -> bool:
        """Whether the name is inside a prepositional phrase ("the US Embassy in New Delhi
        said", "an analyst at Stratfor said"), so not the subject of the verb after it. A
        person after a descriptor is not ("il presidente del Consiglio Giorgia Meloni")."""
        return name.start == self.tokens[run.first].start and self._preposition_before(run) >= 0

    def _preposition_before(self, run: _Run) -> int:
        """Index of the preposition governing ``run`` (determiners and descriptors between
        allowed: "in the journal JAMA Psychiatry"), or -1."""
        before = run.first - 1
        while (
            before >= 0
            and run.first - before <= 3
            and (
                self.lowers[before] in self.lexicon.determiners
                or self.lowers[before] in self.lexicon.descriptors
            )
        ):
            before -= 1
        return before if before >= 0 and self.lowers[before] in self.lexicon.prepositions else -1

    def _possessor_of(self, name: _Name) -> str:
        """The name owning ``name`` ("CNN's Sanjay Gupta" -> "CNN"), or ""."""
        index = self.token_at.get(name.start, 0)
        if index >= 2 and self.tokens[index - 1].is_possessive:
            owner = self.run_ending.get(index - 2)
            if owner is not None:
                return self.text[self.tokens[owner.first].start : self.tokens[owner.last].end]
        return ""

    def _appositive_subject(self, comma: int) -> Iterator[_Name]:
        """The subject of "X, <apposition>, said": walking back over comma-separated segments,
        the first that is just a name ("Carlineo's attorney, Sonya Zoghlin, said"; "James P.
        Kennedy Jr., the U.S. Attorney for ..., said"). Places ("Greenbelt, Maryland, has
        confirmed") and names inside a prepositional phrase are appositions, not subjects."""
        end = comma
        for _ in range(4):
            opening = end - 1
            while opening >= 0 and end - opening < 40 and not self._segment_boundary(opening):
                opening -= 1
            first = opening + 1
            if first >= end:
                return
            leading = opening < 0 or self.tokens[opening].quote or self.tokens[opening].text != ","
            run = self.run_ending.get(end - 1)
            if (
                run is not None
                and run.first >= first
                and self._bare_before(first, run.first, leading)
            ):
                name = self.name_of(run)
                if name is not None and not self._only_demonym(name):
                    key = name_key(name.text)
                    if key not in _PLACE_LIKE_KEYS and not self._governed(run, name):
                        yield name
                        return
            if leading:
                return
            end = opening

    def _bare_before(self, first: int, run_first: int, leading: bool) -> bool:
        """Whether only a conjunction ("but General Mark Milley"), or at a clause start also a
        determiner or a dropped capital ("The Afghan Taliban"), precedes a segment's name;
        a lower-case "the" in mid-sentence opens a description ("the U.S. Attorney for ...")."""
        for token in self.tokens[first:run_first]:
            lower = token.lower
            if lower in self.lexicon.clause_links:
                continue
            if leading and (lower in self.lexicon.determiners or token.is_capitalised):
                continue
            return False
        return True

    def _segment_boundary(self, index: int) -> bool:
        """Whether ``tokens[index]`` separates appositions (a comma, a quotation ...)."""
        token = self.tokens[index]
        return token.quote or token.text in ",;:("

    def _owned_subject(self, k: int) -> Iterator[_Name]:
        """Subjects that are a body's role or state body: "a WeWork spokesperson",
        "Senator Roe's team", "Belarusian authorities", "Russia's foreign ministry"."""
        lexicon = self.lexicon
        for length in (2, 1):
            first = k - length + 1
            if first >= 1 and tuple(self.lowers[first : k + 1]) in lexicon.spokes_roles:
                owner_end = first - 1
                if self.tokens[owner_end].is_possessive:
                    owner_end -= 1
                owner = self.run_ending.get(owner_end)
                if owner is not None:
                    name = self.name_of(owner)
                    if name is not None:
                        yield name
                return
        yield from self._state_body(k)

    def _state_body(self, k: int) -> Iterator[_Name]:
        """A state body ending at ``k``: a country's or demonym's lower-case body noun
        ("Belarusian authorities", "the US military"; "Russia's foreign ministry" ->
        "Russian Foreign Ministry")."""
        lexicon = self.lexicon
        for length in (2, 1):
            first = k - length + 1
            if first < 1 or tuple(self.lowers[first : k + 1]) not in lexicon.collective_bodies:
                continue
            noun_start = first
            while noun_start - 1 >= 1 and first - noun_start < 3:
                previous = self.tokens[noun_start - 1]
                lower_word = previous.is_word and not previous.is_capitalised
                if (
                    not (lower_word or previous.is_possessive)
                    or previous.lower in lexicon.determiners
                ):
                    break
                if previous.is_possessive and not self.tokens[noun_start - 2].is_word:
                    break
                noun_start -= 1
            while noun_start < first and self.tokens[noun_start].is_possessive:
                noun_start += 1
            possessive = self.tokens[noun_start - 1].is_possessive
            owner = self.run_ending.get(noun_start - 2 if possessive else noun_start - 1)
            if owner is None:
                return
            owner_text = self.text[self.tokens[owner.first].start : self.tokens[owner.last].end]
            owner_key = name_key(owner_text)
            country = _COUNTRIES.get(owner_key) or _DEMONYMS.get(owner_key)
            if country is None:
                return
            start = self.tokens[owner.first].start
            end = self.tokens[k].end
            printed = self.text[start:end]
            canonical = printed
            if possessive and country.demonym:
                noun = self.text[self.tokens[noun_start].start : end]
                canonical = " ".join(
                    [country.demonym, *(w[:1].upper() + w[1:] for w in noun.split())]
                )
            yield _Name(start, end, printed, "government", canonical)
            return

    # -- participles: "X called for ..., saying" ------------------------------------------

    def _sentence_subject(self, before: int) -> Iterator[_Name]:
        """The name opening the sentence's main clause (descriptors such as "Egyptian envoy"
        skipped), when no comma stands between it and the sentence start."""
        cursor = 0
        for run in self.runs:
            between = self.tokens[cursor : run.first]
            if run.first >= before or len(between) > 2 or any(not t.is_word for t in between):
                return
            name = self.name_of(run)
            if name is None or self._only_demonym(name):
                cursor = run.last + 1
                continue
            yield name
            return


# --------------------------------------------------------------------------------------------
# body-wide resolution: canonical names and kinds


_LONGEST_SHORT_FORM = 4
"""Short forms of up to this many words resolve to a fuller name ("Kennedy" -> "James P.
Kennedy Jr."); bounding it keeps the index linear in the text."""


class _NameIndex:
    """Every name the body gives (outside quotations), to resolve short forms and kinds."""

    def __init__(self, sentences: Sequence[_Sentence], lexicon: _Lexicon) -> None:
        self.text = sentences[0].text if sentences else ""
        self.lexicon = lexicon
        self.extensions: dict[tuple[str, ...], list[tuple[int, _Name]]] = {}
        self.mentions: dict[tuple[str, ...], list[_Name]] = {}
        self.alone: set[str] = set()
        self.titled: set[str] = set()
        self._persons: dict[tuple[str, ...], bool] = {}
        for sentence in sentences:
            for run in sentence.runs:
                name = sentence.name_of(run)
                words = _without_suffixes(tuple(name_key(name.text).split())) if name else ()
                if name is None or not words:
                    continue
                self.mentions.setdefault(words, []).append(name)
                if len(words) == 1:
                    self.alone.add(words[0])
                    if name.kind == "person":
                        self.titled.add(words[0])  # "President Putin"
                if name.kind in ("person", None) or name.outlet is not None:
                    for length in range(1, min(len(words), _LONGEST_SHORT_FORM + 1)):
                        self.extensions.setdefault(words[-length:], []).append((name.start, name))

    def fullest(self, name: _Name) -> _Name:
        """The fuller name of the body ending with ``name`` ("Roe" -> "Jane Roe",
        "the Post" -> "New York Post"): the nearest one before it, else the first after.
        Known names (countries, listed bodies) stay as they are; a short form only grows
        into a person's name or a known outlet's."""
        words = tuple(name_key(name.canonical).split())
        if not words or (name.kind is not None and name.kind != "person" and _is_known(name.text)):
            return name
        options = self.extensions.get(words)
        if not options:
            return name
        before = bisect_right(options, name.start, key=lambda option: option[0])
        return options[before - 1][1] if before else options[0][1]

    def is_person(self, name: _Name) -> bool:
        """Whether a plain multi-word name ("Tim Clark", "Home Depot") is a person: yes when
        the body also uses its last word alone, or refers back to it with "he"/"she" more than
        with "it"; otherwise no only when it repeats the full name (three times or more) and
        never shortens it."""
        words = _without_suffixes(tuple(name_key(name.text).split()))
        if len(words) == 1:
            return words[0] in self.titled
        if not 2 <= len(words) <= 5:
            return False
        if words not in self._persons:
            people, things = self._pronouns_after(words)
            self._persons[words] = (
                words[-1] in self.alone or people > things or len(self.mentions.get(words, ())) < 3
            )
        return self._persons[words]

    def _pronouns_after(self, words: tuple[str, ...]) -> tuple[int, int]:
        """Person and thing pronouns within 200 characters after each mention of ``words``."""
        people = things = 0
        for mention in self.mentions.get(words, ()):
            window = self.text[mention.end : mention.end + 200].split("\n")[0]
            for word in _TOKEN.findall(window.casefold()):
                people += word in self.lexicon.person_pronouns
                things += word in self.lexicon.thing_pronouns
        return people, things


_NAME_SUFFIX_KEYS = frozenset(name_key(s) for s in _WORDS["name_suffixes"])


def _without_suffixes(words: tuple[str, ...]) -> tuple[str, ...]:
    """Name key words without a trailing "jr", "sr", "iii" ("Kennedy Jr." ends with Kennedy)."""
    core = words
    while len(core) > 1 and core[-1] in _NAME_SUFFIX_KEYS:
        core = core[:-1]
    return core


def _resolve(found: _Found, index: _NameIndex) -> Source | None:
    """The cited Source: canonical name and kind from the gazetteer, the body and the words;
    None for a recipient who is not an outlet ("told Benioff": a person told is not a source)."""
    name = found.name
    full = index.fullest(name)
    kind = full.kind
    canonical = full.canonical
    if kind is None:
        person = index.is_person(full) or (name.surname_only and full is not name)
        kind = "person" if person else "organisation"
    if found.recipient and kind not in ("outlet", "agency"):
        return None
    return Source(
        name=name.text,
        normalized=canonical,
        role="cited",
        kind=kind,
        evidence=TextSpan(text=name.text, start=name.start, end=name.end),
    )


def _is_publisher(found: _Found, source: Source, publisher_keys: frozenset[str]) -> bool:
    """The article's own publisher or its staff ("CNN's Sanjay Gupta", "CBS Sports NFL Insider
    Jason La Canfora" in a CBS Sports article) are not cited sources."""
    if not publisher_keys:
        return False
    if name_key(source.normalized) in publisher_keys or name_key(source.name) in publisher_keys:
        return True
    for context in (found.name.descriptor, found.possessor):
        padded = f" {name_key(context)} "
        if context and any(f" {key} " in padded for key in publisher_keys):
            return True
    return False


def _nearest_quotation(
    quotations: Sequence[tuple[int, int]], sentence: tuple[int, int], cue: tuple[int, int]
) -> tuple[int, int] | None:
    """The quotation inside the sentence closest to the cue (``quotations`` are sorted and do
    not overlap, so only the ones on either side of the cue compete)."""
    after = bisect_right(quotations, cue[0], key=lambda q: q[0])
    inside = [
        q
        for q in quotations[max(0, after - 1) : after + 1]
        if sentence[0] <= q[0] and q[1] <= sentence[1]
    ]
    if not inside:
        return None
    return min(inside, key=lambda q: min(abs(q[0] - cue[1]), abs(cue[0] - q[1])))


@dataclass(frozen=True)
class _Cited:
    """A resolved citation candidate: what the cue found, the Source, the sentence's index, and
    whether the cue only introduces a report ("according to X", "per X"): X may not have
    spoken the words of a quotation there."""

    found: _Found
    source: Source
    sentence: int
    reported: bool


@dataclass(frozen=True)
class _Speaker:
    """Whose words a quotation is (None: unnamed or unknown), where the text says so, and the
    attributing verb."""

    source: Source | None
    mention: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None


_ANTECEDENT_PARAGRAPHS = 2
"""A pronoun or "the ministry" refers back at most this many paragraphs."""
_ANTECEDENT_STEPS = 40
"""How many earlier sources a reference looks through (keeps the look-back bounded)."""
_ATTRIBUTION_REACH = 10
"""Tokens between a quotation and the verb that attributes it ("..., Taliban spokesman
Zabihullah Mujahid said")."""
_CLAUSE_REACH = 40
"""Tokens before a quotation in which the subject of its clause is looked for."""


def _is_title_like(quotation: str) -> bool:
    """A title of a work, show or campaign ("Takin' It To the Streets"): every word of four or
    more letters capitalised and no sentence inside. Such quotations reproduce nobody's words."""
    words = [w.strip(".,!?;:'\"\u201c\u201d\u2018\u2019") for w in quotation[1:-1].split()]
    long_words = [w for w in words if len(w) >= 4]
    inner_stop = re.search(r"[.!?]\s", quotation[1:-1])
    return (
        len(long_words) >= 2
        and all(w[0].isupper() for w in long_words)
        and inner_stop is None
        and not all(_is_acronym(w) for w in long_words)
    )


_Attributed = tuple[Source, tuple[int, int], tuple[int, int]]
"""A source cited by a cue: the Source, the cue's span and the citing sentence's span."""
_Event = tuple[int, Source, str]
"""A source seen in the body: where, the Source, and its dropped title ("interior minister")."""
_PERSON: frozenset[SourceKind] = frozenset({"person"})
_BODIES: frozenset[SourceKind] = frozenset(
    {"agency", "outlet", "government", "organisation", "other"}
)
_ANY_KIND: frozenset[SourceKind] = _PERSON | _BODIES


class _Speakers:
    """Finds the speaker of each quotation of a body, from the clause attributing it ("...,"
    Shoigu said; said Alipov, '...'; he added), the sentence's citations or its subject,
    or the quotation it continues. "He", "she", "it", "the statement", "the minister" and "a
    company spokesperson" resolve to the nearest fitting source cited (else named) in the same
    or the two paragraphs before; an unnamed speaker ("the doctor said") stays None."""

    def __init__(
        self,
        sentences: Sequence[_Sentence],
        cited: Sequence[_Cited],
        index: _NameIndex,
        lexicon: _Lexicon,
        publisher_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.sentences = sentences
        self.publisher_keys = publisher_keys
        self.sentence_starts = [s.span[0] for s in sentences]
        self.index = index
        self.lexicon = lexicon
        self.by_sentence: dict[int, list[_Cited]] = {}
        self.by_cue: dict[int, _Cited] = {}
        self.first_reporting: dict[int, _Cited] = {}
        self.speaking: dict[int, list[_Cited]] = {}
        for entry in cited:
            self.by_sentence.setdefault(entry.sentence, []).append(entry)
            if entry.found.recipient:
                continue
            if not entry.reported:
                self.by_cue.setdefault(entry.found.cue[0], entry)
                earliest = self.first_reporting.get(entry.sentence)
                if earliest is None or entry.found.cue[0] < earliest.found.cue[0]:
                    self.first_reporting[entry.sentence] = entry
            if not entry.reported or entry.source.kind == "person":
                self.speaking.setdefault(entry.sentence, []).append(entry)
        for entries in self.speaking.values():
            entries.sort(key=lambda entry: entry.found.cue[0])
        text = sentences[0].text if sentences else ""
        self.paragraph_starts = [start for start, _ in _paragraph_spans(text)]
        self.cited: list[_Event] = sorted(
            (
                (c.found.name.start, c.source, c.found.name.descriptor.casefold())
                for c in cited
                if not c.found.recipient
            ),
            key=lambda event: event[0],
        )
        self.mentioned = list(self._mentions())
        self.spoken: list[_Event] = []
        self.added: list[_Attributed] = []
        """Speakers an attribution names or refers to, cited by its verb."""

    def _mentions(self) -> Iterator[_Event]:
        """Every name of the body outside quotations and prepositional phrases ("the offices
        of Omar" is no antecedent of "he"), in order, as the Source it would be."""
        for sentence in self.sentences:
            for run in sentence.runs:
                name = sentence.name_of(run)
                if name is None or sentence._only_demonym(name) or sentence._governed(run, name):
                    continue
                source = _resolve(_Found(name, (name.start, name.end), sentence.span), self.index)
                before = sentence.lowers[run.first - 1] if run.first > 0 else ""
                title = before if before in _TITLES else ""  # "President" opening a sentence
                if source is not None and title and source.kind == "organisation":
                    source = source.model_copy(update={"kind": "person"})
                if source is not None:
                    yield name.start, source, f"{title} {name.descriptor.casefold()}"

    # -- the quotation's own sentence -------------------------------------------------------

    def locate(self, start: int) -> tuple[int, int] | None:
        """The index of the sentence holding the quotation at ``start``, and its token's."""
        position = bisect_right(self.sentence_starts, start) - 1
        k = self.sentences[position].token_at.get(start) if position >= 0 else None
        if k is None or not self.sentences[position].tokens[k].quote:
            return None
        return position, k

    def names_something(self, start: int) -> bool:
        """Whether the quotation is a name, title or slogan: a naming word stands right before
        or after it ("the slogan '...'", "the '...' narrative")."""
        located = self.locate(start)
        if located is None:
            return False
        sentence, k = self.sentences[located[0]], located[1]
        naming = self.lexicon.naming_words
        return any(
            tuple(sentence.lowers[max(0, k - length) : k]) in naming
            or tuple(sentence.lowers[k + 1 : k + 1 + length]) in naming
            for length in (1, 2, 3)
        )

    def speaker(self, start: int, previous: tuple[int, Source | None] | None) -> _Speaker:
        """Whose words the quotation starting at ``start`` is; ``previous`` is the quotation
        before it (its start and speaker), which a bare continuation inherits.

        A verb right before the quotation (`and said, "..."`) attributes it before one after
        it (`..., the prosecutor's office said`): the one after reports the words.
        """
        located = self.locate(start)
        if located is None:
            return _Speaker(None)
        position, k = located
        sentence = self.sentences[position]
        found = (
            self._before(sentence, position, k, reach=3)
            or self._after(sentence, position, k)
            or self._before(sentence, position, k, reach=_ATTRIBUTION_REACH)
            or self._cited_in(position, start)
            or self._sentence_speaker(sentence, position, k, None)
        )
        if found is None and previous is not None and k == 0 and not self.by_sentence.get(position):
            previous_start, previous_source = previous
            if self._paragraph(start) - self._paragraph(previous_start) <= 1:
                found = _Speaker(previous_source)
        if found is not None and found.source is not None:
            self.spoken.append((start, found.source, ""))
        return found or _Speaker(None)

    def _after(self, sentence: _Sentence, position: int, k: int) -> _Speaker | None:
        """The attribution after the quotation: `"...," Shoigu said`, `"...," said Alipov`,
        `"...," he added`, `"...," the first caller said` (unnamed)."""
        tokens = sentence.tokens
        first = k + 1
        while first < len(tokens) and tokens[first].text in ",\u2014\u2013-":
            first += 1
        for verb in range(first, min(len(tokens), first + _ATTRIBUTION_REACH)):
            token = tokens[verb]
            if token.quote or token.text in ".;!?()[]":
                return None
            length = (
                len(self.lexicon.speech_at(sentence.lowers, verb) or ()) if token.is_word else 0
            )
            if length:
                return self._subject(sentence, position, verb, length, inverted=verb == first)
        return None

    def _before(self, sentence: _Sentence, position: int, k: int, reach: int) -> _Speaker | None:
        """The attribution at most ``reach`` tokens before the quotation: `he added, "..."`,
        `saying, '...'`, `said discussions are 'at a very early stage.'`."""
        tokens = sentence.tokens
        for verb in range(k - 1, max(-1, k - 1 - reach), -1):
            token = tokens[verb]
            if token.quote:
                return None
            verb_phrase = self.lexicon.speech_at(sentence.lowers, verb) if token.is_word else None
            if verb_phrase and verb + len(verb_phrase) <= k:
                return self._subject(sentence, position, verb, len(verb_phrase), inverted=False)
        return None

    def _subject(
        self, sentence: _Sentence, position: int, verb: int, length: int, *, inverted: bool
    ) -> _Speaker:
        """Who the attributing verb at ``verb`` (``length`` tokens) has speak: the source the
        sentence cites by it, its subject's name, or the source a pronoun or a noun refers to;
        a coordinated verb (`called Omar a "terrorist" and said`) shares the clause's subject."""
        tokens = sentence.tokens
        cue = (tokens[verb].start, tokens[verb + length - 1].end)
        cited = self.by_cue.get(cue[0])
        if cited is not None:
            name = cited.found.name
            return _Speaker(cited.source, (name.start, name.end), cue)
        if tuple(sentence.lowers[verb : verb + length]) in self.lexicon.participles:
            return self._sentence_speaker(sentence, position, verb, cue) or _Speaker(
                None, None, cue
            )
        if inverted:
            names = list(sentence._forward(verb + length, evidence=False))
            reference = verb + length
            while (
                reference < len(tokens) - 1
                and sentence.lowers[reference] in self.lexicon.determiners
            ):
                reference += 1
        else:
            names = list(sentence._subject_before(verb))
            reference = verb - 1
            while reference > 0 and sentence.lowers[reference] in self.lexicon.skip_before_verb:
                reference -= 1
        if names:
            return self._named(sentence, position, names[0], cue)
        if (
            not inverted
            and reference >= 0
            and sentence.lowers[reference] in self.lexicon.clause_links
        ):
            return self._sentence_speaker(sentence, position, verb, cue) or _Speaker(
                None, None, cue
            )
        if 0 <= reference < len(tokens):
            return self._referred(sentence, reference, cue)
        return _Speaker(None, None, cue)

    def _named(
        self, sentence: _Sentence, position: int, name: _Name, cue: tuple[int, int]
    ) -> _Speaker:
        """A speaker named by the attribution, cited by it when no cue of the sentence was."""
        found = _Found(name, cue, sentence.span, sentence._possessor_of(name))
        source = _resolve(found, self.index)
        if source is None:
            return _Speaker(None, (name.start, name.end), cue)
        if not _is_publisher(found, source, self.publisher_keys):
            self.added.append((source, cue, sentence.span))
        return _Speaker(source, (name.start, name.end), cue)

    def _referred(self, sentence: _Sentence, at: int, cue: tuple[int, int] | None) -> _Speaker:
        """The source a pronoun or a defined noun at token ``at`` refers back to ("he", "it",
        "the statement", "the minister", "a company spokesperson"); None for an unnamed
        speaker ("the doctor", "one user", "officers")."""
        lexicon = self.lexicon
        token = sentence.tokens[at]
        word = token.lower
        before = sentence.lowers[at - 1] if at > 0 else ""
        if (word,) in lexicon.spokes_roles and at > 1 and sentence.tokens[at - 1].is_possessive:
            before = sentence.lowers[at - 2]  # "the ministry's spokesman"
        owner = before if (word,) in lexicon.spokes_roles else ""
        defined = before in lexicon.determiners
        wanted: frozenset[SourceKind] = frozenset()
        title = ""
        if word in lexicon.subject_pronouns:
            wanted = _PERSON
        elif word in lexicon.thing_pronouns:
            wanted = _BODIES
        elif owner in lexicon.referring_nouns:
            wanted = self._kinds_of(owner)  # "a company spokesperson": the company
        elif defined and word in lexicon.evidence_nouns:
            wanted = _ANY_KIND  # "the statement said": whoever issued it
        elif defined and (word in lexicon.referring_nouns or (word,) in lexicon.collective_bodies):
            wanted = self._kinds_of(word)
        elif defined and word in _TITLES:
            wanted, title = _PERSON, word
        source = self._antecedent(token.start, wanted, title) if wanted else None
        if source is None:
            return _Speaker(None, None, cue)
        if cue is not None and name_key(source.normalized) not in self.publisher_keys:
            # The speaker is cited by the verb, through the word that refers to them here.
            referring = TextSpan(
                text=sentence.text[token.start : token.end], start=token.start, end=token.end
            )
            self.added.append(
                (source.model_copy(update={"evidence": referring}), cue, sentence.span)
            )
        return _Speaker(source, (token.start, token.end), cue)

    def _kinds_of(self, noun: str) -> frozenset[SourceKind]:
        """The kinds of source a noun can refer back to ("the ministry": a government body)."""
        kinds: set[SourceKind] = set()
        if noun in _GOVERNMENT_WORDS or (noun,) in self.lexicon.collective_bodies:
            kinds.add("government")
        if noun in _ORGANISATION_WORDS:
            kinds.add("organisation")
        if noun in _OUTLET_WORDS or noun in self.lexicon.descriptors:
            kinds.update(("outlet", "agency"))
        return frozenset(kinds) or _BODIES

    def _cited_in(self, position: int, start: int) -> _Speaker | None:
        """The source the quotation's sentence cites by a reporting verb (nearest to the
        quotation), or by "according to" when that source is a person."""
        entries = self.speaking.get(position, [])
        after = bisect_left(entries, start, key=lambda entry: entry.found.cue[0])
        candidates = entries[max(0, after - 1) : after + 1]  # the nearest is on either side
        if not candidates:
            return None
        entry = min(candidates, key=lambda e: abs(e.found.cue[0] - start))
        name = entry.found.name
        return _Speaker(entry.source, (name.start, name.end), entry.found.cue)

    def _sentence_speaker(
        self, sentence: _Sentence, position: int, before: int, cue: tuple[int, int] | None
    ) -> _Speaker | None:
        """The subject of the clause a quotation or participle sits in, for a participle
        ("..., saying '...'"), a coordinated verb, or a quotation with no verb ("Touching on
        Gaza, Galal called for institutions that reflect '...'"): a source the sentence cites
        by a verb before it, else the last name or "he"/"she" opening a clause before it and
        followed by a lower-case word (a person's name only when no verb attributes)."""
        limit = sentence.tokens[before].start
        first = self.first_reporting.get(position)
        if first is not None and first.found.cue[0] < limit:
            name = first.found.name
            return _Speaker(first.source, (name.start, name.end), cue or first.found.cue)
        tokens, lowers, lexicon = sentence.tokens, sentence.lowers, self.lexicon
        subject: tuple[int, _Run | None] | None = None
        for i in range(max(0, before - _CLAUSE_REACH), before):
            if i > 0 and tokens[i - 1].text not in ",;:\u2014\u2013":
                continue
            while i < before and lowers[i] in lexicon.clause_links:
                i += 1
            run = sentence.run_starting.get(i)
            following = run.last + 1 if run is not None else i + 1
            if following >= before or not tokens[following].is_word:
                continue
            follower = lowers[following]
            if tokens[following].is_capitalised or follower in lexicon.prepositions:
                continue
            if follower in lexicon.clause_links or follower in lexicon.determiners:
                continue
            if run is not None or lowers[i] in lexicon.subject_pronouns:
                subject = (i, run)
        if subject is None:
            return None
        at, run = subject
        if run is None:
            return self._referred(sentence, at, cue)
        named = sentence.name_of(run)
        if named is None:
            return None
        found = _Found(named, cue or (named.start, named.end), sentence.span)
        source = _resolve(found, self.index)
        if source is None or (cue is None and source.kind != "person"):
            return None
        if cue is not None and not _is_publisher(found, source, self.publisher_keys):
            self.added.append((source, cue, sentence.span))
        return _Speaker(source, (named.start, named.end), cue)

    # -- looking back -------------------------------------------------------------------------

    def _paragraph(self, offset: int) -> int:
        return bisect_right(self.paragraph_starts, offset) - 1

    def _antecedent(
        self, offset: int, wanted: frozenset[SourceKind], title: str = ""
    ) -> Source | None:
        """The nearest source of a wanted kind before ``offset``, within the paragraph and the
        two before: one cited or speaking an earlier quotation, else one merely named; a title
        ("the minister") prefers a source printed with it."""
        floor_paragraph = max(0, self._paragraph(offset) - _ANTECEDENT_PARAGRAPHS)
        floor = self.paragraph_starts[floor_paragraph] if self.paragraph_starts else 0
        for groups in ((self.cited, self.spoken), (self.mentioned,)):
            best: tuple[int, Source] | None = None
            titled: tuple[int, Source] | None = None
            for events in groups:
                end = bisect_left(events, offset, key=lambda event: event[0])
                for at in range(end - 1, max(-1, end - 1 - _ANTECEDENT_STEPS), -1):
                    position, source, descriptor = events[at]
                    if position < floor:
                        break
                    if source.kind not in wanted:
                        continue
                    if best is None or position > best[0]:
                        best = (position, source)
                    titled_here = bool(title) and title in descriptor.split()
                    if titled_here and (titled is None or position > titled[0]):
                        titled = (position, source)
            chosen = titled or best
            if chosen is not None:
                return chosen[1]
        return None


def _analyse_body(
    text: str, publisher_keys: frozenset[str] = frozenset(), min_quote_words: int = 4
) -> tuple[list[Citation], list[Quote]]:
    """The citations and quotations of one body (the code behind :func:`extract_citations`,
    :func:`extract_quotes` and the stage)."""
    quotations = quotation_spans(text, min_words=1)
    quoted = [(s, e) for s, e in quotations if len(text[s + 1 : e - 1].split()) >= min_quote_words]
    lexicon = _LEXICONS[_language_of(_casefolded_words(text))]
    sentences = [
        _Sentence(text, span, quotations, lexicon) for span in sentence_spans(text, quotations)
    ]
    vocabulary = _Vocabulary.of((sentence.tokens for sentence in sentences), lexicon)
    for sentence in sentences:
        sentence.find_runs(vocabulary)
    index = _NameIndex(sentences, lexicon)
    cited: list[_Cited] = []
    for position, sentence in enumerate(sentences):
        for found in sentence.candidates():
            source = _resolve(found, index)
            if source is None or _is_publisher(found, source, publisher_keys):
                continue
            reported = _phrase(text[found.cue[0] : found.cue[1]]) in lexicon.before
            cited.append(_Cited(found, source, position, reported))
    speakers = _Speakers(sentences, cited, index, lexicon, publisher_keys)
    quotes: list[Quote] = []
    previous: tuple[int, Source | None] | None = None
    for start, end in quoted:
        if _is_title_like(text[start:end]) or speakers.names_something(start):
            continue
        speaker = speakers.speaker(start, previous)
        previous = (start, speaker.source)
        quotes.append(
            Quote(
                start=start,
                end=end,
                text=text[start:end],
                speaker=speaker.source.normalized if speaker.source else None,
                speaker_span=_span(text, speaker.mention),
                cue=_span(text, speaker.cue),
            )
        )
    entries = sorted(
        [*((c.source, c.found.cue, c.found.sentence) for c in cited), *speakers.added],
        key=lambda entry: (entry[2][0], entry[1][0]),
    )
    return _to_citations(text, entries, quoted), quotes


def _span(text: str, span: tuple[int, int] | None) -> TextSpan | None:
    if span is None:
        return None
    return TextSpan(text=text[span[0] : span[1]], start=span[0], end=span[1])


def _to_citations(
    text: str, entries: Sequence[_Attributed], quoted: Sequence[tuple[int, int]]
) -> list[Citation]:
    """One Citation per source, sentence and cue, with the sentence's nearest quotation."""
    citations: list[Citation] = []
    seen: set[tuple[str, int, int]] = set()
    for source, cue, sentence in entries:
        identity = (name_key(source.normalized), sentence[0], cue[0])
        if identity in seen:
            continue
        seen.add(identity)
        quote = _nearest_quotation(quoted, sentence, cue)
        citations.append(
            Citation(
                source=source,
                cue=" ".join(text[cue[0] : cue[1]].split()).casefold(),
                cue_span=TextSpan(text=text[cue[0] : cue[1]], start=cue[0], end=cue[1]),
                quote=_span(text, quote),
                start=sentence[0],
                end=sentence[1],
            )
        )
    return citations


def extract_citations(text: str, *, publisher: str | None = None) -> list[Citation]:
    """The named sources ``text`` cites, one Citation per source, sentence and cue.

    Runs exactly what the sources stage runs on each article body: reporting cues in several
    languages ("according to", "said", "told", "según", "selon", "laut", "по словам" ...),
    names from capitalised runs with titles and descriptors dropped, canonical names resolved
    to the fullest form the text gives, kinds from the gazetteer and the name's words. The
    named speaker of a quotation is cited too. Pronouns and unnamed sources ("officials
    said") are not citations.

    Args:
        text: an article body (paragraphs separated by line breaks).
        publisher: the article's own publisher, which (with its staff) is never cited.

    Returns:
        Citations in text order; offsets index ``text``.

    Example:
        >>> [c.source.normalized for c in extract_citations("The plan works, Reuters reported.")]
        ['Reuters']
    """
    keys = _outlet_keys(publisher) if publisher else frozenset()
    return _analyse_body(text, keys)[0]


def extract_quotes(text: str, *, publisher: str | None = None) -> list[Quote]:
    """The direct quotations of ``text``, each with its speaker's canonical name.

    Runs exactly what the sources stage runs on each article body. Quotations in straight,
    curly, angle and single marks of at least four words, marks included, apostrophes told
    apart by context; titles of works are left out. A quotation split by its attribution
    (`"...," he said, "..."`) is two quotations with one speaker. The speaker comes from the
    attributing clause, the sentence's citations or subject, or the quotation continued;
    "he", "she", "it", "the statement", "the minister" resolve to the nearest fitting
    source cited before; an unnamed speaker ("the doctor said") or none gives ``None``.

    Args:
        text: an article body (paragraphs separated by line breaks).
        publisher: the article's own publisher, which is never cited (nor a speaker).

    Returns:
        Quotations in text order; ``text[q.start:q.end] == q.text``.

    Example:
        >>> [(q.text, q.speaker) for q in extract_quotes("'We are not done yet,' Jane Roe said.")]
        [("'We are not done yet,'", 'Jane Roe')]
    """
    keys = _outlet_keys(publisher) if publisher else frozenset()
    return _analyse_body(text, keys)[1]


def _outlet_keys(name: str) -> frozenset[str]:
    """Every comparison form of an outlet: its name and, when known, all its variants."""
    outlet = GAZETTEER.find_loosely(name)
    forms = (name, *(outlet.forms if outlet else ()))
    return frozenset(k for k in (name_key(f) for f in forms) if k)


# --------------------------------------------------------------------------------------------
# publisher, authors, aggregator


@dataclass(frozen=True)
class _Credit:
    """A publisher candidate: the printed name, what it is, and where (raw offsets) if seen."""

    printed: str
    outlet: Outlet | None
    start: int | None = None
    end: int | None = None
    bylined: bool = False

    def source(self, role: SourceRole) -> Source:
        """The credit as a Source: the gazetteer's canonical name when the outlet is known."""
        evidence = None
        if self.start is not None and self.end is not None:
            evidence = TextSpan(text=self.printed, start=self.start, end=self.end)
        return Source(
            name=self.printed,
            normalized=self.outlet.canonical if self.outlet else self.printed,
            role=role,
            kind=self.outlet.source_kind if self.outlet else "outlet",
            evidence=evidence,
        )

    @property
    def key(self) -> str:
        """The comparison form of the credited name."""
        return name_key(self.outlet.canonical if self.outlet else self.printed)


_BYLINE_PREFIXES = sorted(
    {p.casefold() for prefixes in _CUES["byline_prefixes"].values() for p in prefixes},
    key=len,
    reverse=True,
)
_SEGMENT_SEPARATOR = re.compile(r"(?<!\s)\s*(?:[\u2022\u00b7|/\u2014\u2013]|\s-\s|,|;)\s*")
_DATELINE_CREDIT = re.compile(r"[^\n(]{0,60}?\(([^()\n]{2,40})\)\s*[-\u2013\u2014:]")
_SITE_COPYRIGHT = re.compile(
    r"(?:\u00a9|\(c\)|copyright)\s*\u00a9?\s*\d{4}(?:\s*[-\u2013]\s*\d{4})?\s*,?\s*(\S.{1,59})",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"(?:\u00a9|\(c\)|copyright)\s*(?:\d{4}\s*)?(.{2,60})$", re.IGNORECASE)
_META_SITE_KEYS = ("og:site_name", "application-name", "dc.publisher", "publisher", "twitter:site")
_META_AUTHOR_KEYS = ("author", "dc.creator", "article:author", "byl")
_TITLE_SEPARATOR = re.compile(r"(?<!\s)\s+[|\u2014\u2013:-]+\s+")
_NAME_WORD = re.compile(r"[^\W\d_][\w.'\u2019-]*")
_LONGEST_HEADER_LINE = 200
"""Longer blocks are no header or title lines (and bound the work done on them)."""


def _strip_byline(segment: str) -> tuple[str, bool]:
    """``segment`` without a leading credit word ("By", "Por", "Par"), and whether it had one."""
    folded = segment.casefold()
    for prefix in _BYLINE_PREFIXES:
        if folded.startswith(prefix) and len(segment) > len(prefix):
            rest = segment[len(prefix) :]
            if rest[0] in " :":
                return rest.lstrip(" :"), True
    return segment, False


def _looks_like_person(text: str) -> bool:
    """Two to five capitalised words that name no outlet or country: a byline's person."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and all(
            _NAME_WORD.fullmatch(w) and (w[0].isupper() or w.casefold() in _PARTICLES)
            for w in words
        )
        and GAZETTEER.find(text) is None
        and name_key(text) not in _COUNTRIES
    )


_BYLINE_JOINER = re.compile(
    r"(?<!\s)\s*(?:,|&|"
    + "|".join(
        rf"\b{re.escape(word)}\b"
        for words in _CUES["byline_conjunctions"].values()
        for word in words
    )
    + r")\s*"
)


def _people(text: str) -> list[str]:
    """Personal names of a byline ("Jane Doe and John Roe", "Ana Gómez y Luis Pérez")."""
    parts = _BYLINE_JOINER.split(_strip_byline(text)[0])
    return [p.strip() for p in parts if _looks_like_person(p.strip())]


@dataclass
class _Header:
    """What an article's header lines credit: agencies, outlets, unknown brands, authors."""

    credits: list[_Credit] = field(default_factory=list)
    brands: list[_Credit] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def _segments(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` of each part of a header line between separators (·, |, —, ",")."""
    cursor = 0
    for match in _SEGMENT_SEPARATOR.finditer(text):
        if match.start() > cursor:
            yield cursor, text[cursor : match.start()]
        cursor = match.end()
    if cursor < len(text):
        yield cursor, text[cursor:]


def _read_header_line(block: Block, header: _Header, allow_brands: bool) -> None:
    """Credits and authors of one header line (a short one), with raw offsets."""
    if len(block.text) > _LONGEST_HEADER_LINE:
        return
    lead = len(block.text) - len(block.text.lstrip(" \t\u2022\u00b7*-\u2013\u2014>|"))
    text = block.text[lead:].rstrip()
    marked = block.text[:lead].strip() != ""
    byline = False
    segments = list(_segments(text))
    for offset, segment in segments:
        stripped, has_prefix = _strip_byline(segment)
        byline = byline or has_prefix
        begin = lead + offset + (len(segment) - len(stripped))
        outlet = GAZETTEER.find_loosely(stripped, distinctive=not (byline or marked))
        length = len(stripped)
        if outlet is None:
            opening = GAZETTEER.find_opening(stripped)
            if opening is not None and _credits_opening(stripped, opening[1]):
                outlet, length = opening
        if outlet is not None:
            raw_end = block.raw_offset(begin + length - 1) + 1
            header.credits.append(
                _Credit(stripped[:length], outlet, block.raw_offset(begin), raw_end, bylined=byline)
            )
        elif byline:
            header.authors.extend(_people(stripped))
        elif allow_brands and len(segments) == 1 and _is_brand_line(stripped, marked):
            header.brands.append(
                _Credit(
                    stripped,
                    None,
                    block.raw_offset(begin),
                    block.raw_offset(begin + length - 1) + 1,
                )
            )


def _is_brand_line(text: str, marked: bool) -> bool:
    """A short capitalised name alone on a header line: "• Indian Express" (a credit marker
    before it), or two to four capitalised words; one bare word is too often a menu item."""
    words = text.split()
    return (
        (1 if marked else 2) <= len(words) <= 4
        and all(_NAME_WORD.fullmatch(w) and (w[0].isupper() or w[0].isdigit()) for w in words)
        and text not in _UNNAMED
        and not _looks_like_person(text)
    )


def _lead_position(page: Page, draft: ArticleDraft) -> int | None:
    """Position in ``draft.blocks`` of the first paragraph-like body block (120+ characters)."""
    for position, index in enumerate(draft.blocks):
        block = page.blocks[index]
        if (
            len(block.text) >= 120  # the kept text is never longer: the cheapest test first
            and block.role == "body"
            and block.kept
            and len(block.kept_text()) >= 120
        ):
            return position
    return None


def _header_blocks(page: Page, draft: ArticleDraft, window: int) -> tuple[list[Block], bool]:
    """The article's header lines: its "meta" blocks, or, when segmentation marked none, the
    short kept blocks just before its lead paragraph (the second value tells which)."""
    metas = [b for b in page.blocks_of(draft, "meta") if b.text.strip()]
    if metas:
        return metas, True
    lead = _lead_position(page, draft)
    if lead is None:
        return [], False
    blocks = [page.blocks[i] for i in draft.blocks[max(0, lead - window) : lead]]
    return [b for b in blocks if b.kept and b.role != "title" and len(b.kept_text()) <= 80], False


def _raw_span(body: Body, start: int, end: int) -> tuple[int, int]:
    return body.char_map[start], body.char_map[end - 1] + 1


def _body_credit(
    body: Body, paragraphs: Sequence[tuple[int, int]]
) -> tuple[_Credit | None, list[str]]:
    """A wire credit opening a paragraph ("WASHINGTON (AP) —", "By Reuters", "PTI, Washington")
    or closing the body ("© Associated Press"), and any bylined authors."""
    text = body.text
    authors: list[str] = []
    for start, end in paragraphs:
        window = text[start : min(end, start + 160)]
        dateline = _DATELINE_CREDIT.match(window)
        if dateline:
            outlet = GAZETTEER.find(dateline.group(1).strip())
            if outlet is not None and outlet.kind != "aggregator":
                s, e = start + dateline.start(1), start + dateline.end(1)
                return _Credit(text[s:e], outlet, *_raw_span(body, s, e)), authors
        first_line = window.split("\n")[0]
        stripped, byline = _strip_byline(first_line)
        head = re.split(r"\s*[\u2014\u2013:|]\s*|\s-\s", stripped, maxsplit=1)[0]
        for offset, segment in _segments(head):
            outlet = GAZETTEER.find(segment.strip(), distinctive=not byline)
            if outlet is not None and outlet.kind != "aggregator" and (byline or offset == 0):
                s = start + (len(first_line) - len(stripped)) + offset
                e = s + len(segment.strip())
                return _Credit(text[s:e], outlet, *_raw_span(body, s, e)), authors
        if byline and end - start <= 80:
            authors.extend(_people(head))
    if paragraphs:
        start, end = paragraphs[-1]
        copyright_line = _COPYRIGHT.search(text[start:end]) if end - start <= 100 else None
        if copyright_line:
            outlet = GAZETTEER.find(copyright_line.group(1).strip(" ."), distinctive=True)
            if outlet is not None and outlet.kind != "aggregator":
                s, e = start + copyright_line.start(1), start + copyright_line.end(1)
                return _Credit(text[s:e].strip(" ."), outlet, *_raw_span(body, s, e)), authors
    return None, authors


def _metadata_credits(page: Page) -> tuple[list[_Credit], list[_Credit]]:
    """Known outlets the page metadata names, and unknown site names (in order of trust)."""
    known: list[_Credit] = []
    unknown: list[_Credit] = []
    for key in _META_SITE_KEYS:
        value = page.metadata.get(key, "").strip()
        if not value or "://" in value:
            continue
        value = value.lstrip("@")
        outlet = GAZETTEER.find_loosely(value)
        if outlet is not None:
            known.append(_Credit(value, outlet))
        elif key != "twitter:site":
            unknown.append(_Credit(value, None))
    for key in ("og:title", "title"):
        parts = _TITLE_SEPARATOR.split(page.metadata.get(key, ""))
        for part in (parts[-1], parts[0]) if len(parts) > 1 else ():
            outlet = GAZETTEER.find(part.strip())
            if outlet is not None:
                known.append(_Credit(part.strip(), outlet))
    return known, unknown


def _site_line_credits(page: Page) -> tuple[list[_Credit], list[_Credit]]:
    """Site names the page prints about itself: its title line's suffix ("... | Al Jazeera",
    "... — RT World News") and its copyright line ("© 2019 CNBC LLC"), with raw offsets."""
    titles: list[_Credit] = []
    copyrights: list[_Credit] = []
    title_blocks = [b for b in page.blocks[:1] if not page.metadata.get("title")]
    title_blocks += [b for b in page.blocks if b.role == "title" and b not in title_blocks]
    for block in title_blocks:
        if len(block.text) > _LONGEST_HEADER_LINE:
            continue
        parts = list(_TITLE_SEPARATOR.finditer(block.text))
        if parts:
            credit = _credit_at(block, parts[-1].end(), len(block.text))
            if credit is not None:
                titles.append(credit)
    for block in page.blocks:
        if len(block.text) <= 200 and (match := _SITE_COPYRIGHT.search(block.text)):
            credit = _credit_at(block, match.start(1), match.end(1), company=True)
            if credit is not None:
                copyrights.append(credit)
    return titles, copyrights


def _credits_opening(text: str, end: int) -> bool:
    """Whether an outlet name opening a header line credits it: glued to a label ("CNNa day
    ago"), followed by a date or time ("Reuters November 18, 2019"), or a name distinctive
    enough to open anything (an acronym or several words: "RT World News")."""
    name, rest = text[:end], text[end:]
    if rest[:1].isalpha() or _is_acronym(name) or " " in name.strip():
        return True
    words = rest.strip(" ,.:;-\u2013\u2014").split(maxsplit=1)
    return not words or words[0][0].isdigit() or words[0].casefold() in _TIME_WORDS


def _credit_at(block: Block, start: int, end: int, *, company: bool = False) -> _Credit | None:
    """The known outlet printed at ``block.text[start:end]``: the whole text, or opening it.

    With ``company`` (a copyright line), an opening name must be followed by a corporate
    suffix ("CNBC LLC"), since copyright lines often name a parent company instead.
    """
    text = block.text[start:end].strip()
    start += len(block.text[start:end]) - len(block.text[start:end].lstrip())
    outlet = GAZETTEER.find(text, distinctive=company)
    length = len(text)
    if outlet is None and (opening := GAZETTEER.find_opening(text)) is not None:
        following = text[opening[1] :].split(maxsplit=1)
        if not company or (following and following[0].strip(",.") in _CORPORATE_SUFFIXES):
            outlet, length = opening
    if outlet is None or length == 0:
        return None
    return _Credit(
        text[:length], outlet, block.raw_offset(start), block.raw_offset(start + length - 1) + 1
    )


def _metadata_authors(page: Page) -> list[str]:
    """The people the page metadata names as authors ("author", "dc.creator", ...)."""
    for key in _META_AUTHOR_KEYS:
        value = page.metadata.get(key, "").strip()
        if value and "://" not in value:
            return _people(value)
    return []


def _compile_prompt(template: str) -> re.Pattern[str]:
    """A prompt template ("download the {name} app") as a regex whose words match in any case
    and whose brand must be written as a name."""
    before, _, after = template.partition("{name}")

    def literal(part: str) -> str:
        return r"\s+".join(re.escape(w) for w in part.split()) if part.strip() else ""

    brand = r"(?P<name>[^\W_][\w&.'\u2019-]{0,30}(?:\s[^\W_][\w&.'\u2019-]{0,30}){0,2}?)"
    head = f"(?i:{literal(before)})\\s+" if before.strip() else ""
    tail = f"\\s+(?i:{literal(after)})" if after.strip() else r"(?=\W|$)"
    return re.compile(rf"(?<!\w){head}{brand}{tail}")


_PROMPTS = [
    _compile_prompt(template)
    for templates in _CUES["aggregator_prompts"].values()
    for template in sorted(templates, key=len, reverse=True)
]
_ANY_PROMPT = re.compile(
    "|".join(f"(?:{prompt.pattern.replace('(?P<name>', '(?:')})" for prompt in _PROMPTS)
)
"""All the prompts in one pattern (without the brand groups), to skip in one search the many
blocks that hold none: it matches somewhere exactly when some prompt does."""
_PROMPT_WORDS = re.compile(
    "|".join(
        re.escape(word.lower())
        for word in sorted(
            {
                max(template.replace("{name}", " ").split(), key=len)
                for templates in _CUES["aggregator_prompts"].values()
                for template in templates
            },
            key=lambda word: (-len(word), word),
        )
    )
)
"""The longest word of each prompt, in lower case, to find in :func:`_folded` text: a block
where none occurs holds no prompt (searching case-sensitively in folded text is several
times faster than :data:`_ANY_PROMPT`'s case-blind search)."""


def _folded(text: str) -> str:
    """``text`` in lower case, with the letters a case-blind regex also reads as "i" or "s"
    ("İ", "ı", "ſ") made those: wherever a case-blind regex finds a lower-case Latin word in
    ``text``, a plain one finds it in the folded text, at the same offset ("İ" is the one
    character whose lower case is longer, and it is replaced first)."""
    return text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


def _with_prompt_words(texts: Sequence[str]) -> set[int]:
    """The indices of the texts where a word of :data:`_PROMPT_WORDS` occurs: one search
    over all of them (a word holds no line break, so no match spans two)."""
    ends = list(accumulate(len(text) + 1 for text in texts))
    folded = _folded("\n".join(texts))
    return {bisect_right(ends, match.start()) for match in _PROMPT_WORDS.finditer(folded)}


def _prompt_brands(page: Page) -> list[_Credit]:
    """Brands the page names in its own prompts ("Download Newsly app today") and logo lines
    naming a known aggregator; removed boilerplate counts, it is the site's own voice."""
    found: list[_Credit] = []
    blocks = [block for block in page.blocks if len(block.text) <= 240]
    prompted = _with_prompt_words([block.text for block in blocks])
    for index, block in enumerate(blocks):
        text = block.text
        alone = GAZETTEER.find(text.strip())
        if alone is not None and alone.kind == "aggregator":
            lead = len(text) - len(text.lstrip())
            found.append(
                _Credit(
                    text.strip(),
                    alone,
                    block.raw_offset(lead),
                    block.raw_offset(lead + len(text.strip()) - 1) + 1,
                )
            )
            continue
        if index not in prompted or _ANY_PROMPT.search(text) is None:
            continue
        for prompt in _PROMPTS:
            match = prompt.search(text)
            if match is None:
                continue
            name, start, end = match.group("name"), match.start("name"), match.end("name")
            if (name[0].isupper() or name[0].isdigit()) and name not in _UNNAMED:
                unknown = _Credit(
                    name, None, block.raw_offset(start), block.raw_offset(end - 1) + 1
                )
                found.append(_credit_at(block, start, end) or unknown)
            break
    return found


def _known_aggregators(page: Page) -> list[_Credit]:
    """The page's URL or site name when they are a known aggregator (MSN, Yahoo News, ...)."""
    found: list[_Credit] = []
    by_domain = GAZETTEER.find_domain(page.url)
    if by_domain is not None and by_domain.kind == "aggregator":
        found.append(_Credit(by_domain.canonical, by_domain))
    for key in _META_SITE_KEYS:
        outlet = (
            GAZETTEER.find(page.metadata.get(key, "").lstrip("@"))
            if page.metadata.get(key)
            else None
        )
        if outlet is not None and outlet.kind == "aggregator":
            found.append(_Credit(page.metadata[key], outlet))
    return found


class SourceStage:
    """Stage "sources": publisher, authors, aggregator, citations and quotes of every article.

    Args:
        min_quote_words: shortest quotation (in words) that is a quote, or a citation's
            ``quote``.
        header_window: when segmentation marked no header lines, how many blocks before an
            article's lead paragraph are read as its header.
        max_chars: body characters read for citations and quotes per page, all its articles
            together, main article first (a longer body is read up to a paragraph break, with
            a warning; the bodies after it are not read): the stage's time stays bounded on
            any input. ``None`` reads every body in full.

    Raises:
        PipelineError: ``max_chars`` is below 1.

    Example:
        >>> from newsparse.document import ArticleDraft, Block, Page
        >>> page = Page(raw_input="", raw="Reuters\\nThe plan works, officials said.")
        >>> page.blocks = [Block("Reuters", 0, 7, role="meta"),
        ...                Block("The plan works, officials said.", 8, 39, role="body")]
        >>> page.articles = [ArticleDraft(blocks=[0, 1], is_main=True)]
        >>> SourceStage()(page).articles[0].source.normalized
        'Reuters'
    """

    name = "sources"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = ("sources", "citations", "quotes")

    def __init__(
        self, *, min_quote_words: int = 4, header_window: int = 8, max_chars: int | None = 1_000_000
    ) -> None:
        if max_chars is not None and max_chars < 1:
            raise PipelineError(f"max_chars must be at least 1 or None, not {max_chars}")
        self.min_quote_words = min_quote_words
        self.header_window = header_window
        self.max_chars = max_chars

    def __call__(self, page: Page) -> Page:
        known_aggregators = _known_aggregators(page)
        brands = _prompt_brands(page)
        excluded = {c.key for c in known_aggregators} | {
            b.key for b in brands if b.outlet is None or b.outlet.kind == "aggregator"
        }
        metadata_known, metadata_unknown = _metadata_credits(page)
        by_domain = GAZETTEER.find_domain(page.url)
        title_credits, copyright_credits = _site_line_credits(page)
        site_credits = [
            *metadata_known,
            *([_Credit(by_domain.canonical, by_domain)] if by_domain else []),
            *title_credits,
        ]
        page_authors = _metadata_authors(page)
        bodies = [page.body_of(draft) for draft in page.articles]
        limits = read_limits(page.articles, [body.text for body in bodies], self.max_chars)
        for draft, body, limit in zip(page.articles, bodies, limits, strict=True):
            credit, authors = self._publisher(
                page, draft, body, site_credits, [*copyright_credits, *metadata_unknown], excluded
            )
            if credit is not None:
                draft.source = credit.source("publisher")
            if draft.is_main and not authors:
                authors = page_authors
            draft.authors.extend(a for a in dict.fromkeys(authors) if a not in draft.authors)
            keys = _outlet_keys(draft.source.normalized) if draft.source else frozenset()
            if draft.source:
                keys |= {name_key(draft.source.name)}
            if self.max_chars is not None and limit < len(body.text):
                draft.warnings.append(
                    unread_warning(
                        "sources: citations and quotes",
                        "SourceStage(max_chars=...)",
                        limit,
                        len(body.text),
                        self.max_chars,
                    )
                )
            text = body.text[:limit]
            draft.citations, draft.quotes = _analyse_body(text, keys, self.min_quote_words)
        aggregator = self._aggregator(page, known_aggregators, brands)
        if aggregator is not None:
            for draft in page.articles:
                draft.aggregator = aggregator.source("aggregator")
        return page

    def _publisher(
        self,
        page: Page,
        draft: ArticleDraft,
        body: Body,
        site_credits: Sequence[_Credit],
        weak_credits: Sequence[_Credit],
        excluded: set[str],
    ) -> tuple[_Credit | None, list[str]]:
        """The strongest publisher credit of one article, and its bylined authors."""
        header = _Header()
        blocks, marked = _header_blocks(page, draft, self.header_window)
        for block in blocks:
            _read_header_line(block, header, allow_brands=marked)
        paragraphs = body.spans
        lead = [p for p in paragraphs if p[1] - p[0] >= 120][:1]
        wire, body_authors = _body_credit(
            body, [*paragraphs[:1], *(p for p in lead if p not in paragraphs[:1])]
        )
        agencies = [c for c in header.credits if c.outlet and c.outlet.kind == "agency"]
        bylined = [c for c in header.credits if c.bylined and c not in agencies]
        outlets = [c for c in header.credits if c not in agencies and c not in bylined]
        page_level = [*site_credits, *outlets] if draft.is_main else [*outlets, *site_credits]
        ranked = [*([wire] if wire else []), *agencies, *bylined, *page_level]
        ranked += [c for c in weak_credits if c.outlet is not None]
        ranked += [*header.brands, *(c for c in weak_credits if c.outlet is None)]
        usable = [
            c
            for c in ranked
            if c.key not in excluded and (c.outlet is None or c.outlet.kind != "aggregator")
        ]
        authors = header.authors or body_authors
        return (usable[0] if usable else None), authors

    @staticmethod
    def _aggregator(
        page: Page, known: Sequence[_Credit], brands: Sequence[_Credit]
    ) -> _Credit | None:
        """The site reposting the page's articles: a known aggregator, or an unknown brand of
        the page's prompts when the page carries articles of two or more other publishers."""
        for credit in (*[b for b in brands if b.outlet is not None], *known):
            if credit.outlet is not None and credit.outlet.kind == "aggregator":
                return credit
        publishers = {name_key(d.source.normalized) for d in page.articles if d.source}
        for brand in brands:
            if brand.outlet is None and brand.key not in publishers and len(publishers) >= 2:
                return brand
        return None
