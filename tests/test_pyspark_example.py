"""examples/pyspark_example.py runs end to end on a local Spark (when pyspark and Java exist)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "pyspark_example.py"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java"),
]

STORY = (
    "{place} approves new bridge\n\nReuters\n\n3 hours ago\n\n"
    "Officials in {place} said on Monday that the new bridge would open next spring, "
    "according to the city council, which approved the budget last week.\n"
)


def test_pyspark_example_parses_a_folder(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    places = ["Lyon", "Porto", "Gdansk"]
    for place in places:
        (pages / f"{place.lower()}.txt").write_text(STORY.format(place=place), encoding="utf-8")
    (pages / "empty.txt").write_bytes(b"")
    out = tmp_path / "results.jsonl"
    options = ["--out", str(out), "--partitions", "2", "--scraped-at", "2025-06-21T18:00:00Z"]
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(pages), *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(results) == sorted([f"{p.lower()}.txt" for p in places] + ["empty.txt"])
    assert results["empty.txt"]["error"]["type"] == "EmptyInputError"
    for place in places:
        result = results[f"{place.lower()}.txt"]
        assert result["ok"] and place in result["article"]["body"]
    assert "1 failed pages" in done.stdout
