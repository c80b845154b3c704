"""`counterparty import` and `counterparty export` run as a user runs them: a real process on
a real database file; exit codes 0 (all rows good), 1 (some failed), 2 (usage)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import run
from tests.imports.helpers import csv_bytes


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    from tests.cli.test_cli import environment as make  # the same clean environment

    env: dict[str, str] = make.__wrapped__(tmp_path)  # type: ignore[attr-defined]
    assert run(env, "db", "upgrade").returncode == 0
    assert run(env, "tenants", "create", "acme").returncode == 0
    return env


def test_import_reports_rows_and_a_rerun_changes_nothing(
    environment: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(csv_bytes("external_ref;name;email", "R1;Acme;", "R2;;x@y.example"))
    report = tmp_path / "report.csv"
    first = run(
        environment, "import", str(source), "--tenant", "acme", "--match-on", "external_ref",
        "--report", str(report),
    )  # fmt: skip
    assert first.returncode == 1, first.stderr  # a row failed
    assert "row 3: name: required" in first.stderr
    rows = list(csv.DictReader(io.StringIO(report.read_text())))
    assert [(r["row"], r["action"], r["column"], r["code"]) for r in rows] == [
        ("2", "created", "", ""),
        ("3", "failed", "name", "required"),
    ]
    source.write_bytes(csv_bytes("external_ref;name", "R1;Acme"))
    second = run(environment, "import", str(source), "--tenant", "acme", "--match-on",
                 "external_ref", "--report", str(tmp_path / "again.jsonl"))  # fmt: skip
    assert second.returncode == 0, second.stderr
    lines = [orjson.loads(line) for line in (tmp_path / "again.jsonl").read_text().splitlines()]
    assert [(line["row"], line["action"]) for line in lines] == [(2, "unchanged")]


def test_dry_run_mapping_and_export(environment: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "firmalar.csv"
    source.write_bytes(csv_bytes("Firma,Kod", "Acme,K1", "Beta,K2"))
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Firma": "name", "Kod": "external_ref"}')
    dry = run(environment, "import", str(source), "--tenant", "acme", "--map", str(mapping),
              "--dry-run")  # fmt: skip
    assert dry.returncode == 0 and "dry run" in dry.stderr
    exported = run(environment, "export", "--tenant", "acme", "--format", "jsonl")
    assert exported.returncode == 0 and exported.stdout == ""
    real = run(environment, "import", str(source), "--tenant", "acme", "--map", str(mapping))
    assert real.returncode == 0
    exported = run(environment, "export", "--tenant", "acme", "--format", "csv")
    assert exported.stdout.splitlines()[1].startswith("company,Acme,")
    assert len(exported.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--match-on", "colour"], "Invalid value for '--match-on'"),
        (["--encoding", "ebcdic"], "encoding 'ebcdic' is not supported"),
        (["--delimiter", "x"], "delimiter is one of"),
    ],
)
def test_usage_errors_exit_2(
    environment: dict[str, str], tmp_path: Path, arguments: list[str], message: str
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(csv_bytes("name", "Acme"))
    result = run(environment, "import", str(source), "--tenant", "acme", *arguments)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr
    unknown = tmp_path / "unknown.csv"
    unknown.write_bytes(csv_bytes("name,colour", "Acme,blue"))
    refused = run(environment, "import", str(unknown), "--tenant", "acme")
    assert refused.returncode == 2 and "'colour' names no contact field" in refused.stderr
    exported = run(environment, "export", "--tenant", "acme", "--format", "jsonl")
    assert exported.stdout == ""
