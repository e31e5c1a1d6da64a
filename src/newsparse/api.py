"""``parse``: one raw page in, its main Article (related articles inside) out."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from newsparse.errors import InputError
from newsparse.models import Article
from newsparse.pipeline import Pipeline, default_pipeline

_AWARE = TypeAdapter(AwareDatetime)


def to_datetime(value: datetime | str | None) -> datetime | None:
    """A timezone-aware datetime from a datetime or ISO 8601 string (naive means UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime | str):
        raise InputError(f"scraped_at must be an ISO 8601 string or a datetime, not {value!r}")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as error:
            raise InputError(f"scraped_at {value!r} is not an ISO 8601 date-time") from error
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        return _AWARE.validate_python(value)
    except ValidationError as error:  # pragma: no cover - fromisoformat already checked
        raise InputError(str(error)) from error


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
