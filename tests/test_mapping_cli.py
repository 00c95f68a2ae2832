"""``ppncheck init-mapping``: a starting mapping from a header; exit 2 on unreadable input."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ppncheck.cli import app
from ppncheck.read import parse_mapping, read_path

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "export"


def test_init_mapping_of_the_example_export_reads_every_row(tmp_path: Path) -> None:
    out = tmp_path / "mapping.toml"
    result = CliRunner().invoke(
        app, ["init-mapping", str(EXPORT / "ppn_export_2026-11-20.xlsx"), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    mapping = parse_mapping(out.read_text(encoding="utf-8"))
    items = list(read_path(EXPORT / "ppn_export_2026-11-20.csv", mapping=mapping))
    assert len(items) == 200
    first = items[0].payload
    assert first["ppn_id"] == "PPN-261120-00001"
    assert first["persons"][0]["person_id"] == "child1"
    assert "aware" in first["voice_of_child"][0]
    # an existing file is not overwritten without --force
    again = CliRunner().invoke(
        app, ["init-mapping", str(EXPORT / "ppn_export_2026-11-20.csv"), "--output", str(out)]
    )
    assert again.exit_code == 2


def test_init_mapping_to_stdout() -> None:
    result = CliRunner().invoke(app, ["init-mapping", str(EXPORT / "ppn_export_2026-11-20.csv")])
    assert result.exit_code == 0
    assert 'pattern = "Child {n} {field}"' in result.output


def test_missing_or_unreadable_export_exits_2_with_one_line(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.csv", tmp_path / "notes.docx"):
        if path.suffix == ".docx":
            path.write_bytes(b"PK")
        result = CliRunner().invoke(app, ["init-mapping", str(path)])
        assert result.exit_code == 2
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("ppncheck: ")
        assert "Traceback" not in result.output
