"""Where ppncheck's data files and shipped models are, and how they are loaded safely.

Data files are TOML inside ``ppncheck/data`` validated against a JSON Schema in
``ppncheck/data/schemas`` on load, so a force's own file with a misspelt key fails loudly (the
shipped files are read from their copies parsed and validated at build time, ``precompiled``).
Models are ``models/<name>`` in a source tree and ``ppncheck/_models/<name>`` in a wheel.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ppncheck import precompiled

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = precompiled.DATA_DIR


class DataFileError(ValueError):
    """A data file (lexicon, headings, placeholders, rules) is unreadable or invalid."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def data_path(name: str) -> Path:
    return DATA_DIR / name


def model_dir(name: str) -> Path:
    """The shipped model folder: installed copy first, then the source tree's ``models/``."""
    installed = _PACKAGE_DIR / "_models" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "models" / name


@cache
def load_schema(schema_name: str) -> dict[str, Any]:
    path = DATA_DIR / "schemas" / f"{schema_name}.schema.json"
    with path.open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _fast_validator(schema_name: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(load_schema(schema_name), validate_formats=False)


def validate_data(data: Any, schema_name: str, *, source: Path | str) -> None:
    """Raise ``DataFileError`` listing every schema violation in ``data``.

    jsonschema-rs decides (it imports in milliseconds, where jsonschema took about 0.1 s of
    every ``ppncheck rules`` and every first check); only a file it rejects is read again by
    jsonschema, whose messages name each problem the way users have always seen them.
    """
    try:
        if _fast_validator(schema_name).is_valid(data):
            return
    except (ValueError, TypeError):  # a value JSON has no type for (a TOML date): jsonschema says
        pass
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(schema_name))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message}")
    if problems:
        raise DataFileError(source, problems)


def load_toml_validated(path: Path, schema_name: str) -> dict[str, Any]:
    """Read a TOML data file and validate it; every problem is reported at once.

    A shipped data file unchanged since the package was built is read from its parsed and
    validated copy (``ppncheck.precompiled``): the same data, without TOML's pure-Python
    parser on every start-up."""
    shipped = precompiled.parsed_toml(path, schema_name)
    if shipped is not None:
        return shipped
    return read_toml_validated(path, schema_name)


def toml_parser() -> ModuleType:
    """``tomllib`` (``tomli`` before Python 3.11), imported when a TOML file is first parsed:
    a check that reads no config file and only shipped data never needs it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def read_toml_validated(path: Path, schema_name: str) -> dict[str, Any]:
    """``load_toml_validated`` without the parsed copy: always parse and validate ``path``."""
    tomllib = toml_parser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, ["file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, [f"not valid TOML: {exc}"]) from None
    validate_data(data, schema_name, source=path)
    return data
