"""The examples run as a user runs them, and print what they claim to print.

Each script runs in a subprocess with this interpreter; the notebook runs in a kernel started
with this interpreter too (never whatever ``python`` is first on PATH).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

import newsparse
from newsparse import models

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "data" / "aggregator-page.txt"
SCRAPED_AT = datetime.fromisoformat("2025-06-21T18:00:00+00:00")  # as in the examples
TIMEOUT = 600

Output = tuple[dict[str, str], dict[str, list[str]]]
"""A script's output: top-level ``label: value`` lines, and the indented lines under each."""


def _run(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )


def _sections(stdout: str) -> Output:
    """Top-level ``label: value`` lines, and the indented lines under each label."""
    values: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    label = ""
    for line in stdout.splitlines():
        if line.startswith("  "):
            items.setdefault(label, []).append(line.strip())
            continue
        key, _, value = line.partition(":")
        label = re.sub(r" \(\d+\)$", "", key)
        values[label] = value.strip()
        count = re.search(r"\((\d+)\)$", key)
        if count:
            values[f"{label}#"] = count.group(1)
        items.setdefault(label, [])
    return values, items


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- examples/quickstart.py -------------------------------------------------------------------


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Output:
    # Run from an unrelated directory: the script must find its data by itself.
    done = _run("quickstart.py", tmp_path_factory.mktemp("cwd"))
    assert done.returncode == 0, done.stderr
    return _sections(done.stdout)


def test_quickstart_prints_every_section(quickstart: Output) -> None:
    values, items = quickstart
    for label in ("title", "publisher", "aggregator", "published", "first paragraph", "words"):
        assert label in values, f"no {label!r} line"
    for label in ("entities", "citations", "related", "removed"):
        assert f"{label}#" in values, f"no {label!r} count line"
    assert len(items["related"]) == int(values["related#"])
    assert len(items["citations"]) == int(values["citations#"])
    assert len(items["entities"]) == min(10, int(values["entities#"]))
    by_reason = [int(line.rpartition(":")[2]) for line in items["removed"]]
    assert sum(by_reason) == int(values["removed#"])
    assert int(values["words"]) > 0


def test_quickstart_title_and_related(quickstart: Output) -> None:
    values, items = quickstart
    raw = _collapse(SEED.read_text(encoding="utf-8"))
    assert values["title"], "the main article has no title"
    assert _collapse(values["title"]) in raw
    assert values["first paragraph"]
    assert int(values["related#"]) >= 1
    for title in items["related"]:
        assert title.removeprefix("-").strip(), "a related article has no title"


def test_quickstart_reports_removals(quickstart: Output) -> None:
    values, _ = quickstart
    assert int(values["removed#"]) >= 1


def test_quickstart_published_resolves_before_scrape_time(
    quickstart: Output,
) -> None:
    values, _ = quickstart
    assert values["published"], "no publication time"
    value = datetime.fromisoformat(values["published"].split(" ", 1)[0])
    assert SCRAPED_AT - timedelta(days=30) <= value <= SCRAPED_AT
    assert "anchored on scraped_at" in values["published"]


def test_quickstart_publisher(quickstart: Output) -> None:
    values, _ = quickstart
    assert values["publisher"], "no publisher"


def test_quickstart_entities(quickstart: Output) -> None:
    values, items = quickstart
    assert int(values["entities#"]) >= 1
    for line in items["entities"]:
        label, _, rest = line.partition(" ")
        assert label.isupper() and rest.strip(), line


# --- examples/custom_stage.py -----------------------------------------------------------------


def test_custom_stage_runs_after_boilerplate_and_accounts_for_its_removals(tmp_path: Path) -> None:
    done = _run("custom_stage.py", tmp_path)
    assert done.returncode == 0, done.stderr
    values, items = _sections(done.stdout)

    names = [n.strip() for n in values["stages"].split(",")]
    assert names[names.index("boilerplate") + 1] == "drop-short-paragraphs"
    assert set(newsparse.default_pipeline().names) <= set(names)

    dropped = items["dropped by drop-short-paragraphs"]
    assert len(dropped) == int(values["dropped by drop-short-paragraphs"])
    before = int(values["paragraphs without the stage"])
    after = int(values["paragraphs with the stage"])
    assert before - after == len(dropped)
    for line in dropped:
        found = re.match(r"\[(\d+):(\d+)\] short-paragraph \((\d+) words, minimum (\d+)\): ", line)
        assert found, line
        start, end, words, minimum = map(int, found.groups())
        assert start < end
        assert 0 < words < minimum


# --- examples/notebook.ipynb ------------------------------------------------------------------


def test_notebook_is_committed_without_outputs() -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_executes_and_renders_the_article(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    kernelspec = pytest.importorskip("ipykernel.kernelspec")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    # A kernelspec running this very interpreter: the installed one may say plain "python".
    kernelspec.write_kernel_spec(tmp_path / "kernels" / "python3")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")], ensure_native_kernel=False)
    manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)

    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        timeout=TIMEOUT,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    # cleanup_kc: shut the kernel down and close its channels, although we made its manager.
    client.execute(cleanup_kc=True)  # raises CellExecutionError on the first failing cell

    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    html = [out.get("data", {}).get("text/html", "") for out in outputs]
    assert any("<article" in text for text in html), "the Article did not render as HTML"


# --- docs/field-guide.md ----------------------------------------------------------------------


def test_field_guide_has_a_row_per_model_field() -> None:
    guide = (ROOT / "docs" / "field-guide.md").read_text(encoding="utf-8")
    sections = re.split(r"^## `?(\w+)`?\s*$", guide, flags=re.M)
    rows = {
        name: set(re.findall(r"^\|\s*`(\w+)`", text, flags=re.M))
        for name, text in zip(sections[1::2], sections[2::2], strict=True)
    }
    public_models = [
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == models.__name__
        and not value.__name__.startswith("_")
    ]
    assert models.Article in public_models
    for model in public_models:
        fields = set(model.model_fields) | set(model.model_computed_fields)
        missing = fields - rows.get(model.__name__, set())
        assert not missing, f"field-guide.md, section {model.__name__}: no row for {missing}"
