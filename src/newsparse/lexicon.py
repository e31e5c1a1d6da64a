"""Loads the word lists and cue phrases kept as data in ``newsparse/data/``.

Stages read their lists once, at import, into module constants: data, not code, so a list can
grow (or gain a language) without touching a rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any


def load_data(name: str) -> Any:
    """The parsed JSON file ``newsparse/data/<name>``."""
    text = resources.files("newsparse").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def phrase_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (ties in a fixed order) so the
    longer phrase wins; a space in a phrase matches any run of whitespace."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in unique)
