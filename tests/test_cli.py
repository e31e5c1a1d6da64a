"""The command line: one page as JSON, many as JSON lines, stdin, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsparse.cli import main

SEED = Path(__file__).resolve().parent.parent / "examples" / "data" / "aggregator-page.txt"


def test_single_page_prints_an_article(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["parse", str(SEED), "--scraped-at", "2025-06-21T18:00Z"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["scraped_at"].startswith("2025-06-21T18:00")
    assert article["body"] and isinstance(article["related"], list)


def test_jsonl_reports_each_page(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["parse", str(SEED), str(empty), "--jsonl"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [str(SEED), str(empty)]
    assert "article" in lines[0] and lines[1]["error"]["type"] == "EmptyInputError"


def test_stdin_through_the_installed_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsparse.cli", "parse", "-", "--scraped-at", "2025-06-21T18:00Z"],
        input="A short headline\n\nA paragraph long enough to be a body of an article.\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert "A paragraph long enough" in json.loads(done.stdout)["body"]


def test_bad_usage_exits_2(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["parse", str(SEED), "--scraped-at", "not a date"])
    assert exit_info.value.code == 2
    assert "scraped_at" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["parse", str(SEED), str(SEED), "--url", "https://example.com/a"])
