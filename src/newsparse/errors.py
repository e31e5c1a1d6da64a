"""Errors newsparse raises. Every one derives from :class:`NewsparseError` and pickles.

Tree::

    NewsparseError
    ├── InputError              the input cannot yield any Article
    │   ├── EmptyInputError     nothing but whitespace / no text at all
    │   ├── BinaryInputError    bytes that are not text in any encoding
    │   └── InputTooLargeError  larger than the configured limit
    ├── PipelineError           stages are misconfigured (order, names, requirements)
    ├── ModelNotFoundError      no spaCy model is installed
    └── ParseTimeoutError       a page ran over ``parse_many``'s ``time_limit``

Messages start with a stable code (``[E001]``) that can be searched for in the docs.
"""

from __future__ import annotations


class NewsparseError(Exception):
    """Base class of every error newsparse raises."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message

    def __reduce__(self) -> tuple[type[NewsparseError], tuple[str]]:
        return (type(self), (self.message,))


class InputError(NewsparseError):
    """The input cannot yield any Article."""

    code = "E001"


class EmptyInputError(InputError):
    """The input holds no text."""

    code = "E002"


class BinaryInputError(InputError):
    """The input is binary data, not text in any encoding."""

    code = "E003"


class InputTooLargeError(InputError):
    """The input is larger than the reader's configured limit."""

    code = "E004"


class PipelineError(NewsparseError):
    """The pipeline is misconfigured: unknown stage, bad position, unmet requirement."""

    code = "E010"


class ModelNotFoundError(NewsparseError):
    """No spaCy model is installed for the entity stage."""

    code = "E020"


class ParseTimeoutError(NewsparseError):
    """A page took longer than ``parse_many(..., time_limit=...)`` allows; it was stopped."""

    code = "E030"
