"""The note reader: people, dates of birth, ages and self-defined ethnicity in any layout, each
value with the span it came from; ``ppncheck.extract`` and ``ppncheck extract``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ppncheck
from ppncheck.read.note import read_note


def _people(text: str) -> dict[str, tuple[object, object, object, object]]:
    return {
        p.name.value: (
            p.dob.value if p.dob else None,
            p.age.value if p.age else None,
            p.sde.value if p.sde else None,
            p.child,
        )
        for p in read_note(text).persons
    }


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "Victim: Marta KOWALSKA, 31 (DOB 14/06/1993), White Polish - W9",
            "Marta KOWALSKA",
            ("1993-06-14", 31, "W9", False),
        ),
        (
            "DP Gary HOLT (17/10/89, W1) arrested at the address.",
            "Gary HOLT",
            ("1989-10-17", None, "W1", False),
        ),
        (
            "Her daughter Saoirse P. (DOB 9 March 2019, 5), who describes herself as White Irish.",
            "Saoirse P.",
            ("2019-03-09", 5, "W2", True),
        ),
        (
            "Name: Tariq Ahmed\nDOB: 02.05.2011\nSDE: British Pakistani\n",
            "Tariq Ahmed",
            ("2011-05-02", None, "A2", True),
        ),
        (
            "Ayo D., aged 12, self-defined Black African, was seen at school.",
            "Ayo D.",
            (None, 12, "B2", True),
        ),
        ("Kian REED 15 y/o (B1) found at the station.", "Kian REED", (None, 15, "B1", True)),
    ],
)
def test_people_in_every_layout(text: str, name: str, expected: tuple[object, ...]) -> None:
    assert _people(text)[name] == expected


def test_spans_point_at_the_values() -> None:
    text = "Child 1: Leo BRENNAN, DOB 08/06/2015 (8), SDE M1 given by mum"
    (person,) = read_note(text).persons
    assert text[person.name.start : person.name.end] == "Leo BRENNAN"
    assert text[person.dob.start : person.dob.end] == "08/06/2015"  # type: ignore[union-attr]
    assert text[person.age.start : person.age.end] == "8"  # type: ignore[union-attr]
    assert text[person.sde.start : person.sde.end] == "M1"  # type: ignore[union-attr]


def test_officer_defined_codes_are_never_self_defined() -> None:
    note = read_note("Suspect: Darren COLE, 41, ODE IC1, arrested at the scene.")
    (person,) = note.persons
    assert person.ode is not None and person.ode.value == "IC1"
    assert person.sde is None and note.ethnicity == []


def test_a_road_or_paper_size_is_not_an_ethnicity_code() -> None:
    note = read_note("He drove north on the A1 and printed an A4 sheet; M1 junction 32 closed.")
    assert note.ethnicity == []


def test_a_car_model_is_not_an_ethnicity_code() -> None:
    note = read_note("He left in a black Audi A3, then a BMW M3; an A4 estate was seen. Mum (W1).")
    assert [e.value for e in note.ethnicity] == ["W1"]


def test_a_table_pasted_as_text() -> None:
    text = (
        "Name              Age   DOB          SDE\n"
        "Nina SOKOLOVA     33    04/01/1991   W9\n"
        "Ilya SOKOLOVA     6     12/12/2017   W9 (per mum)\n"
        "\n"
        "Address: 4 Quarry Row.\n"
    )
    assert _people(text) == {
        "Nina SOKOLOVA": ("1991-01-04", 33, "W9", False),
        "Ilya SOKOLOVA": ("2017-12-12", 6, "W9", True),
    }


def test_a_table_with_headers_in_other_words_and_ages_in_other_cells() -> None:
    # a header the reader has no exact word for ("Ethnicity (self-defined)", "IC", "Address"),
    # a long name running into the next column, an age after the role, a baby's age in
    # months in the DOB column, and a row carried on to the next line
    text = (
        "Name                 DOB / age        Role            Ethnicity (self-defined)   IC\n"
        "Alisha RAHMAN        31               mother          Bangladeshi (A3)           IC4\n"
        "Zayan RAHMAN-CHOWDHURY 04/05/2016     son, 8          A3                         IC4\n"
        "Inaya RAHMAN         9 months         daughter        A3\n"
        "                     (01/02/2024)\n"
        "Faisal CHOWDHURY     -                father, 38      A3 (per Alisha)            IC4\n"
        "\n"
        "Visit at 14:00.\n"
    )
    assert _people(text) == {
        "Alisha RAHMAN": (None, 31, "A3", False),
        "Zayan RAHMAN-CHOWDHURY": ("2016-05-04", 8, "A3", True),
        "Inaya RAHMAN": (None, 0, "A3", True),
        "Faisal CHOWDHURY": (None, 38, "A3", False),
    }


def test_rows_in_columns_of_spaces_without_a_header() -> None:
    text = (
        "Stalking - review of attendance, 12/03/2025.\n\n"
        "Kerry-Ann BOYD     34     victim          W1\n"
        "Reece BOYD         9      son             W1\n"
        "Lewis MARSH        36     suspect, ex     W2\n\n"
        "Reece was on the sofa when officers arrived.\n"
    )
    people = read_note(text).persons
    assert {p.name.value: (p.age and p.age.value, p.sde and p.sde.value) for p in people} == {
        "Kerry-Ann BOYD": (34, "W1"),
        "Reece BOYD": (9, "W1"),
        "Lewis MARSH": (36, "W2"),
    }
    report = ppncheck.check(text)
    assert "CHD001" not in {f.rule_id for f in report.findings}  # "9 son" is Reece, recorded


def test_no_sde_held_is_no_ethnicity_value() -> None:
    note = read_note("Man known only as 'Tee', not identified, so no SDE held. Mum Gina COLE (W1).")
    assert note.unrecognised_ethnicity == []


def test_an_ethnicity_in_the_next_sentence_and_for_both() -> None:
    text = (
        "Lily-Ann ROSS, 14 (DOB 23.08.2010), Year 9. She describes herself as Mixed White "
        "and Black Caribbean.\nVictims: Rehana BEGUM, 38, and her husband Sohel MIAH, 42. Both "
        "told me they are British Bangladeshi (A3)."
    )
    people = _people(text)
    assert people["Lily-Ann ROSS"][2] == "M1"
    assert people["Rehana BEGUM"][2] == "A3" and people["Sohel MIAH"][2] == "A3"


def test_not_stated_needs_a_reason_and_an_unknown_value_is_kept() -> None:
    note = read_note("Mum: Jo PRICE, 29. Ethnicity: NS.\nDad: Lee PRICE, 31. SDE: normal.")
    assert [v.text for v in note.not_stated_without_reason] == ["NS"]
    assert [v.text for v in note.unrecognised_ethnicity] == ["normal"]
    with_reason = read_note("Mum: Jo PRICE, 29. Ethnicity: NS - declined to say.")
    assert with_reason.not_stated_without_reason == []


def test_a_duration_is_not_an_age() -> None:
    (person,) = read_note("Susp Ian KELSO (DOB 02/02/88) IC1. rel ended after 2 yrs.").persons
    assert person.age is None
    text = "Money concerns: £4,200 taken out at the Co-op cash machine in 3 weeks."
    assert read_note(text).persons == []


def test_a_bare_age_after_a_surname_before_a_bracketed_code() -> None:
    text = "Children:\n Jordan CAMPBELL 13 (B1)\n Kayla CAMPBELL 8 (B1)\n"
    assert _people(text) == {
        "Jordan CAMPBELL": (None, 13, "B1", True),
        "Kayla CAMPBELL": (None, 8, "B1", True),
    }


def test_a_code_shaped_value_no_code_names_given_for_an_ethnicity() -> None:
    text = "Diversity: MH's self-defined ethnicity is recorded on the school referral as W4."
    assert [v.text for v in read_note(text).unrecognised_ethnicity] == ["W4"]
    for fine in ("Her ethnicity is recorded as W1.", "Her ethnicity was given as w1 by mum."):
        assert read_note(fine).unrecognised_ethnicity == []


def test_a_role_word_opening_a_sentence_is_not_the_next_names_role() -> None:
    text = (
        "Kai MORRIS-BENT (15), M1.\n\nMum reported Kai missing at 19:00.\nMum Tina MORRIS (42), W1."
    )
    people = {p.name.value: p for p in read_note(text).persons}
    assert people["Kai MORRIS-BENT"].roles == [] and people["Kai MORRIS-BENT"].sex is None
    assert people["Tina MORRIS"].sex == "female"


def test_the_forms_of_a_persons_initials() -> None:
    text = "Tyrese OKAFOR-HILL (14), W1. Ellie-Rose CHAMBERS (12), W1. Oscar WONG (9), A4."
    forms = {p.name.value: p.initial_forms for p in read_note(text).persons}
    assert forms["Tyrese OKAFOR-HILL"] == {"TO", "TOH"}
    assert forms["Ellie-Rose CHAMBERS"] == {"EC", "ERC", "E-R"}
    assert forms["Oscar WONG"] == {"OW"}


def test_rows_of_spaced_slashes() -> None:
    text = (
        "Persons:\n"
        "MARSH, Kerry-Ann / 09/06/1991 / W1 - driver, IP\n"
        "MARSH, Ellis / 04/09/2016 / W1 - rear nearside booster seat\n\n"
        "0812 hrs. 999 call about a car swerving on the A-road.\n"
    )
    people = _people(text)
    assert people["MARSH, Kerry-Ann"][0] == "1991-06-09"
    assert people["MARSH, Ellis"][0] == "2016-09-04"
    assert {v[2] for v in people.values()} == {"W1"}


def test_a_date_with_a_clock_time_is_when_not_a_birth() -> None:
    header = "Concern for welfare - 4 Lighthouse View, Quaynton, 12/07/2025 15:00.\n"
    assert _people(header + "Mr Walter BRIGGS, 87, SDE W1, rang.") == {
        "Walter BRIGGS": (None, 87, "W1", False)
    }
    # a date of birth after a name and a comma is still read
    assert _people("Dean QUARRINGTON, 17/10/1989, W1, at the address.") == {
        "Dean QUARRINGTON": ("1989-10-17", None, "W1", False)
    }


def test_extract_gives_a_partial_record_with_spans() -> None:
    text = (
        "IP: Donna WEBB, 30 (DOB 11/09/1994), SDE W1.\n"
        'Her son Tyler WEBB (DOB 02/03/2017, 7) was asleep; Tyler said "mummy was crying".'
    )
    out = ppncheck.extract(text)
    assert out["schema_version"] == "1.0"
    donna, tyler = out["persons"]
    assert donna["roles"] == ["victim"] and donna["sde_code"] == "W1"
    assert tyler["dob"] == "2017-03-02" and tyler["is_child"] is True
    span = tyler["spans"]["name"]
    assert text[span["start"] : span["end"]] == "Tyler WEBB"
    assert out["voice_of_child"]["child_speech"]


def test_extract_cli_and_bad_input(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Child: Ella MAY, 9, SDE W2. Seen at home.", "utf-8")
    run = [sys.executable, "-m", "ppncheck", "extract"]
    proc = subprocess.run([*run, str(note)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["persons"][0]["sde_code"] == "W2"
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"Child: \xff\xfe Ella MAY secret words")
    proc = subprocess.run([*run, str(binary)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr
    assert "secret" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "text",
    [
        "The caller reported a loud argument next door; nobody answered the door.",
        "Plentyn wedi ei weld yn y cartref. Mae ofn arna i. " * 20,  # Welsh
        "| col | col |\n|---|---|\n| 1 | 2 |\n" * 200,  # a table pasted as text
        "word " * 200_000,  # about 1 MB
        "\x00\x01\x02 binary \ufffd mixed \udcff" * 50,
    ],
)
def test_hostile_notes_give_findings_never_a_traceback(text: str) -> None:
    report = ppncheck.check(text)
    assert report.findings is not None
    for finding in report.findings:
        assert text[:40] not in finding.message
    read_note(text[:100_000])


def test_a_value_after_both_belongs_to_both_names_joined_by_and() -> None:
    from ppncheck.read.note import read_note

    text = (
        "There are three children. The twins, Amara NWOSU and Kene NWOSU, both 4 (14.01.2020), "
        "are recorded by their dad as M2. Charlie HOLLAND, 13, is W1."
    )
    ages = {p.name.value: p.age.value if p.age else None for p in read_note(text).persons}
    assert ages["Amara NWOSU"] == ages["Kene NWOSU"] == 4


def _sde(text: str) -> dict[str, str | None]:
    from ppncheck.read.note import read_note

    return {p.name.value: p.sde.value if p.sde else None for p in read_note(text).persons}


def test_an_officers_code_right_after_a_label_is_the_value() -> None:
    text = "Marian GHEORGHE, 14 (dob 30/10/2009), self-defines as Roma (W9), was reported missing."
    assert _sde(text)["Marian GHEORGHE"] == "W9"
    # the label's cue still carries to both people it is said of
    both = (
        "Shahana BEGUM, 38, and her husband Rafiq UDDIN, 42. Both told me they are British "
        "Bangladeshi (A3)."
    )
    assert set(_sde(both).values()) == {"A3"}


def test_a_groups_code_before_a_list_or_after_the_names() -> None:
    before = (
        "There are three children, all W9 per Sandra: Beatriz MARTINS, 7 (dob 15/09/2016); "
        "and Tiago COSTA, 4 (dob 03/12/2019)."
    )
    assert _sde(before) == {"Beatriz MARTINS": "W9", "Tiago COSTA": "W9"}
    after = "Dilan AZIZ, 13 (dob 11/04/2011), and Aram AZIZ, 9 (dob 07/09/2014), both O9 per mum."
    assert _sde(after) == {"Dilan AZIZ": "O9", "Aram AZIZ": "O9"}
    # a code said of one person is not spread to the others in the sentence
    one = "Kyle DEAN, 15 (dob 01/01/2009), and Jay ROSS, 16 (dob 02/02/2008), who is W1."
    assert _sde(one)["Kyle DEAN"] is None


def test_a_cue_in_its_grammatical_variants() -> None:
    text = (
        "Abena MENSAH, 16 (DOB 25/11/2007), came in with her dad, Kwame MENSAH, 49. "
        "Both describe themselves as Black African. Gary WITHERS, 34, told custody he is "
        "White British."
    )
    people = _people(text)
    assert people["Abena MENSAH"][2] == "B2"
    assert people["Kwame MENSAH"][2] == "B2"
    assert people["Gary WITHERS"][2] == "W1"


def test_a_labels_key_and_a_place_are_not_people() -> None:
    block = (
        "Subject:        Mehwish AKHTAR\n"
        "Date of birth:  11/09/2006 (17)\n"
        "Self-defined:   British Pakistani (A2)\n"
    )
    assert _people(block) == {"Mehwish AKHTAR": ("2006-09-11", 17, "A2", True)}
    prose = (
        "A customer, Martin GOUGH, 52, of Willow Farm, Nether Wyck, who self-defined as "
        "White British (W1) on arrest, sent the messages."
    )
    assert _people(prose) == {"Martin GOUGH": (None, 52, "W1", False)}


def test_names_with_diacritics() -> None:
    text = "Call from Mirela LĂCĂTUŞ (aged 35, self-defines as Roma, W9) at 6 Sluice Street."
    assert _people(text)["Mirela LĂCĂTUŞ"] == (None, 35, "W9", False)


def test_an_ethnicity_said_of_a_group_of_children() -> None:
    text = (
        "Mum is Desislava IVANOVA, 31, who self-defines as Bulgarian (W9). She has two "
        "children: Viktor IVANOV, 6 (dob 20/03/2018), and Elena PETROVA, 12. Desislava gave "
        "W9 for both children. Her neighbour Carl BROWN, 40, is W1."
    )
    people = _people(text)
    assert people["Viktor IVANOV"][2] == "W9"
    assert people["Elena PETROVA"][2] == "W9"
    assert people["Carl BROWN"][2] == "W1"
    # the children are introduced after the adult's code: it is not theirs
    dictated = (
        "mum is shannon pike twenty six white british w one and the children are tayla pike "
        "aged six and mason ewart aged four"
    )
    assert {k: v[2] for k, v in _people(dictated).items() if v[3]} == {
        "Tayla PIKE": None,
        "Mason EWART": None,
    }


def test_a_dictated_a_code_after_an_age_or_also() -> None:
    text = (
        "he lives above the shop with his mum nasrin karim forty four a three and his dad "
        "abdul karim fifty also a three in a two bed flat"
    )
    people = _people(text)
    assert people["Nasrin KARIM"][2] == "A3"
    assert people["Abdul KARIM"][2] == "A3"


def test_a_nickname_dotted_leaders_and_spoken_numbers_that_are_no_age() -> None:
    text = (
        'Child:    Patrick "Paddy" McDONAGH, 8 (DOB 19.01.2016), W3 per mother.\n\n'
        "SIBLING\nName ........ Isatu KAMARA\nDOB ......... 22/05/2016 (7)\n"
        "SDE ......... Black African, Gambian (B2)\n"
    )
    people = _people(text)
    assert people["Patrick McDONAGH"] == ("2016-01-19", 8, "W3", True)
    assert people["Isatu KAMARA"] == ("2016-05-22", 7, "B2", True)
    dictated = (
        "we got there at about quarter past ten and mum kerry moss thirty seven w one said "
        "they have been married fifteen years and the account demanded two hundred pounds"
    )
    assert list(_people(dictated)) == ["Kerry MOSS"]


def test_listed_names_with_bare_ages_and_a_babys_age_after_its_birth() -> None:
    text = (
        "Zarghuna AHMADZAI, 15, has four younger siblings (details to be confirmed by school - "
        "Wahid 12, Parwana 10, Nasir 7, Laila 4). Seen at 14:30 on 12/03/2024."
    )
    people = _people(text)
    assert {n: people[n][1] for n in ("Wahid", "Parwana", "Nasir", "Laila")} == {
        "Wahid": 12,
        "Parwana": 10,
        "Nasir": 7,
        "Laila": 4,
    }
    dictated = "and the baby oliver dowsett born the second of march last year so ten months"
    assert _people(dictated)["Oliver DOWSETT"][1:] == (0, None, True)


def test_words_after_a_cue_are_no_value() -> None:
    text = "STAN, Luca (15.12.2023) - 10 months - W9 (mother's SDE for the baby)"
    note = read_note(text)
    assert note.unrecognised_ethnicity == []
    assert [p.sde.value for p in note.persons if p.sde] == ["W9"]
    assert [
        v.text for v in read_note("Mum: Kerry DOYLE, 30, SDE local").unrecognised_ethnicity
    ] == ["local"]


def test_shorthand_names_and_bare_ages_after_a_surname() -> None:
    text = (
        "attended re 999, IP jade MORLEY DOB 21-7-95 (28) SDE W1 answered the door, mum Elena "
        "POPESCU 43 W9 romanian attended, dad Tariq RAFIQ approx 48 (A2 per sana), lives at "
        "FLAT 12 W1, Rojin AHMADI, 17, self-defines as Kurdish"
    )
    people = _people(text)
    assert people["Jade MORLEY"][:3] == ("1995-07-21", 28, "W1")
    assert people["Elena POPESCU"][1:3] == (43, "W9")
    assert people["Tariq RAFIQ"][1:3] == (48, "A2")
    assert people["Rojin AHMADI"][2] == "O9"  # Kurdish is not Arab (O2)
    assert not any(name.startswith("FLAT") for name in people)


def test_a_value_after_both_when_each_name_has_its_own_age_first() -> None:
    text = (
        "Kids: Gabija JONAITE 7 (dob 14/05/16) & Nojus JONAITIS 3 (dob 20/01/21), both W9 per "
        "mum.\nMason BLOWERS, 8 (dob 19/06/2015), and Lexi BLOWERS, 5 (dob 08/01/2019), both "
        "White British per mum."
    )
    assert _sde(text) == {
        "Gabija JONAITE": "W9",
        "Nojus JONAITIS": "W9",
        "Mason BLOWERS": "W1",
        "Lexi BLOWERS": "W1",
    }


def test_a_line_about_both_belongs_to_the_people_on_the_lines_above() -> None:
    text = (
        "Who went missing?\nJasmine DUNN, 15 (DOB 14.02.2009)\nKian DUNN, 12 (DOB 30.07.2012)\n"
        "Both describe themselves as Mixed, White and Filipino (M9).\n"
        "Mum: Maricel DUNN, 43 - self-defines as Filipino (A9)."
    )
    assert _sde(text) == {"Jasmine DUNN": "M9", "Kian DUNN": "M9", "Maricel DUNN": "A9"}


def _values_as_written(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """name -> (DOB as written, age as written, self-defined code) for each person read."""
    from ppncheck.read.note import read_note

    return {
        p.name.text: (p.dob and p.dob.text, p.age and p.age.text, p.sde and p.sde.value)
        for p in read_note(text).persons
    }


def test_a_note_in_capitals_throughout() -> None:
    """An old system's export in upper case: SURNAMES look like every other word, so the note
    is read from its lower case as a dictated one is (typed digits, no number words)."""
    text = (
        "PPN - MISSING CHILD RETURNED\nSUBJECT: TIA-MAE GRIFFITHS-OKAFOR, DOB 22/06/2009, 14 YRS. "
        "SDE M2 (GIVEN BY HERSELF). ODE IC3.\nMOTHER: CERYS GRIFFITHS, 40 YRS, SDE W1.\n"
        "MISSING APPROX 13 HRS 50 MINS. LOCATED BY PORT SECURITY. ATE 2 POTS OF NOODLES. "
        "TOOK ONE EARPHONE OUT WHEN MUM SPOKE TO HIM. 9 LACERATIONS, 2 NEEDING GLUE."
    )
    assert _values_as_written(text) == {
        "TIA-MAE GRIFFITHS-OKAFOR": ("22/06/2009", "14", "M2"),
        "CERYS GRIFFITHS": (None, "40", "W1"),
    }


def test_a_custody_systems_semicolon_field_dump() -> None:
    text = (
        "Name: Reuben ASANTE-HOLT; DOB: 03.09.2008; Age: 15; SDE: M1; ODE: IC3; Role: IP\n"
        "Name: Leanne HOLT; DOB: 19.01.1985; Age: 39; SDE: W1; ODE: IC1; Role: Mother / AA\n"
    )
    assert _values_as_written(text) == {
        "Reuben ASANTE-HOLT": ("03.09.2008", "15", "M1"),
        "Leanne HOLT": ("19.01.1985", "39", "W1"),
    }


def test_a_tab_separated_people_table() -> None:
    text = (
        "Name\tDOB\tAge\tSDE\tRole\n"
        "Shannon PRIEST\t03/07/1991\t33\tW1\tIP\n"
        "Callum DERBY\t19/11/1988\t35\t\tDP\n"
        "Mason PRIEST\t14/02/2015\t9\tW1\tChild - IP's son\n"
    )
    assert _values_as_written(text) == {
        "Shannon PRIEST": ("03/07/1991", "33", "W1"),
        "Callum DERBY": ("19/11/1988", "35", None),  # an empty cell keeps the columns counted
        "Mason PRIEST": ("14/02/2015", "9", "W1"),
    }


def test_a_date_of_birth_at_the_end_of_a_sentence() -> None:
    assert _values_as_written("Kacper NOWAK, DOB 02/03/2011. He was seen at school.") == {
        "Kacper NOWAK": ("02/03/2011", None, None)
    }


def test_initials_after_the_name_stand_for_the_person() -> None:
    text = (
        "1.1 Kacper NOWAK (hereafter 'KN'), DOB 02/03/2011.\n"
        "1.2 KN self-defines as White Polish (W9). His father, Tomasz NOWAK, 41, W9.\n"
        "1.3 Niamh DOHERTY, 15, and Ryan TALBOT-MASON, 19. RTM self-defined at custody as "
        "White British (W1). The DSL was informed."
    )
    assert _values_as_written(text) == {
        "Kacper NOWAK": ("02/03/2011", None, "W9"),
        "Tomasz NOWAK": (None, "41", "W9"),
        "Niamh DOHERTY": (None, "15", None),
        "Ryan TALBOT-MASON": (None, "19", "W1"),
    }


def test_a_tables_not_stated_and_unknown_values() -> None:
    from ppncheck.read.note import read_note

    text = (
        "Name\tDOB\tAge\tSDE\tRole\n"
        "Jade HOLROYD\t16/05/2002\t22\tX1\tMother\n"
        "Ryan McBRIDE\t05/06/1990\t34\tNS\tDP\n"
        "Logan HOLROYD\t01/11/2020\t3\t-\tChild\n"
    )
    record = read_note(text)
    assert [v.text for v in record.unrecognised_ethnicity] == ["X1"]  # "-" is no value at all
    assert [v.text for v in record.not_stated_without_reason] == ["NS"]


def test_a_heading_line_of_names_and_codes_is_no_unrecognised_value() -> None:
    # "ETHNICITY - Kelly W1. ...": the value is a name and its code, not a word like "normal"
    text = (
        "Victim Kelly BRANNIGAN (31) DOB 22/07/1992. Partner Lee CARSWELL (34) arrested.\n"
        "ETHNICITY - Kelly W1. CARSWELL W1 (said on arrest), IC1.\n"
        "OTHER - Agnieszka self-defines White Polish (W9).\n"
    )
    record = read_note(text)
    assert record.unrecognised_ethnicity == []
    assert {v.value for v in record.ethnicity} >= {"W1", "W9"}
    # a value that really is no code or label is still reported
    assert [v.text for v in read_note("Ethnicity: normal\n").unrecognised_ethnicity] == ["normal"]


def test_a_not_stated_value_with_its_reason_after_a_colon() -> None:
    text = "Ryan PIKE - 22 - suspect - SDE NS: not yet spoken to, to be asked on arrest\n"
    assert read_note(text).not_stated_without_reason == []
    assert [v.text for v in read_note("Ryan PIKE - 22 - SDE NS\n").not_stated_without_reason] == [
        "NS"
    ]


def test_a_role_heading_opening_a_sentence_names_nobody() -> None:
    # "VICTIM - Shaken, angry." and "CHILDREN - None involved.": the first word of a sentence
    text = (
        "CIRCUMSTANCES - Taxi driver Imran SHAFIQ (44) spat at by fare Gary TOLLAND (52).\n\n"
        "VICTIM - Shaken, angry. Wants to support prosecution.\n\n"
        "SUSPECT - Heavily in drink, booked in 0240.\n\n"
        "CHILDREN - None involved. Adult victim only.\n\n"
        "ETHNICITY - Imran self-defines British Pakistani (A2). TOLLAND W1.\n"
    )
    names = [p.name.value for p in read_note(text).persons]
    assert names == ["Imran SHAFIQ", "Gary TOLLAND"]
    assert ppncheck.check(text).rule_ids == []  # no child, so no AWARE finding
    # a name under a role label that the note uses again is still a person
    again = "VICTIM - Kelly, shaken.\nKelly said he pushed her.\n"
    assert [p.name.value for p in read_note(again).persons] == ["Kelly"]


def test_a_bare_age_before_a_comma_and_a_date_of_birth() -> None:
    text = "CHILDREN - Brooke 8, DOB 12/04/2015. Riley 5, DOB 20/09/2018.\nFlat 8, Mill Row.\n"
    assert _people(text) == {
        "Brooke": ("2015-04-12", 8, None, True),
        "Riley": ("2018-09-20", 5, None, True),
    }


def test_not_stated_after_is_and_its_reason_in_its_own_sentence() -> None:
    text = "Her mum, Tracey ROBERTS (44), is NS. Tracey visited and Mollie wouldn't see her.\n"
    assert [v.text for v in read_note(text).not_stated_without_reason] == ["NS"]
    given = "Her mum, Tracey ROBERTS (44), is NS. She declined to say.\n"
    assert read_note(given).not_stated_without_reason == []


def test_an_unrecognised_value_before_a_dash_clause() -> None:
    text = (
        "Connor (DOB 12/03/2005). Ethnicity: Valleys - that's how he put it and I wrote it down.\n"
    )
    assert [v.text for v in read_note(text).unrecognised_ethnicity] == ["Valleys"]


def test_an_older_adults_daughter_named_with_a_possessive_is_no_child() -> None:
    text = (
        "Adult at risk: Margaret ELLERBY, 84, DOB 09/09/1939, SDE W1. Carer Keith DOYLE, 52, W1, "
        "arrested for fraud by abuse of position after £4,300 was taken from her account over "
        "six weeks. Keith said she lets him do the shopping and that he was paying himself back "
        "for petrol. Margaret was in her nightdress, thin, with a purple bruise on her left "
        "forearm she could not explain. The kitchen had little food and the heating was off. "
        "Margaret's daughter Anne (lives in Scotland) informed and travelling down tomorrow. "
        "Adult social care referral made; bank fraud team contacted.\n"
    )
    assert "CHD001" not in ppncheck.check(text).rule_ids
    young = text.replace("Margaret ELLERBY, 84, DOB 09/09/1939", "Margaret ELLERBY, 34")
    assert "CHD001" in ppncheck.check(young).rule_ids  # a 34-year-old's daughter may be a child


def test_a_relation_before_a_dash_gives_the_childs_sex() -> None:
    text = "Her daughter - Isla MCBRIDE, aged eight (DOB 16/06/2015). W1 per mum.\n"
    (isla,) = read_note(text).persons
    assert (isla.relation, isla.sex, isla.child) == ("daughter", "female", True)


def test_dash_rows_surname_first_and_a_title_line_that_is_no_person() -> None:
    text = (
        "Log 25/144018 - MH crisis, child present - 2315hrs Fri 25/04/2025 - Flat 4\n"
        "PPN - HBA risk - ED - 04/04/2024\n\n"
        "GREEN, Tasha - 03/09/1992 - W1 - subject\n"
        "OKORO, Femi - 21/03/1990 - I1 - partner, RP\n"
        "GREEN, Lola - 12/12/2017 - M2 - child, 7, TG's daughter\n"
    )
    people = read_note(text).persons
    assert [(p.name.value, p.dob and p.dob.value, p.child) for p in people] == [
        ("GREEN, Tasha", "1992-09-03", False),
        ("OKORO, Femi", "1990-03-21", False),
        ("GREEN, Lola", "2017-12-12", True),
    ]
    lola = ppncheck.extract(text)["persons"][2]
    assert (lola["forename"], lola["surname"], lola["sde_code"]) == ("Lola", "GREEN", "M2")


def test_a_dash_row_fills_in_what_the_inline_reading_left_and_keeps_the_rest() -> None:
    text = (
        "Ayaan WARSAME - daughter - 8 (dob 14/02/2016) - B2\n"
        "HASSAN, Faduma - 26 - mother - Black African, self-defines as Somali (B2)\n"
    )
    ayaan, faduma = read_note(text).persons
    assert (ayaan.age and ayaan.age.value, ayaan.dob and ayaan.dob.value) == (8, "2016-02-14")
    assert faduma.sde is not None and faduma.sde.value == "B2"
    assert read_note(text).unrecognised_ethnicity == []


def test_a_role_before_another_name_joined_by_and_is_not_theirs() -> None:
    text = "Young person: Jayden CALLOW, 15 (M1).\n\nMum and Jayden: he cried when she came in.\n"
    (jayden,) = [p for p in read_note(text).persons if p.name.value.startswith("Jayden")]
    assert (jayden.roles, jayden.sex, jayden.initials) == (["child"], None, "JC")


def test_a_religion_or_local_after_a_cue_is_an_unrecognised_ethnicity() -> None:
    text = "Uncle Imran SADIQ (39), SDE Muslim. Darren PICKUP (about 50, ethnicity local).\n"
    assert [v.text for v in read_note(text).unrecognised_ethnicity] == ["Muslim", "local"]
    assert read_note("Sana IQBAL (16), SDE given by mum: A2.").unrecognised_ethnicity == []


def test_same_length_dash_rows_read_by_column() -> None:
    text = (
        "GREEN, Tasha - 03/09/1992 - W1 - subject\n"
        "OKORO, Femi - 21/03/1990 - I1 - partner, RP\n"
        "GREEN, Lola - 12/12/2017 - M2 - child\n"
    )
    assert [v.text for v in read_note(text).unrecognised_ethnicity] == ["I1"]


def test_a_pipe_title_line_and_a_babys_birth_in_the_prose() -> None:
    text = (
        "PPN DA | 02/02/2025 | 22:15 | 29 Hebble Court\n"
        "Rahel TESFAYE (dob 10/05/1995) gave birth on 16/04/24 to a girl, Selam HAILE.\n"
    )
    people = {p.name.value: p.dob and p.dob.value for p in read_note(text).persons}
    assert people == {"Rahel TESFAYE": "1995-05-10", "Selam HAILE": "2024-04-16"}


def test_an_ethnicity_given_for_all_of_a_family() -> None:
    three = (
        "Elena DUMITRU (41), Ion DUMITRU (44) and Skye DUMITRU (14, DOB 02/02/2011), at 58 Wharf "
        "Road. All three self-define as White Romanian (W9)."
    )
    assert [p.sde and p.sde.value for p in read_note(three).persons] == ["W9"] * 3
    four = "Grace OKORO (40), Daniel OKORO (9). The family self-define as Black African (B2)."
    assert [p.sde and p.sde.value for p in read_note(four).persons] == ["B2", "B2"]


def test_pipe_rows_without_a_header_and_surname_first() -> None:
    text = (
        "Subjects:\n"
        "ASHBY, Kyle | 07/09/2002 | 22 | W1 | suspect\n"
        "OKAFOR-BELL, Tyrese | 30/06/2009 | 15 | M1 | child victim (exploited)\n"
    )
    assert _people(text) == {
        "ASHBY, Kyle": ("2002-09-07", 22, "W1", False),
        "OKAFOR-BELL, Tyrese": ("2009-06-30", 15, "M1", True),
    }


def test_a_pipe_table_goes_by_column_count_not_position() -> None:
    text = (
        "Name | DOB | Age | SDE\n"
        "Sunita PATEL | 23/01/1986 | 38 | A1 Indian\n"
        "Diya PATEL | 19/02/2017 | 7yrs | A1\n"
    )
    record = read_note(text)
    assert _people(text) == {
        "Sunita PATEL": ("1986-01-23", 38, "A1", False),
        "Diya PATEL": ("2017-02-19", 7, "A1", True),
    }
    assert record.unrecognised_ethnicity == []


def test_where_the_values_came_from_is_no_value() -> None:
    text = "Children (SDE given by mum):\nLiam CARVER (7) W1\n"
    assert read_note(text).unrecognised_ethnicity == []


def test_a_pipe_rows_unknown_value_in_the_ethnicity_column_and_ns_as_a_reason() -> None:
    text = (
        "CHAPMAN, Lee | 02/01/2000 | 24 | local | suspect\n"
        "CHAPMAN, Amy | 02/01/2009 | 15 | W1 | victim\n"
        "Nicu (Nicolae SERBAN, about 45, NS as he wasn't there to ask) not found.\n"
    )
    record = read_note(text)
    assert [v.text for v in record.unrecognised_ethnicity] == ["local"]
    assert record.not_stated_without_reason == []


def test_a_dash_separated_field_list_gives_date_of_birth_and_age() -> None:
    text = (
        "### Persons\n"
        "Mariam AKHTAR - 02.10.2007 - 17 - British Pakistani\n"
        "Sana AKHTAR - 14.03.2010 - 14 - British Pakistani\n"
        "Log NM - 12/10/2024 - 2 officers attended\n"
    )
    assert _people(text) == {
        "Mariam AKHTAR": ("2007-10-02", 17, "A2", True),
        "Sana AKHTAR": ("2010-03-14", 14, "A2", True),
    }


def test_a_role_dash_list_with_an_age_and_a_code() -> None:
    text = (
        "Mother / IP - Oksana KOVALENKO - 31 - W9 Ukrainian\n"
        "Child - Tymon WROBEL - 3 (DOB 22.06.2020) - W9 (per mum)\n"
    )
    assert _people(text) == {
        "Oksana KOVALENKO": (None, 31, "W9", False),
        "Tymon WROBEL": ("2020-06-22", 3, "W9", True),
    }


def test_a_persons_list_label_is_no_ethnicity_code() -> None:
    text = "M1: male, 30s, seen dropping C1 at the forecourt. Not identified, SDE NS - not seen.\n"
    assert [v.value for v in read_note(text).ethnicity] == ["NS"]


def test_a_line_giving_all_of_them_one_ethnicity_after_the_list() -> None:
    text = (
        "Bridget McGINLEY, DOB 01/01/1990, says she is an Irish Traveller (W3).\n"
        "Children in the household:\n"
        "Thomas McGinley, 9\n"
        "Ellen McGinley, 6\n"
        "Bridget gave both as Irish Traveller (W3), same as herself.\n"
        "Mehreen AKHTAR (40) W1.\n"
        "Zara AKHTAR, 9\n"
        "Inaya AKHTAR, 5\n"
        "Mehreen says they are all British Pakistani (A2), same as her.\n"
    )
    people = _people(text)
    assert people["Thomas McGinley"][2] == people["Ellen McGinley"][2] == "W3"
    assert people["Zara AKHTAR"][2] == people["Inaya AKHTAR"][2] == "A2"


def test_a_code_shaped_value_no_code_names_at_the_end_of_a_persons_line() -> None:
    text = "Child - Kayden COLE - 6 (DOB 11/11/2017) - W7\nRoute - A5 - then M6\n"
    assert [v.text for v in read_note(text).unrecognised_ethnicity] == ["W7"]


def test_a_persons_label_used_as_a_name_is_no_code_but_a_bracketed_code_still_is() -> None:
    text = (
        "M1: driver, gave name as Ionut, approx 40, IC1.\n"
        "C1: female, approx 15, Kayla OSEI-GRANT, DOB 14/02/2010, says mixed (M1).\n"
        "M1 had 11 passports in a carrier bag.\n"
    )
    values = [(v.value, v.text) for v in read_note(text).ethnicity]
    assert ("M1", "M1") in values and len([v for v in values if v[1] == "M1"]) == 1


def test_the_next_sentence_gives_an_ns_reason_only_when_it_says_why() -> None:
    gone = "Levi LEE (DOB 09/11/1991) - ethnicity NS. He had driven off before we arrived.\n"
    assert [v.text for v in read_note(gone).not_stated_without_reason] == ["NS"]
    why = "Levi LEE (DOB 09/11/1991) - ethnicity NS. He refused to give it.\n"
    assert read_note(why).not_stated_without_reason == []


def test_ns_as_well_is_no_reason() -> None:
    text = "Dad Lee COLE (40), SDE NS as well. The children W1.\n"
    assert [v.text for v in read_note(text).not_stated_without_reason] == ["NS"]


def test_a_forename_that_is_also_a_stop_word_before_a_surname_and_a_value() -> None:
    text = "His sister An TRAN, 4 (DOB 02/02/2020), A9 per mum, was asleep. When BROWN arrived."
    assert _values_as_written(text) == {"An TRAN": ("02/02/2020", "4", "A9")}


def test_a_date_after_a_names_age_is_the_date_of_birth() -> None:
    text = (
        "x2 children:\n- Shania GREEN, 11, 28/02/2013 - M1 (per dad)\n"
        "- Zion ANDERSON, 6, 09/06/2017 - M1\n"
    )
    assert _values_as_written(text) == {
        "Shania GREEN": ("28/02/2013", "11", "M1"),
        "Zion ANDERSON": ("09/06/2017", "6", "M1"),
    }


def test_a_title_word_and_a_joined_ethnicity_are_no_people() -> None:
    text = (
        "Adult at risk - financial abuse. Note by DC 3318 HALE, 19/08/2025.\n"
        "His daughter, Ewa NOWAK-HILL, 52, who self-defines as Polish-British (W9), reported it."
    )
    assert _values_as_written(text) == {"Ewa NOWAK-HILL": (None, "52", "W9")}


def test_a_surname_ending_in_a_diacritic_keeps_its_age_and_roma_is_w9() -> None:
    text = "Kids: Patrik GAZI (11), Natália GAZIOVÁ (8). Mum Jana GAZIOVÁ (35) - Roma.\n"
    assert _values_as_written(text) == {
        "Patrik GAZI": (None, "11", None),
        "Natália GAZIOVÁ": (None, "8", None),
        "Jana GAZIOVÁ": (None, "35", "W9"),  # Roma: W9, as families and both readers code it
    }


def test_a_surname_alone_is_the_person_who_has_it() -> None:
    text = (
        "Driver - Dean FLETCHER, DOB 02/06/1987 (37), W1.\n"
        "Passenger - Anna WOJCIK, DOB 20/10/1991 (33), W9. Partner of Fletcher, 4 yrs.\n"
    )
    assert _values_as_written(text) == {
        "Dean FLETCHER": ("02/06/1987", "37", "W1"),
        "Anna WOJCIK": ("20/10/1991", "33", "W9"),
    }


def test_nominal_lines_with_slashes_and_an_age_slash_code_bracket() -> None:
    text = (
        "Nominals:\nBROOKES/Kayleigh/12.04.1994/F/W1/IP\n"
        "HALE/Maisie/21.01.2018/F/W1/child present (7)\nBROOKES/Janet//F/W1/IP's mother, aged 58\n"
        "KAYA/Baran/05.02.2013/M/foreign/child witness (12)\nELLIS/Mark/16.07.1979/M/IC1/father\n"
    )
    note = read_note(text)
    assert _values_as_written(text) == {
        "BROOKES/Kayleigh": ("12.04.1994", None, "W1"),
        "HALE/Maisie": ("21.01.2018", "7", "W1"),
        "BROOKES/Janet": (None, "58", "W1"),
        "KAYA/Baran": ("05.02.2013", "12", None),
        "ELLIS/Mark": ("16.07.1979", None, None),
    }
    assert [v.text for v in note.unrecognised_ethnicity] == ["foreign"]
    assert [v.text for v in note.officer_defined] == ["IC1"]  # an IC code is no SDE value
    text = "Family: Mum Sahra NUR (31 / B2) and Nasra HASSAN (8 / B2)."
    assert _values_as_written(text) == {
        "Sahra NUR": (None, "31", "B2"),
        "Nasra HASSAN": (None, "8", "B2"),
    }


def test_an_age_after_who_is_and_a_forename_that_is_a_month() -> None:
    text = (
        "His sister Ffion BEVAN who is 11 and White Welsh per mum was at home. "
        "Her brother Jun CHEN, 9 y/o (A4), was asleep."
    )
    assert _values_as_written(text) == {
        "Ffion BEVAN": (None, "11", "W1"),
        "Jun CHEN": (None, "9", "A4"),
    }


def test_a_line_saying_where_the_values_came_from_is_no_value() -> None:
    note = read_note("SDE: Chidi and Ifeoma self-defined; Tobenna as recorded by his SW.")
    assert note.unrecognised_ethnicity == []


def test_a_numbered_persons_entry_line_keeps_its_ethnicity_after_a_full_stop() -> None:
    # "P2 -" is a role label with a digit: the line is still that person's entry
    text = (
        "P1 - Keira DALE, 15 (DOB 14/10/2008), I/P. Self-defines as White Irish (W2).\n"
        "P2 - Marta DALE, 40, Keira's mum. White British (W1).\n"
        "P3 - Ashley TURNER, 23, S/P. Not spoken to.\n"
    )
    assert _sde(text) == {"Keira DALE": "W2", "Marta DALE": "W1", "Ashley TURNER": None}


def test_a_self_description_cue_opening_a_sentence_is_no_name() -> None:
    text = (
        "Zainab HUSSAIN, 17 (DOB 25.12.2006). Self-described British Pakistani.\n"
        "IP: Rojin KAYA, 26. Self-identified as Kurdish."
    )
    assert _sde(text) == {"Zainab HUSSAIN": "A2", "Rojin KAYA": "O9"}


def test_a_line_closing_a_list_gives_its_code_to_the_people_listed_above() -> None:
    text = (
        'Kathleen BOSWELL (mum, DOB 09/04/1986) says "we\'re Irish Travellers" (W3).\n\n'
        "Children in the household:\n"
        "Bridget BOSWELL, 16 (DOB 01/05/2009)\n"
        "Winnie BOSWELL - 10yrs\n"
        "All W3 as Kathleen gave it.\n"
    )
    assert _sde(text) == {"Kathleen BOSWELL": "W3", "Bridget BOSWELL": "W3", "Winnie BOSWELL": "W3"}
    # a name before the value on the line is a person's own entry, not who gave it
    own = "Bridget BOSWELL, 16\nWinnie BOSWELL, 10\nAll of them met Kathleen, W3.\n"
    assert _sde(own)["Bridget BOSWELL"] is None


def test_an_age_in_days_is_a_babys() -> None:
    text = (
        "Fatima OSMAN, 29, gave birth to her second daughter, Hawa OSMAN, on 12 May "
        "(now 12 days old)."
    )
    ages = {p.name.value: p.age.value if p.age else None for p in read_note(text).persons}
    assert ages == {"Fatima OSMAN": 29, "Hawa OSMAN": 0}
    # a number of days with no "old" is a duration
    assert read_note("Kai JONES, 14, was missing for 3 days.").persons[0].age.value == 14


def test_a_date_of_birth_line_with_no_colon_under_a_name_is_the_names() -> None:
    text = (
        "Return home - Callum WESTWOOD\nDOB 27.06.2008 (15) | SDE W1 White British\n"
        "Log: MP/24/03561\n\nMissing from: home address."
    )
    (person,) = read_note(text).persons
    assert (person.name.value, person.age.value, person.sde.value) == ("Callum WESTWOOD", 15, "W1")
    # a line of prose under a name is no attribute line
    prose = "Callum WESTWOOD\nDid not come home until 27.06.2024 (15 hours later).\n"
    assert all(p.age is None for p in read_note(prose).persons)


def test_code_shaped_and_quoted_non_values_are_unrecognised_ethnicity() -> None:
    def unrecognised(text: str) -> list[str]:
        return [v.text for v in read_note(text).unrecognised_ethnicity]

    assert unrecognised("Male is the dad, Lee JARVIS 40 (W7). Kids fine.") == ["W7"]
    assert unrecognised("Lee JARVIS 40 (W1). Took the A4 (B4) north to flat 12 (B5).") == []
    quoted = 'Callum and his father both gave their ethnicity as "normal", as I have recorded.'
    assert unrecognised(quoted) == ["normal"]
    assert unrecognised('She gave her ethnicity as "White British".') == []
    # a quoted answer to the question that names no ethnicity
    asked = "Mum Gemma TOWLER (23, said 'local' when I asked her ethnicity) answered."
    assert unrecognised(asked) == ["local"]
    answer = (
        'When I asked Gemma how she describes her ethnicity she said "Brackenford born and bred".'
    )
    assert unrecognised(answer) == ["Brackenford born and bred"]
    assert unrecognised('When I asked her ethnicity she said "I\'m Nigerian".') == []


def test_a_role_before_a_name_and_bare_kids_before_a_code() -> None:
    text = (
        "CHILDREN - Brooke 8, DOB 12/04/2015. Riley 5, DOB 20/09/2018.\n"
        "Tenant Kevin DALE, 52, in the back bedroom.\n\n"
        "ETHNICITY - Kevin W1. Kids W1 per mum.\n"
    )
    assert _sde(text) == {"Brooke": "W1", "Riley": "W1", "Kevin DALE": "W1"}


def test_field_words_opening_a_line_or_sentence_are_no_people() -> None:
    text = (
        "Subject: Sara MIAH, aged 17. Diversity: SM describes herself as British "
        "Bangladeshi (A3).\n"
        "Father: Abdul MIAH, aged 49. Diversity: Bangladeshi (A3), given by SM.\n"
        "Family (SDE A3 for all). Spoke through Language Line (Sylheti).\n"
    )
    assert _sde(text) == {"Sara MIAH": "A3", "Abdul MIAH": "A3"}


def test_languages_and_interpreting_services_are_no_people() -> None:
    text = (
        "Nilufar AHMED, 34 (A3), spoke through Language Line (Sylheti). Her son Rafi AHMED, 9, "
        "speaks Punjabi and Gujarati at school. Circs: as above."
    )
    assert [p.name.value for p in read_note(text).persons] == ["Nilufar AHMED", "Rafi AHMED"]


def test_both_described_as_gives_the_two_people_named_before_it_the_value() -> None:
    text = (
        "The children are Lacey FROST, DOB 22/04/2017 (7), and Tommy COLE, DOB 10/10/2020 (3), "
        "both described by Danielle as White British. Sami HADDAD (35) describes both his "
        "children as Arab (O2): Omar HADDAD, 6, and Lina HADDAD, 4 months."
    )
    sde = _sde(text)
    assert sde["Lacey FROST"] == sde["Tommy COLE"] == "W1"
    two = "Omar HADDAD (6) and Lina HADDAD (4 months); Sami describes both as Arab (O2)."
    assert set(_sde(two).values()) == {"O2"}


def test_a_date_right_after_a_surname_is_a_date_of_birth_unless_it_is_recent() -> None:
    def dobs(text: str) -> dict[str, str | None]:
        return {p.name.value: p.dob.value if p.dob else None for p in read_note(text).persons}

    text = "Attended 12/03/2024.\nTenant: Gary SUTCLIFFE 12/01/1972, SDE W1 (White British)."
    assert dobs(text) == {"Gary SUTCLIFFE": "1972-01-12"}
    # the day of the incident after a name is no birth
    assert (
        dobs("Seen 12/03/2024: Gary SUTCLIFFE 12/03/2024, at home, W1.").get("Gary SUTCLIFFE")
        is None
    )
    ages = (
        "Dad - Tariq IQBAL, approx 51, lives Bradford. "
        "Rm 5 - Florin RUSU 38 and Ana RUSU 36, both W9."
    )
    assert {p.name.value: p.age.value for p in read_note(ages).persons if p.age} == {
        "Tariq IQBAL": 51,
        "Florin RUSU": 38,
        "Ana RUSU": 36,
    }


@pytest.mark.parametrize("role", ["Neighbour", "Friend", "Cousin", "Warden", "Driver", "Flatmate"])
def test_a_role_word_before_a_name_is_no_part_of_it(role: str) -> None:
    note = f"{role} Margaret LOWE, DOB 28/04/1951 (74), self-defines as White British (W1)."
    assert [p.name.value for p in read_note(note).persons] == ["Margaret LOWE"]


def test_the_son_or_daughter_of_an_older_adult_is_not_taken_for_a_child() -> None:
    note = (
        "Desmond CAMPBELL, DOB 17/06/1944 (81), self-defines as Black Caribbean (B1), lives "
        "alone. Desmond's daughter, Marcia CAMPBELL-REID (self-defines as Black British "
        "Caribbean, B1), came from Holt at 04:00. Mum Leanne DAY (31, W1) and her daughter "
        "Kayla DAY (W1) were next door."
    )
    child = {p.name.value: p.child for p in read_note(note).persons}
    assert child["Marcia CAMPBELL-REID"] is None  # an 81-year-old's daughter
    assert child["Kayla DAY"] is True  # a 31-year-old's daughter, no age given


def test_a_date_after_a_name_and_a_dash_is_no_age() -> None:
    note = (
        "MISSING - Dante CLARKE - 23-02-24 to 25-02-24\n"
        "mum Michelle CLARKE (39, B1) reports son Dante CLARKE (14, DOB 02/07/2009) not home."
    )
    ages = {p.name.value: p.age_years for p in read_note(note).persons}
    assert ages["Dante CLARKE"] == 14
    listed = read_note("Mother - Agnieszka NOWAK - 33 - W9 Polish").persons
    assert [p.age_years for p in listed] == [33]


def test_ns_in_the_code_slot_after_an_age_and_a_bad_code_between_commas() -> None:
    note = "Who:\nIP - Natalie BRIGGS, 34yrs. W1.\nDP - Lee BRIGGS, 36yrs. NS.\n"
    record = read_note(note)
    assert [(p.name.value, p.sde.value if p.sde else None) for p in record.persons] == [
        ("Natalie BRIGGS", "W1"),
        ("Lee BRIGGS", "NS"),
    ]
    assert [v.text for v in record.not_stated_without_reason] == ["NS"]
    bad = read_note("His dad is Khaled SALEH, 47, O4, who came here from Yemen in 2009.")
    assert [v.text for v in bad.unrecognised_ethnicity] == ["O4"]
    good = read_note("His dad is Khaled SALEH, 47, O2, who came here from Yemen in 2009.")
    assert good.unrecognised_ethnicity == [] and good.persons[0].sde is not None
