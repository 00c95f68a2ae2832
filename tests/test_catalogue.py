"""One catalogue drives the CLI, the messages and the README: keep them in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ppncheck.catalogue import catalogue
from ppncheck.config import Config, ConfigError, config_from_mapping
from ppncheck.findings import Severity
from ppncheck.resources import DataFileError, validate_data

README = Path(__file__).resolve().parent.parent / "README.md"
# The fixed ids of shared/record-format.md §3: renaming one breaks users' code.
CONTRACT_IDS = {f"PPN00{i}" for i in range(4)} | {f"ETH00{i}" for i in range(1, 4)}
CONTRACT_IDS |= {f"AWR00{i}" for i in range(1, 9)}
CONTRACT_IDS |= {"VB001", "RSK001", "TIM001", "TPL001", "TPL002", "CHD001"}


def test_catalogue_has_every_contract_rule_with_docs() -> None:
    cat = catalogue()
    assert set(cat.ids()) >= CONTRACT_IDS
    for rule in cat.rules:
        assert rule.why and rule.example and rule.fix and rule.summary


def test_readme_rule_table_matches_catalogue() -> None:
    rows = re.findall(
        r"^\| `([A-Z]{2,3}\d{3})` \| ([a-z0-9-]+) \| (\w+) \| (.+?) \|$",
        README.read_text(encoding="utf-8"),
        re.M,
    )
    assert rows, "README has no rule table"
    table = {rid: (name, sev, summary) for rid, name, sev, summary in rows}
    expected = {r.id: (r.name, r.severity.value, r.summary) for r in catalogue().rules}
    assert table == expected


def test_unknown_key_in_catalogue_is_an_error() -> None:
    with pytest.raises(DataFileError) as info:
        validate_data({"rule": [{"id": "ETH001", "colour": "red"}]}, "rules", source="test")
    assert "colour" in str(info.value)


def test_config_reports_every_problem_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(
            {
                "select": ["XYZ"],
                "fail-level": "loud",
                "late_submission_hours": 0,
                "extra_lexicons": ["nope.toml"],
            },
            source="ppncheck.toml",
            base_dir=tmp_path,
        )
    assert len(info.value.problems) == 4


def test_config_values() -> None:
    cfg = config_from_mapping(
        {"ignore": ["tpl"], "severity": {"TIM001": "error"}, "fail_level": "warning"},
        source="x",
        base_dir=Path("."),
    )
    assert cfg.ignore == ("TPL",) and not cfg.is_selected("TPL002") and cfg.is_selected("TIM001")
    assert cfg.severity_for("TIM001", Severity.WARNING) is Severity.ERROR
    assert cfg.fail_level is Severity.WARNING


def test_more_specific_select_beats_ignore() -> None:
    cfg = Config(select=("ALL", "ETH002"), ignore=("ETH",))
    assert cfg.is_selected("ETH002") and not cfg.is_selected("ETH001")


def test_finding_respects_selection() -> None:
    cat = catalogue()
    assert cat.finding("TIM001", Config(ignore=("TIM",)), hours="30", limit="24") is None
    f = cat.finding("TIM001", Config(), hours="30", limit="24")
    assert f is not None and "30 hours" in f.message


# -- issue 18: config values are bounded -----------------------------------------------------


def test_config_rejects_nan_infinity_and_absurd_sizes(tmp_path: Path) -> None:
    toml = tmp_path / "ppncheck.toml"
    toml.write_text(
        "late_submission_hours = nan\nvb_threshold = inf\n"
        "templated_min_words = 1000000000\ntemplated_min_notes = 70000\n",
        encoding="utf-8",
    )
    from ppncheck.config import load_config_file

    with pytest.raises(ConfigError) as info:
        load_config_file(toml)
    assert info.value.problems == [
        "late_submission_hours must be a number of hours above 0 and at most 8,760",
        "vb_threshold must be a probability between 0 and 1",
        "templated_min_words must be a whole number from 2 to 1,000",
        "templated_min_notes must be a whole number from 2 to 65,535",
    ]
    for value in ("-inf", "1e9", "true", '"24"'):
        toml.write_text(f"late_submission_hours = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config_file(toml)
    toml.write_text("late_submission_hours = 8760\ntemplated_min_words = 1000\n", encoding="utf-8")
    assert load_config_file(toml).late_submission_hours == 8760.0


def test_a_broken_pyproject_on_the_way_up_is_an_error(tmp_path: Path) -> None:
    from ppncheck.config import discover_config, load_config_file

    (tmp_path / "pyproject.toml").write_text("[tool.ppncheck\nignore = 1\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    with pytest.raises(ConfigError) as info:
        discover_config(tmp_path / "data" / "x.json")
    assert info.value.source == str(tmp_path / "pyproject.toml")
    assert info.value.problems[0].startswith("not valid TOML (")
    assert info.value.problems[0].endswith("fix it or pass --config FILE")

    (tmp_path / "pyproject.toml").write_text("[tool]\nppncheck = 3\n", encoding="utf-8")
    found = discover_config(tmp_path / "data" / "x.json")
    assert found == tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError, match="must be a table"):
        load_config_file(found)
    (tmp_path / "pyproject.toml").write_text('tool = "x"\n', encoding="utf-8")
    assert discover_config(tmp_path / "data" / "x.json") != tmp_path / "pyproject.toml"
