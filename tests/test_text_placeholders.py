"""Placeholder and substance verdicts, and the data file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppncheck.resources import DataFileError
from ppncheck.text.placeholders import placeholder_verdict
from ppncheck.text.tables import placeholder_table, speech_table


@pytest.mark.parametrize(
    "text",
    [
        "N/A",
        "n/a",
        "N.A.",
        "Nil.",
        "none",
        "As above",
        "see above",
        "See log",
        "see OEL",
        "-",
        "--",
        "...",
        "not applicable",
        "Nothing to note",
        "NFA",
        "unknown",
        "tbc",
        "No concerns.",
        "N/A - see log",
        "As above - see OEL",
        "ok",
    ],
)
def test_listed_forms_are_placeholders(text: str) -> None:
    verdict = placeholder_verdict(text, placeholder_table(), speech_table())
    assert verdict is not None and verdict.kind == "placeholder"
    assert verdict.content_words == 0


def test_matched_quotes_the_first_form_as_written() -> None:
    verdict = placeholder_verdict("N/A - see log", placeholder_table())
    assert verdict is not None and verdict.matched == "N/A"


@pytest.mark.parametrize(
    "text",
    [
        "Tidy.",
        "Attended. Nothing further.",
        "See OEL for details",
        "as previous PPN.",
        "see HV notes.",
    ],
)
def test_too_few_content_words_is_thin(text: str) -> None:
    verdict = placeholder_verdict(text, placeholder_table(), speech_table())
    assert verdict is not None and verdict.kind == "thin"
    assert verdict.content_words < placeholder_table().min_content_words


@pytest.mark.parametrize(
    "text",
    [
        "Wearing pyjamas.",
        "clean and tidy",
        "None of the food in the fridge was in date.",
        "Asleep.",
        "Pre-verbal",
        '"no"',
        "Ellie was wearing a pink nightdress and was crying.",
    ],
)
def test_substance_is_not_a_placeholder(text: str) -> None:
    assert placeholder_verdict(text, placeholder_table(), speech_table()) is None


def test_empty_text_is_absence_not_a_placeholder() -> None:
    assert placeholder_verdict("   \n", placeholder_table()) is None


def test_force_can_add_forms(tmp_path: Path) -> None:
    extra = tmp_path / "force_placeholders.toml"
    extra.write_text('version = 1\nforms = ["refer to storm"]\n', "utf-8")
    assert placeholder_verdict("Refer to STORM", placeholder_table()) is not None  # thin
    verdict = placeholder_verdict("Refer to STORM", placeholder_table((str(extra),)))
    assert verdict is not None and verdict.kind == "placeholder"


def test_unknown_key_in_force_file_is_an_error(tmp_path: Path) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text('version = 1\nform = ["typo"]\n', "utf-8")
    with pytest.raises(DataFileError) as err:
        placeholder_table((str(extra),))
    assert "form" in str(err.value)
