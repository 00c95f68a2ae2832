"""JSON, JSON lines and plain-text notes: one item per record, errors without text."""

from __future__ import annotations

import json
from pathlib import Path

from ppncheck.read import ReadNotices, read_path
from ppncheck.read.jsonfile import NOT_OBJECT


def test_json_single_object(tmp_path: Path) -> None:
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"ppn_id": "P1"}), encoding="utf-8")
    got = list(read_path(p))
    assert [(i.row, i.payload, i.error, i.source) for i in got] == [
        (1, {"ppn_id": "P1"}, None, "one.json")
    ]


def test_json_list_with_a_non_object_element(tmp_path: Path) -> None:
    p = tmp_path / "many.json"
    p.write_text(
        json.dumps([{"ppn_id": "P1"}, "Secret narrative", 3, {"ppn_id": "P4"}]),
        encoding="utf-8-sig",
    )
    got = list(read_path(p))
    # a string is a free-text note (record-format.md section 1); a number is neither
    assert [(i.row, i.error) for i in got] == [(1, None), (2, None), (3, NOT_OBJECT), (4, None)]
    assert got[1].payload == "Secret narrative"
    assert got[3].payload == {"ppn_id": "P4"}
    assert "Secret" not in NOT_OBJECT


def test_invalid_json_is_one_error_item_with_a_position(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('[\n  {"ppn_id": "P1"},\n  {"ppn_id": "Jane Doe" oops}\n]', encoding="utf-8")
    got = list(read_path(p))
    assert len(got) == 1
    assert got[0].error == "not valid JSON at line 3 column 25"
    assert "Jane" not in got[0].error


def test_undecodable_json_bytes(tmp_path: Path) -> None:
    p = tmp_path / "latin.json"
    p.write_bytes('{"circumstances": "Zoë"}'.encode("latin-1"))
    got = list(read_path(p))
    assert got[0].payload is None
    assert got[0].error is not None and got[0].error.startswith("not UTF-8 text")


def test_jsonl_lines_blank_lines_and_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "day.jsonl"
    p.write_bytes(
        b'\xef\xbb\xbf{"ppn_id": "P1"}\r\n'
        b"\n"
        b'{"ppn_id": "P3"\n'
        b"[1, 2]\n"
        b'{"circumstances": "Zo\xeb"}\n'
        b'{"ppn_id": "P6"}'
    )
    got = list(read_path(p))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (3, "not valid JSON at column 16"),
        (4, NOT_OBJECT),
        (5, "not UTF-8 text (byte 22)"),
        (6, None),
    ]
    assert got[-1].payload == {"ppn_id": "P6"}


def test_ndjson_suffix_and_mapping_notice(tmp_path: Path) -> None:
    from ppncheck.read import parse_mapping

    p = tmp_path / "x.ndjson"
    p.write_text('{"ppn_id": "P1"}\n', encoding="utf-8")
    notices = ReadNotices()
    mapping = parse_mapping('version = 1\n[fields]\nppn_id = "Ref"\n')
    assert [i.payload for i in read_path(p, mapping=mapping, notices=notices)] == [{"ppn_id": "P1"}]
    assert notices.messages == [
        "x.ndjson: the column mapping applies to CSV and XLSX files only; ignored"
    ]


def test_text_note_is_one_free_text_item(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_bytes("Appearance: clean\r\nWords: “I’m fine”".encode("cp1252"))
    notices = ReadNotices()
    got = list(read_path(p, notices=notices))
    assert [(i.row, i.payload) for i in got] == [(1, "Appearance: clean\r\nWords: “I’m fine”")]
    assert notices.messages == ["note.txt: decoded as cp1252 because it is not valid UTF-8"]
    empty = tmp_path / "blank.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert list(read_path(empty)) == []


# -- issue 18: each JSON record is bounded on its own --------------------------------------


def test_jsonl_depth_big_integer_and_half_character_cost_one_line_each(tmp_path: Path) -> None:
    from ppncheck.read.jsonfile import MAX_LINE_BYTES

    p = tmp_path / "hostile.jsonl"
    lines = [
        '{"ppn_id": "P1"}',
        "[" * 10_000 + "]" * 10_000,
        '{"ppn_id": "P3", "persons": [{"age_years": ' + "9" * 5_000 + "}]}",
        '{"ppn_id": "\\ud800 Secret"}',
        '{"ppn_id": "P5 \\ud83d\\ude00"}',  # a whole character written as a pair: fine
        '{"ppn_id": "P6", "age": NaN}',
        '{"a": ' * 101 + "1" + "}" * 101,
        '{"ppn_id": "P8", "note": "' + "x" * MAX_LINE_BYTES + '"}',
        '{"ppn_id": "P9"}',
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(read_path(p))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "nested more than 100 levels deep"),
        (3, "a number has more than 100 digits"),
        (4, "a \\u escape in it is an unpaired surrogate, half of a character"),
        (5, None),
        (6, "NaN and Infinity are not valid JSON"),
        (7, "nested more than 100 levels deep"),
        (8, f"line is longer than the {MAX_LINE_BYTES:,}-byte limit"),
        (9, None),
    ]
    assert got[4].payload == {"ppn_id": "P5 \U0001f600"}
    assert got[-1].payload == {"ppn_id": "P9"}


def test_json_list_elements_are_bounded_one_by_one(tmp_path: Path) -> None:
    p = tmp_path / "list.json"
    p.write_text(
        '[{"ppn_id": "P1"}, {"x": ' + "1" * 500 + '}, {"ppn_id": "\\udfff"}, {"ppn_id": "P4"}]',
        encoding="utf-8",
    )
    got = list(read_path(p))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "a number has more than 100 digits"),
        (3, "a \\u escape in it is an unpaired surrogate, half of a character"),
        (4, None),
    ]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    assert [(i.row, i.error) for i in read_path(deep)] == [(1, "nested more than 100 levels deep")]
