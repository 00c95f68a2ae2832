"""CSV exports as forces produce them: encodings, delimiters, multi-line cells, broken rows."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from ppncheck.read import MappingError, ReadError, ReadNotices, parse_mapping, read_path

HEADER = ["ppn_id", "incident_reference", "circumstances", "officer.collar_number"]
MAPPING = parse_mapping(
    """
version = 1
[fields]
ppn_id = "PPN Ref"
circumstances = "Circumstances"
"officer.name" = "Officer"
"""
)


def write(
    path: Path,
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def items(path: Path, **kwargs: object) -> tuple[list, ReadNotices]:
    notices = ReadNotices()
    return list(read_path(path, notices=notices, **kwargs)), notices  # type: ignore[arg-type]


def test_utf8_with_bom_keeps_the_first_header_name(tmp_path: Path) -> None:
    p = write(
        tmp_path / "a.csv", [HEADER, ["P1", "L1", "Zoë’s café", "1234"]], encoding="utf-8-sig"
    )
    got, notices = items(p)
    assert [i.payload["ppn_id"] for i in got] == ["P1"]  # not "\ufeffppn_id"
    assert got[0].payload["circumstances"] == "Zoë’s café"
    assert notices.messages == []


def test_cp1252_is_decoded_and_reported_without_text(tmp_path: Path) -> None:
    rows = [HEADER, ["P1", "L1", "Siân said “stop” – £20", "1234"]]
    p = write(tmp_path / "win.csv", rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        p.read_bytes().decode("utf-8")
    got, notices = items(p)
    assert got[0].payload["circumstances"] == "Siân said “stop” – £20"
    assert len(notices.messages) == 1
    assert "decoded as cp1252" in notices.messages[0]
    assert "Siân" not in notices.messages[0]


def test_cp1252_byte_deep_in_the_file_costs_nothing_else(tmp_path: Path) -> None:
    rows = [HEADER] + [[f"P{i}", "L", "plain text", "1"] for i in range(6000)]
    rows.append(["P-last", "L", "Chloé", "1"])
    p = write(tmp_path / "late.csv", rows, encoding="cp1252")
    got, notices = items(p)
    assert len(got) == 6001 and all(i.error is None for i in got)
    assert got[-1].payload["circumstances"] == "Chloé"
    assert notices.messages == [
        "late.csv: decoded as cp1252 (Windows-1252) because not valid UTF-8: row 6001"
    ]


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_sniffed_even_with_commas_in_narratives(
    tmp_path: Path, delimiter: str
) -> None:
    rows = [
        HEADER,
        ["P1", "L1", "Mum, dad, and two children; all seen", "1234"],
        ["P2", "L2", "Nothing, really, to add", "99"],
    ]
    p = write(tmp_path / "d.csv", rows, delimiter=delimiter)
    got, _ = items(p)
    assert [i.error for i in got] == [None, None]
    assert got[0].payload["circumstances"] == "Mum, dad, and two children; all seen"
    assert got[1].payload["officer"] == {"collar_number": "99"}


def test_quoted_multi_line_cells_and_crlf(tmp_path: Path) -> None:
    narrative = 'Line one.\r\nLine two, with a comma.\r\n\r\n"Quoted" line three.'
    rows = [HEADER, ["P1", "L1", narrative, "1"], ["P2", "L2", "short", "2"]]
    p = write(tmp_path / "m.csv", rows)
    got, _ = items(p)
    assert [i.row for i in got] == [1, 2]  # data rows, not physical lines
    assert got[0].payload["circumstances"] == narrative
    assert got[1].payload["ppn_id"] == "P2"


def test_ragged_row_is_an_error_item_without_its_text(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["P1", "L1", "fine", "1"],
        ["P2", "L2", "Secret Name", "2", "extra"],
        ["P3", "L3", "fine"],
        ["P4", "L4", "fine", "4"],
    ]
    got, _ = items(write(tmp_path / "r.csv", rows))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "row has 5 cells, header has 4"),
        (3, "row has 3 cells, header has 4"),
        (4, None),
    ]
    assert got[1].payload is None and got[1].source == "r.csv"


def test_empty_file_gives_no_items_and_a_notice(tmp_path: Path) -> None:
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    got, notices = items(p)
    assert got == []
    assert notices.messages == ["empty.csv: the file is empty"]


def test_header_only_gives_no_items(tmp_path: Path) -> None:
    got, notices = items(write(tmp_path / "h.csv", [HEADER]))
    assert got == []
    assert notices.messages == []


def test_one_broken_row_among_a_thousand_keeps_order(tmp_path: Path) -> None:
    rows: list[list[str]] = [HEADER]
    for i in range(1, 1001):
        row = [f"P{i:04d}", f"L{i}", f"note {i}", str(i)]
        if i == 517:
            row.append("stray")
        rows.append(row)
    got, _ = items(write(tmp_path / "k.csv", rows))
    assert len(got) == 1000
    assert [i.row for i in got] == list(range(1, 1001))
    broken = [i for i in got if i.error]
    assert [(b.row, b.error) for b in broken] == [(517, "row has 5 cells, header has 4")]
    readable = [i.payload["ppn_id"] for i in got if i.payload]
    assert len(readable) == 999
    assert readable == [f"P{i:04d}" for i in range(1, 1001) if i != 517]


def test_blank_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    rows = [HEADER, ["P1", "L1", "x", "1"], ["", "", "", ""], ["P2", "L2", "y", "2"]]
    got, notices = items(write(tmp_path / "b.csv", rows))
    assert [i.row for i in got] == [1, 3]
    assert notices.messages == ["b.csv: skipped 1 empty row"]


def test_path_header_csv_needs_no_mapping(tmp_path: Path) -> None:
    header = [
        "ppn_id",
        "ppn_types",
        "incident_start",
        "persons[0].person_id",
        "persons[0].roles",
        "persons[0].sde_code",
        "persons[0].age_years",
        "persons[1].person_id",
        "persons[1].roles",
        "voice_of_child[0].child_person_id",
        "voice_of_child[0].seen",
        "voice_of_child[0].spoken_to",
        "voice_of_child[0].aware.words",
        "officer.collar_number",
        "referrals",
    ]
    row = [
        "P1",
        "domestic_abuse; Child Concern",
        "20/11/2026 14:05",
        "c1",
        "child_in_household",
        "w1",
        "7",
        "a1",
        "victim;parent_carer",
        "c1",
        "yes",
        "No",
        'She said "go away"',
        "1234",
        "",
    ]
    got, _ = items(write(tmp_path / "paths.csv", [header, row]))
    assert got[0].payload == {
        "ppn_id": "P1",
        "ppn_types": ["domestic_abuse", "child_concern"],
        "incident_start": "2026-11-20T14:05:00",
        "persons": [
            {"person_id": "c1", "roles": ["child_in_household"], "sde_code": "W1", "age_years": 7},
            {"person_id": "a1", "roles": ["victim", "parent_carer"]},
        ],
        "voice_of_child": [
            {
                "child_person_id": "c1",
                "seen": True,
                "spoken_to": False,
                "aware": {"words": 'She said "go away"'},
            },
        ],
        "officer": {"collar_number": "1234"},
    }


def test_path_header_values_that_do_not_convert_pass_through(tmp_path: Path) -> None:
    header = ["ppn_id", "persons[0].age_years", "voice_of_child[0].seen", "submitted_at"]
    got, _ = items(write(tmp_path / "p.csv", [header, ["P1", "seven", "maybe", "31/02/2026"]]))
    assert got[0].payload == {
        "ppn_id": "P1",
        "persons": [{"age_years": "seven"}],
        "voice_of_child": [{"seen": "maybe"}],
        "submitted_at": "31/02/2026",
    }


def test_path_header_gaps_in_list_indexes_are_closed(tmp_path: Path) -> None:
    header = ["ppn_id", "persons[0].forename", "persons[2].forename"]
    got, _ = items(write(tmp_path / "g.csv", [header, ["P1", "", "Ann"]]))
    assert got[0].payload == {"ppn_id": "P1", "persons": [{"forename": "Ann"}]}


def test_force_columns_without_a_mapping_are_a_file_error(tmp_path: Path) -> None:
    p = write(tmp_path / "force.csv", [["PPN Ref", "Circumstances"], ["P1", "x"]])
    with pytest.raises(MappingError, match="no column mapping"):
        list(read_path(p))


def test_mapping_applies_and_missing_columns_are_all_named(tmp_path: Path) -> None:
    p = write(tmp_path / "f.csv", [["PPN Ref", "Circumstances", "Officer"], ["P1", "x", "Jo"]])
    got = list(read_path(p, mapping=MAPPING))
    assert got[0].payload == {"ppn_id": "P1", "circumstances": "x", "officer": {"name": "Jo"}}

    q = write(tmp_path / "g.csv", [["ppn ref", "Narrative"], ["P1", "x"]])
    with pytest.raises(MappingError) as exc:
        list(read_path(q, mapping=MAPPING))
    assert exc.value.problems == [
        "column 'Circumstances' (mapped to circumstances) is not in the header",
        "column 'Officer' (mapped to officer.name) is not in the header",
    ]


def test_missing_file_and_unknown_suffix_raise_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_path(tmp_path / "nope.csv")
    (tmp_path / "x.docx").write_bytes(b"x")
    with pytest.raises(ReadError, match="unknown file type"):
        read_path(tmp_path / "x.docx")


def test_utf16_excel_unicode_text(tmp_path: Path) -> None:
    rows = [HEADER, ["P1", "L1", "Łucja", "1"]]
    p = write(tmp_path / "u.csv", rows, delimiter="\t", encoding="utf-16")
    got, notices = items(p)
    assert got[0].payload["circumstances"] == "Łucja"
    assert notices.messages == []


# -- issue 18: the unit of failure is the row --------------------------------------------

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "export"


def _export_lines() -> list[bytes]:
    raw = (EXPORT / "ppn_export_2026-11-20.csv").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 202  # header, 200 one-line rows, final CRLF
    return lines


def _export_items(path: Path) -> tuple[list, ReadNotices]:
    from ppncheck.read import load_mapping

    return items(path, mapping=load_mapping(EXPORT / "mapping.toml"))


def test_bom_and_one_cp1252_byte_cost_no_row_of_the_example_export(tmp_path: Path) -> None:
    lines = _export_lines()
    assert lines[0].startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8"
    lines[5] = lines[5].replace(b"Graded", b"Grad\xe9d", 1)  # a cp1252 e-acute in row 5
    p = tmp_path / "export.csv"
    p.write_bytes(b"\r\n".join(lines))
    got, notices = _export_items(p)
    assert [i.row for i in got] == list(range(1, 201))
    assert got[4].error is None and "Gradéd" in got[4].payload["rationale"]
    assert [i.row for i in got if i.error] == [42, 139]  # the export's own two ragged rows
    assert notices.messages == [
        "export.csv: decoded as cp1252 (Windows-1252) because not valid UTF-8: row 5"
    ]


def test_a_row_that_is_neither_utf8_nor_cp1252_is_ppn000_at_its_row(tmp_path: Path) -> None:
    body = "ppn_id,circumstances\r\nP1,fine\r\nP2,caf\u00e9\r\n".encode()
    body += b"P3,\x81\x8d secret\r\nP4,fine\r\n"  # 0x81 and 0x8D are undefined in cp1252
    p = tmp_path / "bad.csv"
    p.write_bytes(body)
    got, notices = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, None),
        (3, "row is not valid UTF-8 or Windows-1252 text"),
        (4, None),
    ]
    assert got[1].payload["circumstances"] == "café"
    assert notices.messages == []


def test_a_bad_utf16_unit_costs_only_its_row(tmp_path: Path) -> None:
    good = "\t".join(HEADER) + "\r\n" + "P1\tL1\tŁucja\t1\r\n"
    body = codecs.BOM_UTF16_LE + good.encode("utf-16-le")
    body += "P2\tL2\t".encode("utf-16-le") + b"\x00\xd8" + "x\t2\r\n".encode("utf-16-le")
    body += "P3\tL3\tok\t3\r\n".encode("utf-16-le")
    p = tmp_path / "u16.csv"
    p.write_bytes(body)
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "row is not valid UTF-16 text"),
        (3, None),
    ]
    assert got[2].payload["circumstances"] == "ok"


UNCLOSED = 'a quoted cell is not closed (an unmatched ") and ran into the rows after it'


def test_unclosed_quote_mid_file_no_longer_swallows_the_rows_after_it(tmp_path: Path) -> None:
    body = (
        "ppn_id,incident_reference,circumstances,officer.collar_number\r\n"
        "P1,L1,fine,1\r\n"
        "P2,L2,fine,2\r\n"
        'P3,L3,"Mum said stop,3\r\n'  # the quote is never closed
        "P4,L4,fine,4\r\n"
        "P5,L5,fine,5\r\n"
    )
    p = tmp_path / "q.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, None),
        (3, UNCLOSED),
        (4, None),
        (5, None),
    ]
    assert [i.payload["ppn_id"] for i in got if i.payload] == ["P1", "P2", "P4", "P5"]
    assert all("Mum" not in (i.error or "") for i in got)


def test_unclosed_quote_before_legitimate_quoted_cells(tmp_path: Path) -> None:
    body = (
        "ppn_id,incident_reference,circumstances,officer.collar_number\r\n"
        'P1,L1,"a, b",1\r\n'
        'P2,L2,"stray,2\r\n'
        "P3,L3,fine,3\r\n"
        'P4,L4,"Line one.\r\nLine two, with ""quotes"".",4\r\n'
        'P5,L5,"c, d",5\r\n'
    )
    p = tmp_path / "q2.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, UNCLOSED),
        (3, None),
        (4, None),
        (5, None),
    ]
    assert got[3].payload["circumstances"] == 'Line one.\r\nLine two, with "quotes".'


def test_unclosed_quote_in_the_example_export(tmp_path: Path) -> None:
    lines = _export_lines()
    # row 60's last cell starts a quote that is never closed: it runs on into row 61
    assert lines[60].count(b'"') % 2 == 0
    cut = lines[60].rindex(b",") + 1
    lines[60] = lines[60][:cut] + b'"' + lines[60][cut:]
    p = tmp_path / "export.csv"
    p.write_bytes(b"\r\n".join(lines))
    got, _ = _export_items(p)
    assert [i.row for i in got] == list(range(1, 201))
    assert [(i.row, i.error) for i in got if i.error][1] == (60, UNCLOSED)
    assert [i.row for i in got if i.error] == [42, 60, 139]
    assert got[60].payload["ppn_id"] == "PPN-261120-00061"


def test_unclosed_quote_in_the_last_row_is_ppn000(tmp_path: Path) -> None:
    body = 'ppn_id,circumstances\r\nP1,fine\r\nP2,"never closed\r\n'
    p = tmp_path / "end.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, 'a quoted cell is not closed (an unmatched ") before the end of the file'),
    ]


def test_multi_line_ragged_row_stays_one_row(tmp_path: Path) -> None:
    narrative = "Line one.\r\nLine two, with a comma.\r\nP9,L9,looks like,a row"
    rows = [HEADER, ["P1", "L1", narrative, "1", "extra"], ["P2", "L2", "short", "2"]]
    got, _ = items(write(tmp_path / "m.csv", rows))
    assert [(i.row, i.error) for i in got] == [(1, "row has 5 cells, header has 4"), (2, None)]


def test_quoted_field_over_the_old_131072_limit_is_one_row(tmp_path: Path) -> None:
    long = ("A very long narrative line.\r\n" * 8_000)[:200_000]
    rows = [HEADER, ["P1", "L1", "short", "1"], ["P2", "L2", long, "2"], ["P3", "L3", "x", "3"]]
    before = csv.field_size_limit()
    got, _ = items(write(tmp_path / "long.csv", rows))
    assert [(i.row, i.error) for i in got] == [(1, None), (2, None), (3, None)]
    assert got[1].payload["circumstances"] == long
    assert csv.field_size_limit() == before  # the process-wide limit is put back


def test_row_over_the_row_limit_is_ppn000_and_the_next_rows_are_read(tmp_path: Path) -> None:
    from ppncheck.read.csvfile import MAX_ROW_CHARS

    huge = "word, " * (MAX_ROW_CHARS // 6 + 10)
    body = f'ppn_id,circumstances\r\nP1,fine\r\nP2,"{huge}\r\n{huge}"\r\nP3,fine\r\n'
    p = tmp_path / "huge.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, f"row is longer than the {MAX_ROW_CHARS:,}-character limit"),
        (3, None),
    ]
    # one physical line longer than the limit, unquoted
    p.write_text(
        f"ppn_id,circumstances\r\nP1,{'x' * (MAX_ROW_CHARS + 5)}\r\nP2,ok\r\n", encoding="utf-8"
    )
    got, _ = items(p)
    assert [(i.row, i.error is None) for i in got] == [(1, False), (2, True)]
    assert got[1].payload["circumstances"] == "ok"


def test_several_unclosed_quotes_in_a_row_are_each_their_own_row(tmp_path: Path) -> None:
    body = (
        "ppn_id,incident_reference,circumstances,officer.collar_number\r\n"
        "P1,L1,fine,1\r\n"
        'P2,L2,"stray,2\r\n'
        'P3,L3,"another,3\r\n'
        'P4,"L4,also,4\r\n'
        "P5,L5,fine,5\r\n"
        'P6,L6,"x, y",6\r\n'
    )
    p = tmp_path / "q3.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, UNCLOSED),
        (3, UNCLOSED),
        (4, UNCLOSED),
        (5, None),
        (6, None),
    ]
    assert got[5].payload["circumstances"] == "x, y"


def test_stray_quote_closed_by_a_later_cells_quote_loses_no_row(tmp_path: Path) -> None:
    # Row 2's quote is never closed; row 4's unescaped inch mark (5") closes it just before a
    # delimiter, so csv.reader reads rows 2-4 as one well-formed row of the right width.
    body = (
        "ppn_id,incident_reference,circumstances,officer.collar_number\r\n"
        "P1,L1,fine,1\r\n"
        'P2,L2,"stray open,2\r\n'
        "P3,L3,fine,3\r\n"
        'P4,L4,height 5",4\r\n'
        "P5,L5,fine,5\r\n"
    )
    p = tmp_path / "pair.csv"
    p.write_text(body, encoding="utf-8")
    got, _ = items(p)
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, UNCLOSED),
        (3, None),
        (4, None),
        (5, None),
    ]
    assert [i.payload["ppn_id"] for i in got if i.payload] == ["P1", "P3", "P4", "P5"]
    assert got[3].payload["circumstances"] == 'height 5"'
    assert all("stray" not in (i.error or "") for i in got)


def test_stray_quote_pairing_in_the_example_export(tmp_path: Path) -> None:
    lines = _export_lines()
    # rows 99 and 100 hold no quote: row 99's first cell gains an opening quote and row 100's
    # first cell a closing one, so read leniently the two would be one row of the right width
    assert b'"' not in lines[99] + lines[100]
    lines[99] = b'"' + lines[99]
    cut = lines[100].index(b",")
    lines[100] = lines[100][:cut] + b'"' + lines[100][cut:]
    p = tmp_path / "export.csv"
    p.write_bytes(b"\r\n".join(lines))
    got, _ = _export_items(p)
    assert [i.row for i in got] == list(range(1, 201))
    assert [(i.row, i.error) for i in got if i.error][1] == (99, UNCLOSED)
    assert [i.row for i in got if i.error] == [42, 99, 139]
    assert got[99].payload["ppn_id"] == 'PPN-261120-00100"'  # the stray quote, read as text
    assert got[100].payload["ppn_id"] == "PPN-261120-00101"


def test_two_line_narrative_with_commas_stays_one_row(tmp_path: Path) -> None:
    # Each line alone has the header's width, but the cell is properly quoted: one row.
    narrative = "He came in, sat\r\ndown, then, left"
    rows = [HEADER, ["P1", "L1", narrative, "1"], ["P2", "L2", "short", "2"]]
    got, _ = items(write(tmp_path / "n.csv", rows))
    assert [(i.row, i.error) for i in got] == [(1, None), (2, None)]
    assert got[0].payload["circumstances"] == narrative
