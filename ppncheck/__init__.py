"""ppncheck: quality checks for police Public Protection Notices (PPNs).

>>> import ppncheck
>>> report = ppncheck.check(record)          # a dict, or a free-text note as str
>>> report.ok, [f.rule_id for f in report.findings]

Importing the package is cheap: each public name is imported on first use, and spaCy, numpy
and the text pipeline only when the first text is checked.  ``ppncheck --help`` and a web
worker's start-up should not pay a second for a pipeline they may never use.
"""

import typing as _typing
from importlib import import_module as _import_module

from ppncheck._version import __version__

if _typing.TYPE_CHECKING:
    from ppncheck.api import check, check_items, check_many, extract
    from ppncheck.baseline import Baseline
    from ppncheck.config import Config, ConfigError
    from ppncheck.findings import Finding, Report, Severity

__all__ = [
    "Baseline",
    "Config",
    "ConfigError",
    "Finding",
    "Report",
    "Severity",
    "__version__",
    "check",
    "check_items",
    "check_many",
    "extract",
]

# public name -> the module that defines it
_LAZY = {
    "Baseline": "ppncheck.baseline",
    "check": "ppncheck.api",
    "check_items": "ppncheck.api",
    "check_many": "ppncheck.api",
    "extract": "ppncheck.api",
    "Config": "ppncheck.config",
    "ConfigError": "ppncheck.config",
    "Finding": "ppncheck.findings",
    "Report": "ppncheck.findings",
    "Severity": "ppncheck.findings",
}


def __getattr__(name: str) -> _typing.Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'ppncheck' has no attribute {name!r}")
    value = getattr(_import_module(_LAZY[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
