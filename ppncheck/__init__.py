"""ppncheck: quality checks for police Public Protection Notices (PPNs).

>>> import ppncheck
>>> report = ppncheck.check(record)          # a dict, or a free-text note as str
>>> report.ok, [f.rule_id for f in report.findings]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ppncheck.api import check, check_items, check_many, extract
from ppncheck.config import Config, ConfigError
from ppncheck.findings import Finding, Report, Severity

try:
    __version__ = version("ppncheck")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+source"

__all__ = [
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
