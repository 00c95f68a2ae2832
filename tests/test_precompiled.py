"""Data compiled at build time (``ppncheck/data/compiled/``): each shipped TOML data file's
parsed and validated copy is current, is what loading the file gives, and is used only while
the file and its schema are byte for byte what it was made from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ppncheck import precompiled
from ppncheck.resources import DataFileError, load_toml_validated, read_toml_validated

SHIPPED = precompiled.shipped_toml_files()


def test_every_shipped_data_file_is_compiled() -> None:
    names = {p.name for p, _ in SHIPPED}
    assert {"rules.toml", "victim_blaming.toml", "people.toml", "aware_headings.toml"} <= names
    assert names == {p.name for p in precompiled.DATA_DIR.glob("*.toml")}


@pytest.mark.parametrize("path,schema_name", SHIPPED, ids=lambda x: getattr(x, "name", x))
def test_the_compiled_copy_is_current_and_equal_to_parsing(path: Path, schema_name: str) -> None:
    copy = precompiled.parsed_toml(path, schema_name)
    assert copy is not None, f"{path.name} or its schema changed: run {precompiled.REGENERATE}"
    assert copy == read_toml_validated(path, schema_name)
    assert load_toml_validated(path, schema_name) == copy


def test_a_stale_copy_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy whose key no longer matches (the file was edited) is ignored: the file is
    parsed and validated, so an invalid edit still fails loudly."""
    data_dir = tmp_path / "data"
    shutil.copytree(precompiled.DATA_DIR, data_dir)
    monkeypatch.setattr(precompiled, "DATA_DIR", data_dir)
    monkeypatch.setattr(precompiled, "COMPILED_DIR", data_dir / "compiled")
    rules = data_dir / "rules.toml"
    assert load_toml_validated(rules, "rules") == read_toml_validated(rules, "rules")
    rules.write_text(rules.read_text(encoding="utf-8") + "\nunknown_setting = 1\n")
    assert precompiled.parsed_toml(rules, "rules") is None
    with pytest.raises(DataFileError) as err:
        load_toml_validated(rules, "rules")
    assert "unknown_setting" in str(err.value)


def test_a_force_file_is_always_read_as_it_is(tmp_path: Path) -> None:
    """A force's file (outside the package's data folder) is always read as it is, even when
    it is a copy of a shipped one."""
    (path, schema_name) = SHIPPED[0]
    own = tmp_path / path.name
    own.write_bytes(path.read_bytes())
    assert precompiled.toml_key(own, schema_name) is None
    assert load_toml_validated(own, schema_name) == read_toml_validated(path, schema_name)


def test_the_compiled_files_are_plain_json() -> None:
    for path in sorted(precompiled.COMPILED_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["format"] == precompiled.FORMAT and len(document["key"]) == 64
