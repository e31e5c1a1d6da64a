"""HTML reader: the DOM as text blocks carrying what the DOM tells, and the page's metadata.

The only module importing selectolax; no selectolax type leaves it. ``Page.raw`` becomes the
page's visible text, one block per line, so block offsets index it as they do for text input.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsparse.document import Block, Page

_HTML_START = re.compile(
    r"\A\s*(?:<!--[^>]{0,2000}-->\s*)?<(?:!doctype\s+html|html|head|body)\b", re.I
)
_TAG = re.compile(r"<(?:p|div|span|a|br|meta|script|table|article)\b", re.I)
_DROP = "script, style, noscript, template, svg, iframe, head"
_BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "figcaption",
        "caption",
        "td",
        "th",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "form",
        "address",
    ]
)
_WHITESPACE = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or is dense with tags."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        key = node.attributes.get("property") or node.attributes.get("name")
        value = node.attributes.get("content")
        if key and value and key.lower() not in found:
            found[key.lower()] = value.strip()
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        found["title"] = title.text(strip=True)
    html = tree.css_first("html")
    if html is not None and html.attributes.get("lang"):
        found["lang"] = str(html.attributes["lang"])
    return found


def _walk_blocks(node: LexborNode, depth: int, out: list[tuple[str, str, int]]) -> None:
    """Collect (tag, text, depth) for block elements whose text is not inside a child block."""
    inline: list[str] = []
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            inline.append(child.text_content or "")
        elif child.tag in _BLOCK_TAGS or child.tag == "br":
            text = _WHITESPACE.sub(" ", "".join(inline)).strip()
            if text:
                out.append((node.tag or "", text, depth))
            inline = []
            if child.tag != "br":
                _walk_blocks(child, depth + 1, out)
        else:
            inline.append(child.text(deep=True, separator="") or "")
    text = _WHITESPACE.sub(" ", "".join(inline)).strip()
    if text:
        out.append((node.tag or "", text, depth))


def read_html(page: Page) -> Page:
    """Parse ``page.raw`` as HTML into line blocks; ``page.raw`` becomes the visible text."""
    tree = LexborHTMLParser(page.raw)
    page.metadata.update(_meta(tree))
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    found: list[tuple[str, str, int]] = []
    if root is not None:
        _walk_blocks(root, 0, found)
    lines: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for tag, text, depth in found:
        blocks.append(
            Block(
                text=text,
                raw_start=offset,
                raw_end=offset + len(text),
                hints={"tag": tag, "depth": depth},
            )
        )
        lines.append(text)
        offset += len(text) + 1
    page.raw = "\n".join(lines)
    page.blocks = blocks
    return page
