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


def test_a_closed_stdout_ends_quietly(tmp_path: Path) -> None:
    """``newsparse parse ... | head``: no "Broken pipe" message, no traceback."""
    page = tmp_path / "page.txt"
    page.write_text("A short headline\n\nA paragraph long enough to be a body of an article.\n")
    command = [sys.executable, "-m", "newsparse.cli", "parse", str(page), "--jsonl"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader went away before the first line, as head can
        stderr = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert "Broken pipe" not in stderr and "Traceback" not in stderr
    assert status == 1


@pytest.mark.slow
def test_time_limit_parses_a_single_page_in_a_worker(capsys) -> None:  # type: ignore[no-untyped-def]
    arguments = ["parse", str(SEED), "--scraped-at", "2025-06-21T18:00Z", "--time-limit", "60"]
    assert main(arguments) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["body"] and isinstance(article["related"], list)


def test_time_limit_must_be_positive(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit:
        main(["parse", str(SEED), "--time-limit", "0"])
    assert exit.value.code == 2
    assert "--time-limit" in capsys.readouterr().err
