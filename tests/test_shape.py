"""The record's shape (ppncheck/shape.py): its text fields, paths and names, written once."""

from __future__ import annotations

from typing import Any

import pytest

from ppncheck.read.recordpaths import kind_of
from ppncheck.shape import (
    FREE_TEXT_FIELDS,
    all_text_fields,
    field_in_words,
    format_path,
    is_free_text,
    label_for,
    parse_path,
    text_fields,
)
from tests.conftest import load_example


@pytest.mark.parametrize(
    "path", ["ppn_id", "persons[12].sde_code", "voice_of_child[0].aware.words", "a.b[3][4].c"]
)
def test_a_path_is_written_and_read_back(path: str) -> None:
    parts = parse_path(path)
    assert parts is not None and format_path(parts) == path


@pytest.mark.parametrize("text", ["", "PPN Ref", "persons[x]", "persons..dob", "[0]", "a."])
def test_what_is_not_a_path(text: str) -> None:
    assert parse_path(text) is None


def test_every_free_text_field_is_text_in_the_schema() -> None:
    for bare in FREE_TEXT_FIELDS:
        path = parse_path(bare.replace("voice_of_child", "voice_of_child[0]"))
        kind = kind_of(path) if path is not None else None
        assert kind is not None and "string" in kind.types, bare


def test_the_text_fields_of_a_record() -> None:
    record: dict[str, Any] = load_example("good-01-domestic-abuse-two-children")
    record["rationale"] = "   "  # blank: no text to read
    record["voice_of_child"][1]["reason_not_spoken_to"] = "asleep"
    record["supervisor_review"] = {"comments": "Agreed."}
    paths = [p for p, _ in text_fields(record)]
    assert "rationale" not in paths
    assert {"circumstances", "actions_taken", "supervisor_review.comments"} <= set(paths)
    assert "voice_of_child[1].reason_not_spoken_to" in paths
    assert sum(p.startswith("voice_of_child[0].aware.") for p in paths) == 5
    assert all(is_free_text(p) for p in paths)
    assert not is_free_text("persons[0].forename")
    # every string, for wording pasted anywhere (TPL002); a note is its one field
    assert ("persons[2].forename", "Maisie") in all_text_fields(record)
    assert all_text_fields("A note.") == [("note", "A note.")]


def test_a_field_is_named_once_for_messages_and_for_reports() -> None:
    assert label_for("persons[1].dob") == "date of birth of persons[1]"
    assert field_in_words("persons[1].dob") == "person 2: date of birth"
    words = "voice_of_child[0].aware.words"
    assert label_for(words) == "AWARE Words (what the child said) of voice_of_child[0]"
    assert field_in_words(words) == "voice of child entry 1: AWARE Words (what the child said)"
    assert label_for("rationale") == "rationale for the risk grade"
    assert field_in_words("rationale") == "the rationale for the risk grade"
    assert field_in_words("officer.collar_number") == "the officer's collar number"
    assert field_in_words("note") == "the note"
    assert field_in_words(None) == "the note as a whole"
