"""Run configuration: which rules run, at which severity, and their tunable thresholds.

Read from ``[tool.ppncheck]`` in a ``pyproject.toml`` or from a ``ppncheck.toml`` (found by
walking up from the input) or from ``--config FILE``.  Every problem in a config file is
reported at once, in one ``ConfigError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ppncheck.findings import Severity
from ppncheck.resources import toml_parser


class ConfigError(ValueError):
    """A config file or option is invalid; ``problems`` lists every one found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Config:
    """Everything a check may be told; the defaults are the documented behaviour."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_level: Severity = Severity.ERROR
    min_level: Severity = Severity.INFO
    late_submission_hours: float = 24.0
    vb_threshold: float | None = None
    # a victim-blaming model folder of the force's own (``ppncheck train vb --extra``)
    vb_model: Path | None = None
    extra_lexicons: tuple[Path, ...] = ()
    extra_aware_headings: tuple[Path, ...] = ()
    extra_placeholders: tuple[Path, ...] = ()
    templated_min_words: int = 12
    templated_min_notes: int = 5

    def is_selected(self, rule_id: str) -> bool:
        """A rule runs when the longest matching prefix in select beats the one in ignore."""
        sel = _longest_prefix(rule_id, self.select)
        ign = _longest_prefix(rule_id, self.ignore)
        if sel < 0:
            return False
        return sel > ign

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        best: tuple[int, Severity] | None = None
        for prefix, sev in self.severity.items():
            if _matches(rule_id, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), sev)
        return best[1] if best else default

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with CLI options applied; ``None`` values leave a setting alone."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def cache_key(self) -> tuple[Any, ...]:
        """What the text pipeline depends on, so one pipeline serves equal configs."""
        return (
            self.extra_lexicons,
            self.extra_aware_headings,
            self.extra_placeholders,
            self.vb_threshold,
            self.vb_model,
        )


def _matches(rule_id: str, prefix: str) -> bool:
    return prefix == "ALL" or rule_id.upper().startswith(prefix.upper())


def _longest_prefix(rule_id: str, prefixes: tuple[str, ...]) -> int:
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if _matches(rule_id, p)]
    return max(lengths) if lengths else -1


_LIST_KEYS = {"select", "ignore"}
# Bounds on the tunable numbers: NaN and infinity (which TOML can write) slipped through a plain
# "> 0" check and turned TIM001 off; a shingle of a billion words hung TPL002.
MAX_LATE_HOURS = 8_760  # a year
_WHOLE_RANGES = {
    "templated_min_words": (2, 1_000),  # words in a shared passage (TPL002's shingle is half)
    "templated_min_notes": (2, 65_535),  # TPL002 counts notes in 16 bits
}
_PATH_KEYS = {"extra_lexicons", "extra_aware_headings", "extra_placeholders"}
_KNOWN = {f.name for f in fields(Config)}


def config_from_mapping(data: dict[str, Any], *, source: str, base_dir: Path) -> Config:
    """Validate a ``[tool.ppncheck]`` table; collect every problem before raising."""
    from ppncheck.catalogue import catalogue

    problems: list[str] = []
    values: dict[str, Any] = {}
    known_ids = catalogue().ids()
    for key, raw in data.items():
        key_n = key.replace("-", "_")
        if key_n not in _KNOWN:
            problems.append(f"unknown setting {key!r}")
            continue
        if key_n in _LIST_KEYS:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                problems.append(f"{key} must be a list of rule ids or prefixes")
                continue
            bad = [x for x in raw if not _is_known_prefix(x, known_ids)]
            if bad:
                problems.append(f"{key}: no rule matches {', '.join(map(repr, bad))}")
                continue
            values[key_n] = tuple(x.upper() for x in raw)
        elif key_n in _PATH_KEYS:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                problems.append(f"{key} must be a list of file paths")
                continue
            paths = tuple((base_dir / x).resolve() for x in raw)
            missing = [str(p) for p in paths if not p.is_file()]
            if missing:
                problems.append(f"{key}: file not found: {', '.join(missing)}")
                continue
            values[key_n] = paths
        elif key_n == "severity":
            if not isinstance(raw, dict):
                problems.append("severity must be a table of rule id = level")
                continue
            sev: dict[str, Severity] = {}
            for rid, level in raw.items():
                if not _is_known_prefix(rid, known_ids):
                    problems.append(f"severity: no rule matches {rid!r}")
                elif not isinstance(level, str) or level.lower() not in {
                    "info",
                    "warning",
                    "error",
                }:
                    problems.append(f"severity.{rid} must be info, warning or error")
                else:
                    sev[rid.upper()] = Severity.parse(level)
            values[key_n] = sev
        elif key_n in {"fail_level", "min_level"}:
            if not isinstance(raw, str) or raw.lower() not in {"info", "warning", "error"}:
                problems.append(f"{key} must be info, warning or error")
            else:
                values[key_n] = Severity.parse(raw)
        elif key_n == "late_submission_hours":
            if not _number_in(raw, 0, MAX_LATE_HOURS) or raw == 0:
                problems.append(
                    f"{key} must be a number of hours above 0 and at most {MAX_LATE_HOURS:,}"
                )
            else:
                values[key_n] = float(raw)
        elif key_n == "vb_threshold":
            if not _number_in(raw, 0, 1) or raw in (0, 1):
                problems.append(f"{key} must be a probability between 0 and 1")
            else:
                values[key_n] = float(raw)
        elif key_n == "vb_model":
            folder = (base_dir / raw).resolve() if isinstance(raw, str) else None
            if folder is None or not (folder / "manifest.json").is_file():
                problems.append(
                    f"{key} must be a model folder (with manifest.json) written by "
                    "ppncheck train vb"
                )
            else:
                values[key_n] = folder
        elif key_n in _WHOLE_RANGES:
            low, high = _WHOLE_RANGES[key_n]
            if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
                problems.append(f"{key} must be a whole number from {low} to {high:,}")
            else:
                values[key_n] = raw
    if problems:
        raise ConfigError(source, problems)
    return Config(**values)


def _number_in(raw: Any, low: float, high: float) -> bool:
    """A real, finite number (not true/false) within [low, high]."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return False
    return math.isfinite(raw) and low <= raw <= high


def _is_known_prefix(prefix: str, known_ids: list[str]) -> bool:
    return prefix.upper() == "ALL" or any(r.startswith(prefix.upper()) for r in known_ids)


def load_config_file(path: Path) -> Config:
    """Load ``ppncheck.toml`` (top-level keys) or a ``pyproject.toml`` ``[tool.ppncheck]``."""
    tomllib = toml_parser()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"not valid TOML ({exc})"]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(str(path), [f"cannot be read ({reason})"]) from None
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        raw = tool.get("ppncheck", {}) if isinstance(tool, dict) else {}
    elif "ppncheck" in raw and len(raw) == 1 and isinstance(raw["ppncheck"], dict):
        raw = raw["ppncheck"]
    elif (
        list(raw) == ["tool"]
        and isinstance(tool := raw["tool"], dict)
        and list(tool) == ["ppncheck"]
    ):
        raw = tool["ppncheck"]  # a [tool.ppncheck] table pasted from a pyproject.toml
    if not isinstance(raw, dict):
        raise ConfigError(str(path), ["[tool.ppncheck] must be a table of settings"])
    return config_from_mapping(raw, source=str(path), base_dir=path.parent)


def discover_config(start: Path) -> Path | None:
    """The nearest ``ppncheck.toml`` (or ``pyproject.toml`` with ``[tool.ppncheck]``) above.

    Raises ConfigError for a ``pyproject.toml`` on the way that cannot be read as TOML.
    """
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "ppncheck.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            # a broken pyproject.toml may hold this run's settings: say so, as ruff does,
            # rather than run with the defaults unannounced
            tomllib = toml_parser()
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(
                    str(pyproject), [f"not valid TOML ({exc}); fix it or pass --config FILE"]
                ) from None
            except OSError as exc:
                raise ConfigError(
                    str(pyproject), [f"cannot be read ({exc.strerror or type(exc).__name__})"]
                ) from None
            tool = data.get("tool")
            if isinstance(tool, dict) and "ppncheck" in tool:
                return pyproject
    return None
