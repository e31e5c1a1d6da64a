"""newsparse: raw news pages (scraped text or HTML) to typed, enriched Article objects.

    >>> import newsparse
    >>> article = newsparse.parse(raw_text, scraped_at="2025-06-21T18:00:00Z")
    >>> article.title, article.source, article.published, article.body, article.related

The pipeline (read -> normalize -> segment -> boilerplate -> timestamps -> sources -> entities)
is ``newsparse.default_pipeline()``; stages can be added, replaced and removed.
"""

from newsparse.api import parse
from newsparse.batch import parse_many, process_partition
from newsparse.document import ArticleDraft, Block, Page
from newsparse.entities import extract_entities
from newsparse.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    ModelNotFoundError,
    NewsparseError,
    ParseTimeoutError,
    PipelineError,
)
from newsparse.models import (
    Article,
    Citation,
    Entity,
    Mention,
    Paragraph,
    ParseError,
    ParseResult,
    Quote,
    Removal,
    Source,
    TextSpan,
    TimeExpression,
    Timestamp,
)
from newsparse.pipeline import Pipeline, Stage, default_pipeline, reset_caches, stage
from newsparse.records import to_dataframe, to_records
from newsparse.sources import extract_citations, extract_quotes
from newsparse.timestamps import extract_times

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleDraft",
    "BinaryInputError",
    "Block",
    "Citation",
    "EmptyInputError",
    "Entity",
    "InputError",
    "InputTooLargeError",
    "Mention",
    "ModelNotFoundError",
    "NewsparseError",
    "Page",
    "Paragraph",
    "ParseError",
    "ParseResult",
    "ParseTimeoutError",
    "Pipeline",
    "PipelineError",
    "Quote",
    "Removal",
    "Source",
    "Stage",
    "TextSpan",
    "TimeExpression",
    "Timestamp",
    "__version__",
    "default_pipeline",
    "extract_citations",
    "extract_entities",
    "extract_quotes",
    "extract_times",
    "parse",
    "parse_many",
    "process_partition",
    "reset_caches",
    "stage",
    "to_dataframe",
    "to_records",
]
