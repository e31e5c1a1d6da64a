"""Shape of a line of text, shared by the stages that judge lines (segment, boilerplate).

Not a stage: plain functions on strings. Segmentation and boilerplate must agree on what a
paragraph is, or parsing a body again would not return the same body.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")
"""A URL-slug-like token ("app-store", "share_icon"): image names and widget ids, not prose."""
CLOSING = "\"'”’»)]"
"""Characters that may follow a sentence's terminal punctuation."""
SENTENCE_END = ".!?…。！？"


def comparison_key(text: str) -> str:
    """Lower-case words only, so that case, punctuation and spacing do not matter."""
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
    words = words_of(text)
    return (ends_sentence(text) and (words >= 5 or len(text) >= 40)) or (
        words >= 30 or len(text) >= 200
    )
