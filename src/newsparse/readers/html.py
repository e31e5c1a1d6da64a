"""HTML reader: the page's metadata, then its DOM as text blocks carrying what the DOM tells.

The only module importing selectolax (lexbor backend); no selectolax type leaves it.
``Page.raw`` becomes the page's visible text, one block per line, so block offsets index it as
they do for text input and the text-path stages work unchanged. Each block's ``hints`` say what
the markup knew and plain text cannot: the tag, the heading level, the share of link text, the
DOM depth, whether it sits in ``<article>``/``<main>``, and a ``class_hint`` when the element or
an ancestor is named like page furniture (ads, navigation, comments, ...), and
``inline_hints`` for furniture inside a paragraph. That vocabulary is data, in
``newsparse/data/html_hints.json``.

Everything here runs in linear time and without recursion: the DOM is walked with an explicit
stack, and nesting deeper than browsers build is flattened before parsing, because lexbor's
tree construction is quadratic in the depth of nested block elements.
"""

from __future__ import annotations

import html as html_entities
import json
import re
import sys
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import add
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsparse.document import Block, Page
from newsparse.errors import EmptyInputError
from newsparse.lexicon import load_data

__all__ = ["MAX_NESTING", "looks_like_html", "read_html"]

_HTML_START = re.compile(
    r"\A\s*(?:<!--[^>]{0,2000}-->\s*)?<(?:!doctype\s+html|html|head|body)\b", re.I
)
_TAG = re.compile(r"<(?:p|div|span|a|br|meta|script|table|article)\b", re.I)

MAX_NESTING = 512
"""Default deepest element nesting kept; deeper tags are dropped (their text stays). Chromium's
parser stops nesting at the same depth, so no page a browser shows correctly loses anything."""

_VOCABULARY: dict[str, Any] = load_data("html_hints.json")
_BLOCK_TAGS = frozenset(_VOCABULARY["block_tags"])
_SKIP_TAGS = frozenset(_VOCABULARY["skip_tags"])
_UNNESTED_TAGS = frozenset(_VOCABULARY["void_tags"] + _VOCABULARY["optional_end_tags"])
"""Tags that never deepen the tree: void elements, and those whose end tag may be omitted
(``<p>``, ``<li>``, ``<td>``...; the next sibling closes them)."""
_RAW_TEXT_TAGS = frozenset(_VOCABULARY["raw_text_tags"])
_ARTICLE_TYPES = frozenset(_VOCABULARY["article_types"])
_ARTICLE_TAGS = frozenset(_VOCABULARY["article_tags"])
_ARTICLE_ROLES = frozenset(_VOCABULARY["article_roles"])
_ARTICLE_ITEMPROPS = frozenset(_VOCABULARY["article_itemprops"])
_TAG_HINTS: dict[str, str] = _VOCABULARY["tags"]
_ROLE_HINTS: dict[str, str] = _VOCABULARY["roles"]
_PAGE_LEVEL_HINTS = frozenset(_VOCABULARY["page_level_hints"])
"""Hints that describe the page's own header or footer, not an article's (HTML gives a
``<header>`` inside ``<article>`` to the article, so there they are not furniture)."""
_NEUTRAL_WORDS = frozenset(_VOCABULARY["neutral_words"])
"""Words of class names that describe a state, a layout, a taxonomy or an embed, not what the
element is (``has-sidebar``, ``l-sidebar``, ``category-advertising``): such names are ignored."""
_ARTICLE_WORDS = frozenset(_VOCABULARY["article_words"])
"""Words naming an article's own parts: an ``article-header`` is no page header."""
_HINT_PRIORITY: dict[str, int] = {name: rank for rank, name in enumerate(_VOCABULARY["hints"])}


def _squash(word: str) -> str:
    """A vocabulary entry or class-name part, lower-case without separators."""
    return re.sub(r"[^a-z0-9]", "", word.lower())


_HINT_OF_TOKEN: dict[str, str] = {
    _squash(token): hint
    for hint, words in reversed(list(_VOCABULARY["hints"].items()))  # the first listed wins
    for token in words["tokens"]
}
_HINT_OF_PREFIX: dict[str, str] = {
    prefix: hint for hint, words in _VOCABULARY["hints"].items() for prefix in words["prefixes"]
}
_HINT_PREFIX = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _HINT_OF_PREFIX), key=len, reverse=True)) + ")"
)
"""A prefix at the start of a word (the longest), in words joined by spaces."""
_TOKEN_STARTS = frozenset(
    token[:end] for token in _HINT_OF_TOKEN for end in range(1, len(token) + 1)
)
"""Every token and every start of one: a word that is none of them is no token, and no first
word of a pair that spells one."""

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
"""One word of an identifier: splits ``relatedStories``, ``ad_slot-2``, ``AdUnit``."""
_HTML_WHITESPACE = " \t\n\r\f"
"""The whitespace HTML collapses (no-break spaces are text, left to normalisation)."""
_WHITESPACE_TO_COLLAPSE = re.compile(r" [ \t\n\r\f]+|[\t\n\r\f][ \t\n\r\f]*")
"""A run of HTML whitespace other than a single space (the runs HTML shows as one space)."""
_INVISIBLE_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_MARKUP = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9:-]*))")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_JSON_WRAPPERS = re.compile(
    r"\A\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*\Z"
)
"""Comment or CDATA markers some sites still wrap their JSON-LD in."""


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or is dense with tags."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


# --- metadata -------------------------------------------------------------------------------


def _clean(value: object) -> str | None:
    """A metadata string: entities decoded, whitespace collapsed; the first of a list."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str)), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str):
        return None
    text = " ".join(html_entities.unescape(value).split())
    return text or None


def _load_json(text: str) -> Any:
    """Parse JSON-LD as found in the wild: comment wrappers, control characters and trailing
    commas are tolerated; anything still invalid gives ``None``."""
    text = _JSON_WRAPPERS.sub("", text)
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _types(item: dict[str, Any]) -> set[str]:
    """The schema.org type names of a JSON-LD node, without vocabulary prefixes."""
    declared = item.get("@type")
    names = declared if isinstance(declared, list) else [declared]
    return {re.split(r"[/:#]", name)[-1] for name in names if isinstance(name, str)}


def _json_ld_nodes(scripts: list[LexborNode]) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page's ``scripts``, outermost first (breadth-first, so an
    article's own node comes before the teasers of an ``ItemList``)."""
    nodes: list[dict[str, Any]] = []
    for script in scripts:
        if (script.attributes.get("type") or "").strip().lower() != "application/ld+json":
            continue
        queue: deque[Any] = deque([_load_json(script.text(deep=True))])
        while queue:
            item = queue.popleft()
            if isinstance(item, dict):
                nodes.append(item)
                queue.extend(v for v in item.values() if isinstance(v, (dict, list)))
            elif isinstance(item, list):
                queue.extend(item)
    return nodes


def _names(value: object, nodes_by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names of a person/organisation field: a string, an object with ``name``, a reference
    to a node of the ``@graph`` by ``@id``, or a list of these."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            item = nodes_by_id.get(item["@id"], item)
        name = _clean(item.get("name") if isinstance(item, dict) else item)
        if name and name not in names:
            names.append(name)
    return names


def _json_ld_metadata(scripts: list[LexborNode]) -> dict[str, str]:
    """Headline, dates, authors and publisher of the page's JSON-LD article, if it has one."""
    nodes = _json_ld_nodes(scripts)
    articles = [node for node in nodes if _types(node) & _ARTICLE_TYPES]
    if not articles:
        return {}
    article = next((node for node in articles if "headline" in node), articles[0])
    nodes_by_id = {
        node["@id"]: node for node in reversed(nodes) if isinstance(node.get("@id"), str)
    }
    found = {
        "headline": _clean(article.get("headline")) or _clean(article.get("name")),
        "datepublished": _clean(article.get("datePublished")),
        "datemodified": _clean(article.get("dateModified")),
        "description": _clean(article.get("description")),
        "author": "; ".join(_names(article.get("author"), nodes_by_id)) or None,
        "publisher": next(iter(_names(article.get("publisher"), nodes_by_id)), None),
    }
    return {key: value for key, value in found.items() if value}


def _document_metadata(
    tree: LexborHTMLParser, canonicals: list[LexborNode], times: list[LexborNode]
) -> dict[str, str]:
    """``<title>``, ``<html lang>``, the canonical URL and the main content's ``<time>``
    (``canonicals``: the page's canonical links, ``times``: its ``<time datetime>``s)."""
    found: dict[str, str] = {}
    title = tree.css_first("head title") or tree.css_first("title")
    if title is not None and (text := _clean(title.text(deep=True))):
        found["title"] = text
    root = tree.css_first("html")
    if root is not None and (lang := _clean(root.attributes.get("lang"))):
        found["lang"] = lang
    if canonicals and (href := _clean(canonicals[0].attributes.get("href"))):
        found["canonical"] = href
    if not times:  # (then no scope below holds one: each would be a search of the whole tree)
        return found
    for time in chain(
        (tree.css_first(f"{scope}time[datetime]") for scope in _MAIN_CONTENT_SCOPES), times[:1]
    ):
        if time is not None and (value := _clean(time.attributes.get("datetime"))):
            found["time"] = value
            break
    return found


def _meta_tags(metas: list[LexborNode]) -> dict[str, str]:
    """``<meta>`` contents by ``property``, ``name`` or ``itemprop``, lower-cased; first wins."""
    found: dict[str, str] = {}
    for node in metas:
        attributes = node.attributes
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        value = _clean(attributes.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


_METADATA_ELEMENTS = "script, meta[content], link[rel~=canonical][href], time[datetime]"
"""The elements metadata is read from, in document order (the tag tells them apart)."""
_MAIN_CONTENT_SCOPES = ("article ", "main ", "[itemprop=articleBody] ")
"""Where the main content's ``<time>`` is looked for first, in this order."""


def _metadata(tree: LexborHTMLParser) -> dict[str, str]:
    """The page's metadata, most explicit source first: JSON-LD, then the document's own
    elements, then ``<meta>`` tags (a key already found is not overwritten)."""
    elements: dict[str, list[LexborNode]] = {"script": [], "meta": [], "link": [], "time": []}
    for node in tree.css(_METADATA_ELEMENTS):  # one search of the tree for all of them
        elements.setdefault(node.tag or "", []).append(node)
    found: dict[str, str] = {}
    for source in (
        _json_ld_metadata(elements["script"]),
        _document_metadata(tree, elements["link"], elements["time"]),
        _meta_tags(elements["meta"]),
    ):
        for key, value in source.items():
            found.setdefault(key, value)
    return found


# --- nesting --------------------------------------------------------------------------------


def _ascii_caseless(word: str) -> str:
    """A regex matching ``word`` in any ASCII letter case (and only in ASCII letters)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_NAME_END = r"(?![A-Za-z0-9:-])"
_RAW_TEXT_INITIALS = "".join(
    sorted({c for name in _RAW_TEXT_TAGS for c in (name[0], name[0].upper())})
)


def _any_caseless(names: Iterable[str]) -> str:
    """A regex matching any of ``names`` in any ASCII letter case, its branches grouped by
    initial (the regex engine then tries one branch per initial, not one per name)."""
    by_initial: dict[str, list[str]] = {}
    for name in sorted(names):
        by_initial.setdefault(name[0], []).append(_ascii_caseless(name[1:]))
    return "(?:{})".format(
        "|".join(
            f"{_ascii_caseless(initial)}(?:{'|'.join(rests)})"
            for initial, rests in by_initial.items()
        )
    )


_NESTING_START = rf"(?!{_any_caseless(_UNNESTED_TAGS)}{_NAME_END})[A-Za-z]"
"""The first letter of the name of an element that can hold others (whose tags count)."""
_NESTING_SCAN = re.compile(
    "<(?:"
    r"!--(?s:.*?)-->"  # a comment: skipped
    r"|!--(?s:.*)"  # a comment never closed: the rest is skipped
    + f"|(?=[{_RAW_TEXT_INITIALS}])(?:"  # (the names below are only tried after their initial)
    + "|".join(  # a raw-text element, up to its end tag: skipped
        rf"{_ascii_caseless(name)}{_NAME_END}[^<]*(?:<(?!(?i:/{name}))[^<]*)*(?i:</{name})"
        for name in sorted(_RAW_TEXT_TAGS)
    )
    + r"|(?:{}){}(?s:.*)".format(  # a raw-text element never closed: the rest is skipped
        "|".join(_ascii_caseless(name) for name in sorted(_RAW_TEXT_TAGS)), _NAME_END
    )
    + f")|(/(?={_NESTING_START})|{_NESTING_START})"  # "/" for an end tag, a letter for a start
    + ")"
)
"""The tokens of :func:`_cap_nesting`'s depth count, in one scan: ``/`` for an end tag, the
first letter of a start tag, and an empty string for what is skipped (comments, raw-text
elements, and the tags of elements that cannot nest are not matched at all)."""


def reset_caches() -> None:
    """Empty the reader's bounded memos of what tags and class names say (pure lookups)."""
    _nests.cache_clear()
    _hint_of_name.cache_clear()
    _ELEMENTS.clear()
    _ELEMENT_KINDS.clear()


@lru_cache(maxsize=4096)
def _nests(name: str) -> bool:
    """True when an element called ``name`` (any case) can hold others: its tags count."""
    return name.lower() not in _UNNESTED_TAGS


def _cap_nesting(markup: str, limit: int = MAX_NESTING) -> str:
    """``markup`` without the start and end tags nested deeper than ``limit`` (text is kept).

    The depth is estimated from the tags alone, in one pass: elements that cannot nest
    (void elements, or those a sibling closes) are not counted, and comments and raw-text
    elements (``<script>``, ``<style>``...) are skipped. Most pages are returned unchanged:
    one scan checks that none is that deep before the tags are taken apart.
    """
    if markup.count("<") <= limit:
        return markup
    depth = 0
    for token in _NESTING_SCAN.findall(markup):
        if token == "/":
            if depth:
                depth -= 1
        elif token:
            if depth >= limit:
                return _drop_deep_tags(markup, limit)
            depth += 1
    return markup


def _drop_deep_tags(markup: str, limit: int) -> str:
    """:func:`_cap_nesting` for markup nested deeper than ``limit``: the tags are dropped."""
    dropped: list[tuple[int, int]] = []
    depth = excess = position = 0
    while (found := _MARKUP.search(markup, position)) is not None:
        if found.group(1):
            close = markup.find("-->", found.end())
            if close < 0:
                break
            position = close + 3
            continue
        closing, name = found.group(2) == "/", found.group(3).lower()
        position = found.end()
        if not closing and name in _RAW_TEXT_TAGS:
            end_tag = re.compile(f"</{name}", re.I).search(markup, position)
            if end_tag is None:
                break
            position = end_tag.end()
            continue
        if not _nests(name):
            continue
        if closing and not excess:
            depth = max(depth - 1, 0)
            continue
        if not closing and depth < limit:
            depth += 1
            continue
        excess += -1 if closing else 1
        tag_end = markup.find(">", position)
        position = len(markup) if tag_end < 0 else tag_end + 1
        dropped.append((found.start(), position))
    if not dropped:
        return markup
    pieces: list[str] = []
    kept_from = 0
    for start, end in dropped:
        pieces.append(markup[kept_from:start])
        kept_from = end
    pieces.append(markup[kept_from:])
    return "".join(pieces)


# --- blocks ---------------------------------------------------------------------------------


def _hint_rank(hint: str | None) -> int:
    """Sort key of a hint: the vocabulary lists the most specific hints first."""
    return _HINT_PRIORITY[hint] if hint is not None else len(_HINT_PRIORITY)


def _strongest(hints: Iterable[str | None]) -> str | None:
    """The most specific of ``hints`` (``None`` stands for no hint; most sets have none)."""
    found = set(hints)
    found.discard(None)
    if len(found) > 1:
        return min(found, key=_hint_rank)
    return found.pop() if found else None


def _spaced_words(name: str) -> str:
    """The words of ``name``, lower-case, separated by spaces: ``relatedStories-2`` gives
    "related stories 2" (the words are ASCII)."""
    if name.isascii() and name.islower():  # most names: then, when only letters, - and _ ...
        spaced = name.replace("-", " ").replace("_", " ")
        if spaced.replace(" ", "").isalpha():  # ... the words are what these separate
            return spaced
    return " ".join(_WORD.findall(name)).lower()


@lru_cache(maxsize=8192)
def _hint_of_name(name: str) -> str | None:
    """The furniture hint a class, id, role or label names, by the vocabulary's priority."""
    spaced = _spaced_words(name)
    words = spaced.split()
    hints: set[str | None] = set(map(_HINT_OF_PREFIX.__getitem__, _HINT_PREFIX.findall(spaced)))
    if not _TOKEN_STARTS.isdisjoint(words):  # a word is a token, or may start a pair spelling one
        hints.update(map(_HINT_OF_TOKEN.get, words))
        hints.update(map(_HINT_OF_TOKEN.get, map(add, words, words[1:])))
        hints.discard(None)
    if not hints or not _NEUTRAL_WORDS.isdisjoint(words):
        return None
    if not _ARTICLE_WORDS.isdisjoint(words):
        hints -= _PAGE_LEVEL_HINTS
    return _strongest(hints)


_PRE_TAGS = frozenset(("pre", "listing", "plaintext", "xmp"))
"""Elements whose content keeps its line breaks."""


@dataclass(frozen=True, slots=True)
class _Element:
    """What an element's tag and attributes say, wherever it sits."""

    is_article: bool
    hint: str | None
    """The hint of its tag, role and names outside an article."""
    hint_in_article: str | None
    """The same inside an article."""
    is_link: bool
    is_pre: bool
    is_block: bool


def _element(
    tag: str,
    role: str | None,
    itemprop: str | None,
    class_name: str | None,
    element_id: str | None,
    label: str | None,
) -> _Element:
    """An element's :class:`_Element`. An article is content whatever its wrappers are named
    (a main column is often laid out inside a "sidebar" container): its names are not read."""
    roles = role.lower().split() if role else ()
    first_role = roles[0] if roles else ""  # the first role wins
    is_article = (
        tag in _ARTICLE_TAGS
        or first_role in _ARTICLE_ROLES
        or (itemprop is not None and not _ARTICLE_ITEMPROPS.isdisjoint(itemprop.lower().split()))
    )
    names = () if is_article else (class_name, element_id, label, itemprop)
    named = _strongest(map(_hint_of_name, " ".join(filter(None, names)).split()))
    hints = (_TAG_HINTS.get(tag), _ROLE_HINTS.get(first_role), named)
    hint = _strongest(hints)
    if hint in _PAGE_LEVEL_HINTS:  # (HTML gives a <header> inside <article> to the article)
        hint_in_article = _strongest(set(hints) - _PAGE_LEVEL_HINTS)
    else:
        hint_in_article = hint
    kind = (
        is_article,
        hint_in_article if is_article else hint,
        hint_in_article,
        tag == "a",
        tag in _PRE_TAGS,
        tag in _BLOCK_TAGS,
    )
    element = _ELEMENT_KINDS.get(kind)
    if element is None:  # (a few dozen kinds, made once)
        element = _ELEMENT_KINDS[kind] = _Element(*kind)
    return element


_ELEMENT_KINDS: dict[tuple[bool, str | None, str | None, bool, bool, bool], _Element] = {}
"""Each distinct :class:`_Element` once, by its fields: the cache below shares them."""


_ELEMENTS: dict[tuple[str | None, ...], _Element] = {}
""":func:`_element` by its arguments, across pages (sites repeat the same few tags and class
lists on thousands of elements)."""
_ELEMENTS_SIZE = 8192


@dataclass(slots=True)
class _Frame:
    """What an open element passes down to its content."""

    node: LexborNode
    tag: str
    depth: int
    in_article: bool
    hint: str | None
    in_link: bool = False
    in_pre: bool = False
    owner: _Frame | None = None
    """The nearest block element (itself, for a block): the one text is attributed to."""


@dataclass
class _Collector:
    """Accumulates the text of the current block and emits it as (text, hints) pairs."""

    found: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    """Text nodes of the current block."""
    text_hints: list[str | None] = field(default_factory=list)
    """The hint of each text node's nearest element."""
    chars: int = 0
    link_chars: int = 0

    def enter(self, node: LexborNode, tag: str, parent: _Frame) -> _Frame | None:
        """The frame of an element, or ``None`` when its content is not rendered."""
        attributes = node.attributes
        if attributes:  # most elements have no attributes: nothing more to read then
            if "hidden" in attributes:
                return None
            style = attributes.get("style")
            if style and _INVISIBLE_STYLE.search(style):
                return None
            key: tuple[str | None, ...] = (
                tag,
                attributes.get("role"),
                attributes.get("itemprop"),
                attributes.get("class"),
                attributes.get("id"),
                attributes.get("aria-label"),
            )
        else:
            key = (tag, None, None, None, None, None)
        element = _ELEMENTS.get(key)
        if element is None:
            if len(_ELEMENTS) >= _ELEMENTS_SIZE:
                _ELEMENTS.clear()
            element = _ELEMENTS[key] = _element(tag, *key[1:])
        in_article = parent.in_article or element.is_article
        hint = element.hint_in_article if in_article else element.hint
        if hint is None and not element.is_article:
            hint = parent.hint
        frame = _Frame(
            node,
            tag,
            parent.depth + 1,
            in_article,
            hint,
            parent.in_link or element.is_link,
            parent.in_pre or element.is_pre,
            parent.owner,
        )
        if element.is_block:
            if self.texts:
                self.flush(parent.owner)
            frame.owner = frame
        return frame

    def text(self, text: str, frame: _Frame) -> None:
        """Add a text node's content to the current block."""
        if not self.texts and not text.strip(_HTML_WHITESPACE):
            return  # whitespace a block starts with shows nothing, even in <pre>
        self.texts.append(text)
        self.text_hints.append(frame.hint)
        # Text with no whitespace but the space (the common case) is counted fast.
        visible = len(text) - text.count(" ") if text.isprintable() else len("".join(text.split()))
        self.chars += visible
        if frame.in_link:
            self.link_chars += visible

    def flush(self, owner: _Frame | None) -> None:
        """Emit the text gathered so far as one block (one per line inside ``<pre>``)."""
        if owner is None or not self.texts:
            return
        if not self.chars:  # only whitespace: nothing shows (the split below would drop it)
            self._clear()
            return
        hinted = set(self.text_hints)
        if len(hinted) > 1:  # the hints of the texts that show
            hinted = {
                hint for text, hint in zip(self.texts, self.text_hints, strict=True) if text.strip()
            }
        block_hint = owner.hint or (next(iter(hinted)) if len(hinted) == 1 else None)
        hints: dict[str, object] = {
            "tag": owner.tag,
            "link_density": self.link_chars / self.chars if self.chars else 0.0,
            "depth": owner.depth,
            "class_hint": block_hint,
            "in_article": owner.in_article,
        }
        if owner.tag in _HEADINGS:
            hints["heading"] = _HEADINGS[owner.tag]
        if owner.in_pre:
            for line in "".join(self.texts).split("\n"):
                if line.strip():  # a spacer line of no-break spaces shows nothing
                    self.found.append((line.strip(" \t\r\f"), {**hints}))
        else:
            if hinted.issubset((None, block_hint)):  # no inline element hinted otherwise
                text = _collapse_whitespace("".join(self.texts)).strip(" ")
                spans: list[tuple[int, int, str]] = []
            else:
                text, spans = self._collapse(block_hint)
            if text.strip():  # a spacer paragraph of no-break spaces shows nothing
                if spans:
                    hints["inline_hints"] = spans
                self.found.append((text, hints))
        self._clear()

    def _clear(self) -> None:
        """Start the next block."""
        self.texts.clear()
        self.text_hints.clear()
        self.chars = self.link_chars = 0

    def _collapse(self, block_hint: str | None) -> tuple[str, list[tuple[int, int, str]]]:
        """The block's text with HTML's whitespace collapsing, and the ``(start, end, hint)``
        spans of it whose elements carry another hint than the block (an inline ad)."""
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        length = 0
        after_space = True
        for text, hint in zip(self.texts, self.text_hints, strict=True):
            collapsed = _collapse_whitespace(text)
            if after_space and collapsed.startswith(" "):
                collapsed = collapsed[1:]
            if not collapsed:
                continue
            start, length = length, length + len(collapsed)
            parts.append(collapsed)
            after_space = collapsed.endswith(" ")
            if hint is None or hint == block_hint or collapsed.isspace():
                continue
            if spans and spans[-1][2] == hint and spans[-1][1] >= start - 1:
                start = spans.pop()[0]
            spans.append((start, length, hint))
        text = "".join(parts).rstrip(" ")
        trimmed = []
        for start, end, hint in spans:
            end = min(end, len(text))
            while end > start and text[end - 1] == " ":
                end -= 1
            if end > start:
                trimmed.append((start, end, hint))
        return text, trimmed


_NOT_RENDERED = _SKIP_TAGS | {"-comment", "-doctype", "-document"}
"""What the walk does not enter: skipped elements, and the nodes that are not elements (by
selectolax's names for them; any other kind has no tag)."""


def _collapse_whitespace(text: str) -> str:
    """``text`` with each run of HTML whitespace as one space."""
    if text.isprintable() and "  " not in text:  # (most text: no whitespace but single spaces)
        return text
    return _WHITESPACE_TO_COLLAPSE.sub(" ", text)


def _collect_blocks(
    root: LexborNode, limit: int | None = None
) -> list[tuple[str, dict[str, object]]]:
    """The text blocks under ``root`` in document order, walked with an explicit stack; the
    walk stops once it has more than ``limit`` blocks."""
    collector = _Collector()
    frame = _Frame(node=root, tag=root.tag or "", depth=1, in_article=False, hint=None)
    frame.owner = frame
    stack = [frame]
    node = root.first_child
    found = collector.found
    most = sys.maxsize if limit is None else limit
    while node is not None and len(found) <= most:
        if (tag := node.tag) == "-text":  # (selectolax's name for a text node)
            collector.text(node.text_content or "", frame)
        elif tag is not None and tag not in _NOT_RENDERED:
            if tag == "br":
                collector.flush(frame.owner)
            elif (child := node.first_child) is not None or tag in _BLOCK_TAGS:
                # (an empty element that starts no block changes nothing)
                entered = collector.enter(node, tag, frame)
                if entered is not None and child is not None:
                    stack.append(entered)
                    frame = entered
                    node = child
                    continue
        while (following := node.next) is None and len(stack) > 1:
            closed = stack.pop()
            if closed.owner is closed and collector.texts:
                collector.flush(closed)
            node = closed.node
            frame = stack[-1]
        node = following
    collector.flush(frame.owner)
    return collector.found


def read_html(
    page: Page,
    max_nesting: int = MAX_NESTING,
    utf8: bytes | None = None,
    max_blocks: int | None = None,
) -> Page:
    """Read ``page.raw`` as HTML: metadata into ``page.metadata``, DOM text into blocks.

    Start and end tags nested deeper than ``max_nesting`` elements are dropped before
    parsing (their text stays): lexbor's tree construction is quadratic in the depth.

    ``page.raw`` becomes the visible text, one block per line; each block's ``hints`` hold
    ``tag``, ``heading`` (1-6, headings only), ``link_density``, ``depth``, ``class_hint``,
    ``in_article``, ``position`` (block index / number of blocks) and, when an inline element
    carries another hint than its block, ``inline_hints``: ``(start, end, hint)`` spans of the
    block's text (an ad or a subscription prompt inside a paragraph).

    ``utf8`` is ``page.raw`` encoded as the parser encodes text (UTF-8, ``errors="ignore"``),
    for a caller that has it already: the parser then reads it instead of encoding again.

    Only the first ``max_blocks`` blocks are read (all when None): the walk stops there, and a
    warning says the rest of the page was not read.

    Raises:
        EmptyInputError: the HTML shows no text at all.

    Example:
        >>> page = read_html(Page(raw_input="", raw="<h1>Title</h1><p>Body.</p>"))
        >>> [block.text for block in page.blocks]
        ['Title', 'Body.']
    """
    markup = _cap_nesting(page.raw, max_nesting)
    tree = LexborHTMLParser(utf8 if utf8 is not None and markup is page.raw else markup)
    page.metadata.update(_metadata(tree))
    root = tree.body or tree.root
    found = _collect_blocks(root, max_blocks) if root is not None else []
    if not found:
        raise EmptyInputError("the HTML holds no visible text")
    if max_blocks is not None and len(found) > max_blocks:
        del found[max_blocks:]
        page.warnings.append(
            f"the page has more than {max_blocks:,} blocks: the HTML after them was not read "
            "(ReadStage(max_blocks=...))"
        )
    blocks: list[Block] = []
    start = 0
    for index, (text, hints) in enumerate(found):
        hints["position"] = index / len(found)
        end = start + len(text)
        blocks.append(Block(text, start, end, hints=hints))
        start = end + 1
    page.raw = "\n".join([block.text for block in blocks])
    page.blocks = blocks
    return page
