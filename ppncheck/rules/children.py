"""CHD001: children mentioned in the narrative but not recorded as persons.

Inspectors found children at risk left out of PPNs.  A named child is matched by forename.
Unnamed mentions ("her two younger brothers", "the baby") cannot be matched one by one, so they
are counted: siblings and friends are children other than the subject; a baby, son or daughter
may be the subject.  The rule fires when fewer children are recorded than the narrative implies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ppncheck.findings import Finding
from ppncheck.normalise.dates import age_on, parse_date
from ppncheck.rules.context import FindingMaker, RecordContext
from ppncheck.text.analysis_types import ChildMention

OTHER_CHILD_RELATIONS = frozenset(
    {
        "brother",
        "sister",
        "sibling",
        "stepbrother",
        "stepsister",
        "half-brother",
        "half-sister",
        "half brother",
        "half sister",
        "friend",
        "cousin",
        "twin",
    }
)


# "her friend, also 14": a friend, cousin or classmate is another child than any the note
# records by age alone; only a name would account for them.
ANOTHER_CHILD = frozenset(
    {
        "friend", "mate", "pal", "cousin", "peer", "associate", "boyfriend", "girlfriend",
        "neighbour", "classmate", "nephew", "niece",
    }
)


OFFSPRING = frozenset({"son", "daughter", "child", "children", "sons", "daughters"})
ADULT_ONLY_TYPES = frozenset({"adult_at_risk", "mental_health"})
BABY_MAX_AGE = 2


def _age(ctx: RecordContext, person: dict[str, Any]) -> int | None:
    dob = parse_date(person.get("dob"))
    if dob is not None and ctx.incident is not None:
        return age_on(dob, ctx.incident.date())
    age = person.get("age_years")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


def _relation(mention: ChildMention) -> str | None:
    rel = (mention.relation or "").lower().strip()
    if rel.endswith("s") and rel[:-1] in OTHER_CHILD_RELATIONS:
        rel = rel[:-1]
    return rel or None


def unrecorded(
    mentions: Sequence[ChildMention],
    recorded_forenames: set[str],
    recorded_ages: Sequence[int | None],
) -> list[ChildMention]:
    """The mentions that the recorded children (their forenames and ages) cannot account for.

    Each mention is accounted for on its own terms: a named child by forename, a baby by a
    recorded child of two or under, "a 14-year-old" by a recorded child of that age.  Unnamed
    siblings and groups are counted: "his sister" needs two recorded children (the child and
    the sister), "her brother" and "her sister" three, "all three children" three.
    """
    missing = [
        m for m in mentions if m.name and m.name.split()[0].lower() not in recorded_forenames
    ]
    siblings: dict[str, int] = {}
    group = 0
    counted: list[ChildMention] = []
    for m in mentions:
        if m.name:
            continue
        rel = _relation(m)
        if m.kind == "baby" or rel == "baby":
            if not any(age is None or age <= BABY_MAX_AGE for age in recorded_ages):
                missing.append(m)  # "the baby" when the only recorded child is 8
                continue
            group = max(group, m.count)
        elif m.age is not None:
            if rel in ANOTHER_CHILD or not any(
                age is None or age == m.age for age in recorded_ages
            ):
                missing.append(m)
                continue
        elif rel in OTHER_CHILD_RELATIONS:
            siblings[rel] = max(siblings.get(rel, 0), m.count)
        else:
            group = max(group, m.count)
        counted.append(m)
    # A sibling or friend is a child besides the one whose sibling or friend they are.
    needed = max(group, 1 + sum(siblings.values()) if siblings else 0)
    if counted and len(recorded_ages) < needed:
        missing.append(counted[0])
    return sorted(missing, key=lambda m: m.start)


def findings_for(
    make: FindingMaker,
    path: str | None,
    mentions: Sequence[ChildMention],
    recorded_forenames: set[str],
    recorded_ages: Sequence[int | None],
    label: str,
) -> Iterator[Finding | None]:
    for m in unrecorded(mentions, recorded_forenames, recorded_ages):
        what = "a named child" if m.name else "a child"
        if m.relation:
            what = (
                f"the child's {m.relation}"
                if m.count == 1
                else f"{m.count} children ({m.relation})"
            )
        yield make(
            "CHD001",
            field=path,
            start=m.start,
            end=m.end,
            label=label,
            mention=what,
            details={"kind": m.kind, "count": m.count, "relation": m.relation, "age": m.age},
        )


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    forenames = {
        p.data["forename"].strip().lower()
        for p in ctx.persons
        if isinstance(p.data.get("forename"), str) and p.data["forename"].strip()
    }
    analysis = ctx.texts.get("circumstances")
    if analysis is None or not analysis.child_mentions:
        return
    mentions = analysis.child_mentions
    types = ctx.record.get("ppn_types")
    if isinstance(types, list) and types and set(types) <= ADULT_ONLY_TYPES:
        # "His daughter visits fortnightly" in an adult-at-risk PPN is usually an adult.
        mentions = [
            m for m in mentions if m.name or m.age is not None or m.relation not in OFFSPRING
        ]
    yield from findings_for(
        ctx.finding,
        "circumstances",
        mentions,
        forenames,
        [_age(ctx, p.data) for p in ctx.children],
        "circumstances",
    )
