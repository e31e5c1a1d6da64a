"""The pipeline: named stages run in order over a :class:`~newsparse.document.Page`.

A stage is any callable ``stage(page) -> page`` with a ``name``. It may declare what it
``requires`` and ``assigns`` (short strings such as ``"blocks"`` or ``"articles"``) so that the
pipeline can check its own order, and a ``pipe(pages)`` method to process many pages at once
(the entity stage batches spaCy this way). Only this module knows the default order.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Protocol, runtime_checkable

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from newsparse.assemble import build_article
from newsparse.document import Page
from newsparse.errors import InputError, PipelineError
from newsparse.models import Article

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


@runtime_checkable
class Stage(Protocol):
    """What the pipeline needs of a stage: a name and a call that annotates a page."""

    name: str

    def __call__(self, page: Page) -> Page: ...


class _FunctionStage:
    """Wraps a plain ``page -> page`` function as a named stage."""

    def __init__(
        self,
        func: Callable[[Page], Page],
        name: str,
        requires: tuple[str, ...],
        assigns: tuple[str, ...],
    ) -> None:
        self.func = func
        self.name = name
        self.requires = requires
        self.assigns = assigns

    def __call__(self, page: Page) -> Page:
        return self.func(page)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle a module-level ``@stage`` by reference: its function's name now means this
        wrapper, so pickling the function itself would fail (worker processes need this)."""
        module, qualname = self.func.__module__, self.func.__qualname__
        try:
            found = _module_attribute(module, qualname)
        except (ImportError, AttributeError):
            found = None
        if found is self:
            return (_module_attribute, (module, qualname))
        return (_FunctionStage, (self.func, self.name, self.requires, self.assigns))

    def __repr__(self) -> str:
        return f"stage({self.name!r})"


def _module_attribute(module: str, qualname: str) -> Any:
    """The object called ``qualname`` in ``module`` (how a decorated stage is unpickled)."""
    return functools.reduce(getattr, qualname.split("."), importlib.import_module(module))


def stage(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[Callable[[Page], Page]], _FunctionStage]:
    """Decorator turning a ``page -> page`` function into a named pipeline stage.

    Example:
        >>> @stage("shout", requires=["articles"])
        ... def shout(page):
        ...     for draft in page.articles:
        ...         draft.title = (draft.title or "").upper()
        ...     return page
    """

    def wrap(func: Callable[[Page], Page]) -> _FunctionStage:
        return _FunctionStage(func, name, tuple(requires), tuple(assigns))

    return wrap


def _requires(s: Stage) -> tuple[str, ...]:
    return tuple(getattr(s, "requires", ()))


def _assigns(s: Stage) -> tuple[str, ...]:
    return tuple(getattr(s, "assigns", ()))


class Pipeline:
    """An ordered list of named stages; call it on raw input to get an Article.

    Example:
        >>> pipeline = default_pipeline()
        >>> pipeline.names
        ('read', 'normalize', 'segment', 'boilerplate', 'timestamps', 'sources', 'entities')
    """

    def __init__(self, stages: Iterable[Stage] = ()) -> None:
        self._stages: list[Stage] = []
        for s in stages:
            self.add(s)

    @property
    def names(self) -> tuple[str, ...]:
        """Stage names in run order."""
        return tuple(s.name for s in self._stages)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages in run order."""
        return tuple(self._stages)

    def get(self, name: str) -> Stage:
        """The stage called ``name``."""
        return self._stages[self._index(name)]

    def _index(self, name: str) -> int:
        for i, s in enumerate(self._stages):
            if s.name == name:
                return i
        raise PipelineError(f"no stage named {name!r}; stages are {list(self.names)}")

    def add(
        self,
        new: Stage,
        *,
        before: str | None = None,
        after: str | None = None,
        first: bool = False,
        last: bool = False,
    ) -> Pipeline:
        """Insert a stage at one position (default: last). Returns the pipeline for chaining."""
        if not isinstance(new, Stage) or not isinstance(getattr(new, "name", None), str):
            raise PipelineError(f"{new!r} is not a stage: it needs a str `name` and a __call__")
        if new.name in self.names:
            raise PipelineError(f"a stage named {new.name!r} is already in the pipeline")
        if sum((before is not None, after is not None, first, last)) > 1:
            raise PipelineError("give at most one of before=, after=, first=, last=")
        if before is not None:
            position = self._index(before)
        elif after is not None:
            position = self._index(after) + 1
        elif first:
            position = 0
        else:
            position = len(self._stages)
        self._stages.insert(position, new)
        return self

    def replace(self, name: str, new: Stage) -> Pipeline:
        """Put ``new`` where the stage ``name`` was."""
        position = self._index(name)
        if new.name != name and new.name in self.names:
            raise PipelineError(f"a stage named {new.name!r} is already in the pipeline")
        self._stages[position] = new
        return self

    def remove(self, name: str) -> Stage:
        """Take the stage ``name`` out and return it."""
        return self._stages.pop(self._index(name))

    def check(self) -> None:
        """Raise :class:`PipelineError` if a stage requires what no earlier stage assigns."""
        assigned: set[str] = set()
        for s in self._stages:
            missing = [r for r in _requires(s) if r not in assigned]
            if missing:
                raise PipelineError(
                    f"stage {s.name!r} requires {missing}, which no earlier stage assigns "
                    f"(order: {list(self.names)})"
                )
            assigned.update(_assigns(s))

    def analyze(self) -> list[dict[str, Any]]:
        """One row per stage: its name, what it requires and what it assigns."""
        return [
            {"name": s.name, "requires": _requires(s), "assigns": _assigns(s)} for s in self._stages
        ]

    def new_page(
        self,
        raw: str | bytes,
        *,
        scraped_at: datetime | str | None = None,
        url: str | None = None,
        format: str | None = None,
    ) -> Page:
        """The working page for ``raw`` before any stage ran (relative times anchor on
        ``scraped_at``, or on the current UTC time when it is unknown)."""
        if format not in (None, "text", "html"):
            raise PipelineError(f"format must be 'text' or 'html', not {format!r}")
        scraped_at = to_datetime(scraped_at)
        return Page(
            raw_input=raw,
            url=url,
            scraped_at=scraped_at,
            reference=scraped_at or datetime.now(timezone.utc),
            format="html" if format == "html" else "text" if format == "text" else None,
        )

    def run(self, page: Page) -> Page:
        """Run every stage on one page, in order."""
        self.check()
        for s in self._stages:
            page = s(page)
        return page

    def __call__(
        self,
        raw: str | bytes,
        *,
        scraped_at: datetime | str | None = None,
        url: str | None = None,
        format: str | None = None,
    ) -> Article:
        """Parse one page into its main Article (related articles in ``.related``)."""
        page = self.new_page(raw, scraped_at=scraped_at, url=url, format=format)
        return build_article(self.run(page))

    def pipe(
        self, pages: Iterable[Page], batch_size: int = 8
    ) -> Iterator[tuple[Page, Exception | None]]:
        """Run every stage over many pages, ``batch_size`` at a time, keeping order.

        Yields each page with ``None``, or with the exception that stopped it: a failing page
        skips its remaining stages and the others go on. A stage with a ``pipe`` method gets
        the batch at once (the entity stage batches spaCy this way); if the batch call fails,
        its pages are retried one by one so the failure is pinned on the page that caused it.
        """
        self.check()
        iterator = iter(pages)
        while batch := list(islice(iterator, batch_size)):
            errors: list[Exception | None] = [None] * len(batch)
            for s in self._stages:
                live = [i for i, e in enumerate(errors) if e is None]
                batch_pipe = getattr(s, "pipe", None)
                if callable(batch_pipe) and len(live) > 1:
                    try:
                        done = list(batch_pipe([batch[i] for i in live]))
                    except Exception:
                        done = []
                    if len(done) == len(live):
                        for i, page in zip(live, done, strict=True):
                            batch[i] = page
                        continue
                for i in live:
                    try:
                        batch[i] = s(batch[i])
                    except Exception as error:
                        errors[i] = error
            yield from zip(batch, errors, strict=True)

    def __repr__(self) -> str:
        return f"Pipeline({list(self.names)})"


def default_pipeline(*, model: str | None = None) -> Pipeline:
    """The standard pipeline: read, normalize, segment, boilerplate, timestamps, sources, entities.

    Args:
        model: spaCy model name for the entity stage (default: the installed English model).
    """
    from newsparse.boilerplate import BoilerplateStage
    from newsparse.entities import EntityStage
    from newsparse.normalize import NormalizeStage
    from newsparse.readers import ReadStage
    from newsparse.segment import SegmentStage
    from newsparse.sources import SourceStage
    from newsparse.timestamps import TimestampStage

    return Pipeline(
        [
            ReadStage(),
            NormalizeStage(),
            SegmentStage(),
            BoilerplateStage(),
            TimestampStage(),
            SourceStage(),
            EntityStage(model=model),
        ]
    )


def reset_caches() -> None:
    """Empty every per-process cache newsparse keeps: the loaded spaCy models and the bounded
    memos of pure lookups (dateparser readings, name keys, tag hints). Parsing after it gives
    the same Articles, only the first pages are slower while they refill."""
    from newsparse import entities, normalize, readers, sources, textshape, timestamps

    for module in (readers, normalize, textshape, timestamps, sources, entities):
        module.reset_caches()
