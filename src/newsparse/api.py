"""``parse``: one raw page in, its main Article (related articles inside) out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from newsparse.errors import InputError
from newsparse.models import Article
from newsparse.pipeline import Pipeline, default_pipeline, to_datetime


def parse(
    raw: str | bytes,
    *,
    scraped_at: datetime | str | None = None,
    url: str | None = None,
    format: Literal["text", "html"] | None = None,
    pipeline: Pipeline | None = None,
) -> Article:
    """Parse a scraped page (text or HTML, str or bytes) into its main Article.

    Args:
        raw: the page as the scraper saved it.
        scraped_at: when it was fetched (ISO 8601 string or datetime; naive means UTC).
            Relative times ("a day ago") resolve against it; without it, against now (UTC),
            and the Timestamp says so (``anchor="now"``).
        url: the page URL, if known.
        format: "text" or "html"; detected when omitted.
        pipeline: a custom pipeline; the default one otherwise.

    Returns:
        The main Article; the other articles on the page are in its ``related``.

    Raises:
        InputError: the input is not str or bytes, holds no text (EmptyInputError), is binary
            (BinaryInputError) or over the size limit (InputTooLargeError); or ``scraped_at``
            is not a date-time.

    Example:
        >>> article = parse("Title\\n\\nSome body text.", scraped_at="2025-06-21T18:00:00Z")
    """
    if isinstance(raw, bytearray | memoryview):
        raw = bytes(raw)
    if not isinstance(raw, str | bytes):
        raise InputError(f"a page must be str or bytes, not {type(raw).__name__}")
    runner = pipeline if pipeline is not None else default_pipeline()
    return runner(raw, scraped_at=to_datetime(scraped_at), url=url, format=format)
