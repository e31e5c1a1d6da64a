"""Typed results of newsparse: frozen pydantic v2 models whose JSON Schema is the contract.

This module imports nothing else of the package. Offsets are Python string indices
(code points), half-open ``[start, end)``, into the text the field names.
"""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field, model_validator

Granularity = Literal["second", "minute", "hour", "day", "week", "month", "year"]
"""How precisely a time expression pins down a moment."""

SourceRole = Literal["publisher", "aggregator", "cited"]
"""What a source is to the article: who wrote it, who reposted it, or whom it cites."""

SourceKind = Literal["agency", "outlet", "government", "organisation", "person", "other"]
"""What kind of body a source is (the definitions of ANNOTATION-sources.md)."""

Anchor = Literal["scraped_at", "now", "published"]
"""What a relative time was resolved against."""

TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
"""The TIMEX3 type of a time expression: a date, a time of day, a duration or a frequency."""

TimeGranularity = Literal[
    "century",
    "decade",
    "year",
    "half",
    "quarter",
    "season",
    "month",
    "week",
    "weekend",
    "day",
    "part_of_day",
    "hour",
    "minute",
    "second",
]
"""The unit a time expression is precise to (a duration's unit, for durations)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _FrozenWithComputed(_Frozen):
    """A model with computed fields, which accepts its own JSON back.

    Only these models carry the validator: building the many plain ones (a ``Removal`` per
    dropped line) stays a bare field check.
    """

    @model_validator(mode="before")
    @classmethod
    def _drop_computed_fields(cls, data: Any) -> Any:
        """Computed fields are output only, so ignore them on input."""
        if isinstance(data, dict):
            computed = cls.__pydantic_computed_fields__
            return {k: v for k, v in data.items() if k not in computed}
        return data


class TextSpan(_Frozen):
    """A piece of text and where it sits in the text its owner names."""

    text: str = Field(description="The characters of the span, exactly as they appear.")
    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=0, description="Offset just past the last character.")


class Timestamp(_Frozen):
    """A point in time found on the page, with the window its wording really allows."""

    text: str = Field(description='The expression as printed, e.g. "a day ago".')
    value: AwareDatetime = Field(description="Best single estimate, timezone-aware.")
    earliest: AwareDatetime = Field(description="Earliest moment the text allows.")
    latest: AwareDatetime = Field(description="Latest moment the text allows.")
    granularity: Granularity = Field(description="Unit of the expression's precision.")
    relative: bool = Field(description='True for expressions like "2 hours ago" or "yesterday".')
    anchor: Anchor = Field(
        description='What a relative expression was resolved against; "now" means no scrape '
        "time was given and the current UTC time was used."
    )
    reference: AwareDatetime = Field(description="The anchor's moment.")
    language: str | None = Field(default=None, description="Language the text was parsed in.")


class TimeExpression(_Frozen):
    """A temporal expression of the body ("on Saturday", "last January", "three days"), with its
    TIMEX3 value and, for points in time, the window of moments it names."""

    start: int = Field(ge=0, description="Offset of the expression in Article.body.")
    end: int = Field(ge=0, description="Offset just past the expression in Article.body.")
    text: str = Field(description='The expression as written, e.g. "last January".')
    value: str | None = Field(
        description='TIMEX3 value: "2025-06-15", "2025-06", "2024-FA", "2025-W25", "2025-Q3", '
        '"PRESENT_REF", "P3D" (a duration), "XXXX-06-15" (no year known); None when the '
        "expression needs an anchor and none is known."
    )
    type: TimeType = Field(description="TIMEX3 type: DATE, TIME, DURATION or SET.")
    granularity: TimeGranularity | None = Field(
        default=None,
        description="The unit the value is precise to; a duration's unit; None for frequencies "
        "and for PRESENT_REF/PAST_REF/FUTURE_REF.",
    )
    earliest: AwareDatetime | None = Field(
        default=None,
        description="Earliest moment the expression allows, when it is a point or a stretch "
        "of time that could be placed; None otherwise (and open-ended for PAST_REF).",
    )
    latest: AwareDatetime | None = Field(
        default=None,
        description="Latest moment the expression allows; None as for earliest (and "
        "open-ended for FUTURE_REF).",
    )
    anchor: Anchor | None = Field(
        default=None,
        description='What the value was resolved against ("published" for body expressions); '
        "None when it depends on no anchor (absolute dates, durations, frequencies) or none "
        "was known.",
    )


class Source(_Frozen):
    """A publisher, aggregator or cited source, with the text it was recognised from."""

    name: str = Field(description="The name as printed on the page.")
    normalized: str = Field(description="Canonical form: the fullest proper name known.")
    role: SourceRole = Field(description="Publisher, aggregator, or cited by the article.")
    kind: SourceKind = Field(description="Agency, outlet, government body, organisation, ...")
    evidence: TextSpan | None = Field(
        default=None,
        description="Where the name was found: offsets into the article body for cited "
        'sources (for a source cited through a pronoun or a role noun, "he" or "the '
        'ministry", that word), into the raw input for publishers and aggregators.',
    )


class Mention(_Frozen):
    """One occurrence of an entity in the article body."""

    text: str = Field(description="The mention as written.")
    start: int = Field(ge=0, description="Offset into Article.body.")
    end: int = Field(ge=0, description="Offset just past the mention in Article.body.")


class Entity(_FrozenWithComputed):
    """A named entity of the article: all mentions of one referent folded together."""

    text: str = Field(description="The most frequent surface form.")
    label: str = Field(description="NER label (PERSON, ORG, GPE, ...), by majority of mentions.")
    canonical: str = Field(description='Fullest form of the name ("Kim" -> "Kim Jong Un").')
    mentions: tuple[Mention, ...] = Field(description="Every mention, in body order.")
    salience: float = Field(
        ge=0.0, le=1.0, description="Rank score from frequency, position, title."
    )

    @computed_field(description="Number of mentions.")  # type: ignore[prop-decorator]
    @property
    def count(self) -> int:
        return len(self.mentions)


class Citation(_Frozen):
    """The article citing a source: who, by which cue, and what they said or reported."""

    source: Source = Field(description="Who is cited (role 'cited').")
    cue: str = Field(description='The reporting cue, lower-cased: "according to", "said", ...')
    cue_span: TextSpan = Field(description="The cue as it appears, offsets into Article.body.")
    quote: TextSpan | None = Field(
        default=None, description="The quoted or reported text, when the sentence has one."
    )
    start: int = Field(ge=0, description="Start of the citing sentence in Article.body.")
    end: int = Field(ge=0, description="End of the citing sentence in Article.body.")


class Quote(_Frozen):
    """A direct quotation of the body, and whose words it reproduces."""

    start: int = Field(ge=0, description="Offset of the opening quotation mark in Article.body.")
    end: int = Field(
        ge=0,
        description="Offset just past the closing mark in Article.body (the paragraph's end "
        "when the quotation continues in the next paragraph).",
    )
    text: str = Field(description="The quotation, marks included: Article.body[start:end].")
    speaker: str | None = Field(
        default=None,
        description="Canonical name (as in citations) of the person or body whose words these "
        'are, "he"/"the ministry"/a continued quotation resolved to the named speaker; None '
        "when the text does not name one or the speaker is unnamed.",
    )
    speaker_span: TextSpan | None = Field(
        default=None,
        description='The words that attribute the quotation ("Jane Roe", "he", "the '
        'statement"), offsets into Article.body; None when the speaker is inherited from the '
        "quotation before or unknown.",
    )
    cue: TextSpan | None = Field(
        default=None,
        description='The attributing verb ("said", "added", "saying"), offsets into '
        "Article.body; None when there is none.",
    )


class Paragraph(_Frozen):
    """One paragraph of the body."""

    text: str = Field(description="The paragraph's text.")
    start: int = Field(ge=0, description="Offset into Article.body.")
    end: int = Field(ge=0, description="Offset just past the paragraph in Article.body.")


class Removal(_Frozen):
    """A piece of input text that newsparse dropped, and why."""

    text: str = Field(description="The dropped text (normalised).")
    start: int = Field(ge=0, description="Offset into the decoded raw input.")
    end: int = Field(ge=0, description="Offset just past it in the decoded raw input.")
    reason: str = Field(description='Machine-readable reason, e.g. "ad-run", "call-to-action".')
    stage: str = Field(description="Name of the pipeline stage that dropped it.")
    detail: str | None = Field(default=None, description="Evidence for the decision.")


class Article(_FrozenWithComputed):
    """One news article found on a page, clean and enriched."""

    title: str | None = Field(default=None, description="Headline, or None when none was found.")
    source: Source | None = Field(default=None, description="The publisher that wrote it.")
    aggregator: Source | None = Field(
        default=None, description="The site that reposted it, when the page is an aggregator."
    )
    authors: tuple[str, ...] = Field(default=(), description="Bylined authors.")
    published: Timestamp | None = Field(default=None, description="Publication time.")
    body: str = Field(description="Clean text; paragraphs separated by one blank line.")
    paragraphs: tuple[Paragraph, ...] = Field(default=(), description="Paragraphs of the body.")
    entities: tuple[Entity, ...] = Field(default=(), description="Entities, most salient first.")
    citations: tuple[Citation, ...] = Field(default=(), description="Sources the body cites.")
    quotes: tuple[Quote, ...] = Field(
        default=(), description="Direct quotations of the body, in body order, with speakers."
    )
    times: tuple[TimeExpression, ...] = Field(
        default=(),
        description="Every time expression of the body, in body order, resolved against the "
        "publication time.",
    )
    related: tuple[Article, ...] = Field(
        default=(), description="The other articles found on the same page."
    )
    removed: tuple[Removal, ...] = Field(
        default=(),
        description="Every piece of input dropped for this article (for the main article: "
        "also everything on the page that belongs to no article).",
    )
    language: str | None = Field(default=None, description="ISO 639-1 code of the body's language.")
    url: str | None = Field(default=None, description="The page URL, when given.")
    scraped_at: AwareDatetime | None = Field(default=None, description="When the page was fetched.")
    warnings: tuple[str, ...] = Field(
        default=(), description="Best-effort notes: what newsparse could not do and why."
    )

    @computed_field(description="Number of words in the body.")  # type: ignore[prop-decorator]
    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def _repr_html_(self) -> str:
        """Render in Jupyter: title, source, time, body with entities highlighted, removals."""
        esc = html.escape
        marks: list[tuple[int, int, str]] = sorted(
            (m.start, m.end, e.label) for e in self.entities for m in e.mentions
        )
        pieces: list[str] = []
        cursor = 0
        for start, end, label in marks:
            if start < cursor:
                continue
            pieces.append(esc(self.body[cursor:start]))
            pieces.append(
                f'<mark title="{esc(label)}">{esc(self.body[start:end])}'
                f"<sub>{esc(label)}</sub></mark>"
            )
            cursor = end
        pieces.append(esc(self.body[cursor:]))
        body_html = "".join(pieces).replace("\n\n", "</p><p>")
        meta = " · ".join(
            part
            for part in (
                self.source.normalized if self.source else None,
                f"{self.published.text} ({self.published.value.isoformat()})"
                if self.published
                else None,
                f"{self.word_count} words",
            )
            if part
        )
        removed = "".join(
            f"<li><code>{esc(r.reason)}</code> ({esc(r.stage)}): {esc(r.text[:120])}</li>"
            for r in self.removed
        )
        related = "".join(f"<li>{esc(a.title or '(untitled)')}</li>" for a in self.related)
        return (
            f"<article><h3>{esc(self.title or '(untitled)')}</h3><p><em>{meta}</em></p>"
            f"<p>{body_html}</p>"
            + (
                f"<details><summary>Related ({len(self.related)})</summary><ul>{related}</ul>"
                "</details>"
                if self.related
                else ""
            )
            + (
                f"<details><summary>Removed ({len(self.removed)})</summary><ul>{removed}</ul>"
                "</details>"
                if self.removed
                else ""
            )
            + "</article>"
        )


class ParseError(_Frozen):
    """Why one page of a batch produced no Article."""

    type: str = Field(description="Exception class name, e.g. EmptyInputError.")
    message: str = Field(description="The error message.")

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"


class ParseResult(_FrozenWithComputed):
    """One page's outcome in a batch: its id and either an Article or the error."""

    id: str = Field(description="The page's id (its index when none was given).")
    article: Article | None = Field(default=None, description="The result, when parsing worked.")
    error: ParseError | None = Field(default=None, description="The failure, when it did not.")

    @computed_field(description="True when an Article was produced.")  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.article is not None
