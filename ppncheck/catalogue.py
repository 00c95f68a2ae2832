"""The rule catalogue: ids, names, severities, documentation and message templates.

Written once in ``data/rules.toml`` and used by the checks (messages), ``ppncheck rules``
(table and pages) and the README's rule table (a test keeps them in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ppncheck.findings import Finding, Severity
from ppncheck.resources import DataFileError, data_path, load_toml_validated
from ppncheck.shape import is_plural_label

if TYPE_CHECKING:
    from ppncheck.config import Config


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    message: str
    why: str
    example: str
    fix: str
    false_positives: str = ""
    messages: dict[str, str] = field(default_factory=dict)

    def template(self, variant: str | None) -> str:
        if variant is None:
            return self.message
        return self.messages[variant]

    def page(self) -> str:
        """The rule's documentation page as Markdown-ish plain text."""
        parts = [
            f"{self.id} ({self.name}) - default severity: {self.severity.value}",
            "",
            self.summary,
            "",
            "Why it matters",
            f"  {self.why}",
            "",
            "Example",
            f"  {self.example}",
            "",
            "What to write instead",
            f"  {self.fix}",
        ]
        if self.false_positives:
            parts += ["", "Known false positives", f"  {self.false_positives}"]
        return "\n".join(parts)


class Catalogue:
    def __init__(self, rules: list[Rule]) -> None:
        self._rules = {r.id: r for r in rules}

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules.values())

    def ids(self) -> list[str]:
        return list(self._rules)

    def get(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id.upper()]
        except KeyError:
            raise KeyError(f"unknown rule id {rule_id!r}") from None

    def select(self, prefixes: list[str]) -> list[Rule]:
        """Rules whose id starts with any of the prefixes (case-insensitive)."""
        wanted = [p.upper() for p in prefixes]
        return [r for r in self._rules.values() if any(r.id.startswith(p) for p in wanted)]

    def finding(
        self,
        rule_id: str,
        config: Config,
        *,
        field: str | None = None,
        start: int | None = None,
        end: int | None = None,
        suggestion: str | None = None,
        score: float | None = None,
        details: dict[str, Any] | None = None,
        variant: str | None = None,
        severity: Severity | None = None,
        **fmt: Any,
    ) -> Finding | None:
        """Build a finding from the catalogue's template, or None when the rule is not selected.

        ``severity`` is the rule's situational default (ETH001 is a warning for adults); a
        config override still wins over it.
        """
        if not _reported(rule_id, config):
            return None
        rule = self._rules[rule_id]
        default = severity if severity is not None else rule.severity
        return Finding(
            rule_id=rule_id,
            severity=config.severity_for(rule_id, default),
            message=_agreeing(rule.template(variant), fmt.get("label")).format(**fmt),
            field=field,
            start=start,
            end=end,
            suggestion=suggestion,
            score=score,
            details=details,
        )


# The verb right after "{label}" in a template, and its plural: the templates are written for
# a singular field ("The rationale is missing") and agree with a plural one here ("The
# actions taken are missing", "The circumstances mention ..."), so rules.toml stays simple.
_PLURAL_VERBS = {"is": "are", "was": "were", "has": "have", "says": "say", "mentions": "mention"}
_VERB_AFTER_LABEL = re.compile(r"^ (" + "|".join(_PLURAL_VERBS) + r")\b")


def _agreeing(template: str, label: object) -> str:
    """The template with its verb (and a later "it": "add them") agreeing with ``label``."""
    if not isinstance(label, str) or not is_plural_label(label) or "{label}" not in template:
        return template
    head, _, tail = template.partition("{label}")
    tail = _VERB_AFTER_LABEL.sub(lambda m: " " + _PLURAL_VERBS[m.group(1)], tail, count=1)
    return head + "{label}" + re.sub(r"\bit\b", "them", tail)


# Reported whatever ``select`` says: an unreadable record with no finding would look clean,
# so ``--select ETH`` still shows the rows it could not read.  Only ``ignore`` hides them.
_ALWAYS_SELECTED = frozenset({"PPN000"})


def _reported(rule_id: str, config: Config) -> bool:
    if config.is_selected(rule_id):
        return True
    if rule_id not in _ALWAYS_SELECTED:
        return False
    return not any(p == "ALL" or rule_id.startswith(p.upper()) for p in config.ignore)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded and validated once per process."""
    path = data_path("rules.toml")
    data = load_toml_validated(path, "rules")
    rules = []
    seen: set[str] = set()
    problems: list[str] = []
    for entry in data["rule"]:
        if entry["id"] in seen:
            problems.append(f"duplicate rule id {entry['id']}")
        seen.add(entry["id"])
        rules.append(
            Rule(
                id=entry["id"],
                name=entry["name"],
                severity=Severity(entry["severity"]),
                summary=entry["summary"],
                message=entry["message"],
                why=entry["why"],
                example=entry["example"],
                fix=entry["fix"],
                false_positives=entry.get("false_positives", ""),
                messages=dict(entry.get("messages", {})),
            )
        )
    if problems:
        raise DataFileError(path, problems)
    return Catalogue(rules)
