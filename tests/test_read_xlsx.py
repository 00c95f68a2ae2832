"""XLSX exports: streamed read-only, typed cells turned into record values."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from ppncheck.read import ReadError, ReadNotices, parse_mapping, read_header, read_path

MAPPING = parse_mapping(
    """
version = 1
[fields]
ppn_id = "PPN Ref"
incident_start = "Incident"
"officer.collar_number" = "Collar"

[[groups]]
pattern = "Child {n} {field}"
person_id = "child{n}"
roles = ["child_in_household"]
[groups.person]
dob = "DOB"
age_years = "Age"
"""
)
HEADER = ["PPN Ref", "Incident", "Collar", "Child 1 DOB", "Child 1 Age"]


def workbook(path: Path, rows: list[list[object]], *, sheet: str = "Export") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_dates_numbers_and_blanks(tmp_path: Path) -> None:
    p = workbook(
        tmp_path / "e.xlsx",
        [
            HEADER,
            ["P1", datetime(2026, 11, 20, 14, 5), 1234, datetime(2016, 5, 2), 9.0],
            ["P2", "20/11/2026 09:30", "0042", None, None],
        ],
    )
    got = list(read_path(p, mapping=MAPPING))
    assert [i.row for i in got] == [1, 2]
    assert got[0].payload == {
        "ppn_id": "P1",
        "incident_start": "2026-11-20T14:05:00",
        "officer": {"collar_number": "1234"},
        "persons": [
            {
                "person_id": "child1",
                "dob": "2016-05-02",
                "age_years": 9,
                "roles": ["child_in_household"],
            }
        ],
    }
    # text dates go through the mapping's formats; an empty child group makes no person
    assert got[1].payload == {
        "ppn_id": "P2",
        "incident_start": "2026-11-20T09:30:00",
        "officer": {"collar_number": "0042"},
    }


def test_xlsx_extra_cell_is_a_ragged_row_and_short_rows_are_padded(tmp_path: Path) -> None:
    p = workbook(
        tmp_path / "r.xlsx",
        [
            HEADER,
            ["P1", None, "1"],
            ["P2", None, "2", None, None, "stray"],
            ["P3", None, "3"],
        ],
    )
    got = list(read_path(p, mapping=MAPPING))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "row has 6 cells, header has 5"),
        (3, None),
    ]


def test_xlsx_named_sheet_and_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.append(["Notes"])
    second = wb.create_sheet("PPNs")
    second.append(["ppn_id", "circumstances"])
    second.append(["P9", "multi\nline"])
    p = tmp_path / "two.xlsx"
    wb.save(p)
    got = list(read_path(p, sheet="PPNs"))
    assert got[0].payload == {"ppn_id": "P9", "circumstances": "multi\nline"}
    assert read_header(p, sheet="PPNs") == ["ppn_id", "circumstances"]
    with pytest.raises(ReadError, match="no sheet named"):
        list(read_path(p, sheet="Missing"))


def test_xlsx_header_only_and_empty_sheet(tmp_path: Path) -> None:
    assert list(read_path(workbook(tmp_path / "h.xlsx", [HEADER]), mapping=MAPPING)) == []
    notices = ReadNotices()
    assert list(read_path(workbook(tmp_path / "e.xlsx", []), notices=notices)) == []
    assert notices.messages == ["e.xlsx: the sheet is empty"]


def test_not_a_workbook_is_a_read_error(tmp_path: Path) -> None:
    p = tmp_path / "fake.xlsx"
    p.write_text("PPN Ref,Circumstances\n", encoding="utf-8")
    with pytest.raises(ReadError, match="not a readable XLSX workbook"):
        list(read_path(p, mapping=MAPPING))


# -- issue 18: a broken cell or sheet costs its rows; the shared strings are bounded -------

import re  # noqa: E402
import zipfile  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SIMPLE = ["ppn_id", "circumstances", "persons[0].age_years"]


def rewrite(src: Path, dst: Path, parts: dict[str, bytes]) -> Path:
    """A copy of workbook ``src`` with some parts replaced or added."""
    replace = dict(parts)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.pop(info.filename, None)
            zout.writestr(info.filename, data if data is not None else zin.read(info))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dst


def shared(src: Path, dst: Path) -> Path:
    """``src`` with its inline strings moved into a shared-strings table, as Excel writes."""
    sheet = part(src, SHEET).decode()
    table: list[str] = []

    def to_shared(m: re.Match[str]) -> str:
        table.append(m.group(2))
        return f'<c r="{m.group(1)}" t="s"><v>{len(table) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>', to_shared, sheet)
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{t}</t></si>" for t in table)
        + "</sst>"
    )
    rels = (
        part(src, "xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        )
    )
    return rewrite(
        src,
        dst,
        {SHEET: sheet.encode(), STRINGS: sst.encode(), "xl/_rels/workbook.xml.rels": rels.encode()},
    )


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def five_rows(tmp_path: Path) -> Path:
    rows: list[list[object]] = [SIMPLE]
    rows += [[f"P{i}", f"narrative {i}", i] for i in range(1, 6)]
    return shared(workbook(tmp_path / "inline.xlsx", rows), tmp_path / "five.xlsx")


def cell_xml(sheet: bytes, ref: str) -> bytes:
    m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', sheet)
    assert m is not None, ref
    return m.group()


def test_a_malformed_cell_costs_its_row_only(tmp_path: Path) -> None:
    src = five_rows(tmp_path)
    sheet = part(src, SHEET)
    age = cell_xml(sheet, "C3")  # row 2's age, a number
    broken = sheet.replace(age, re.sub(rb"<v>\d+</v>", b"<v>secret</v>", age))
    shared = cell_xml(sheet, "B5")  # row 4's narrative, a shared string
    broken = broken.replace(shared, re.sub(rb"<v>\d+</v>", b"<v>99999</v>", shared))
    p = rewrite(src, tmp_path / "cell.xlsx", {SHEET: broken})
    got = list(read_path(p))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "cell C3 should hold a number but does not"),
        (3, None),
        (4, "cell B5 refers to a shared string that does not exist"),
        (5, None),
    ]
    assert got[4].payload == {
        "ppn_id": "P5",
        "circumstances": "narrative 5",
        "persons": [{"age_years": 5}],
    }


def test_a_truncated_sheet_keeps_the_rows_before_the_break(tmp_path: Path) -> None:
    src = five_rows(tmp_path)
    sheet = part(src, SHEET)
    cut = sheet.index(b'<row r="5"') + 20  # inside data row 4
    p = rewrite(src, tmp_path / "cut.xlsx", {SHEET: sheet[:cut]})
    got = list(read_path(p))
    assert [i.row for i in got] == [1, 2, 3, 4]
    assert [i.payload["ppn_id"] for i in got[:3]] == ["P1", "P2", "P3"]
    assert got[3].error is not None
    assert got[3].error.startswith("the rest of the sheet cannot be read (its XML is broken")


def test_a_huge_shared_strings_table_is_read_only_as_far_as_the_sheet_can_use(
    tmp_path: Path,
) -> None:
    src = five_rows(tmp_path)
    strings = part(src, STRINGS)
    junk = b"<si><t>x</t></si>" * 2_000_000  # 34 MB of XML, a few hundred KB zipped
    hostile = strings.replace(b"</sst>", junk + b"</sst>")
    p = rewrite(src, tmp_path / "sst.xlsx", {STRINGS: hostile})
    assert p.stat().st_size < 1_000_000
    notices = ReadNotices()
    got = list(read_path(p, notices=notices))
    assert [(i.row, i.error) for i in got] == [(n, None) for n in range(1, 6)]
    assert notices.messages == [
        "sst.xlsx: the shared strings table is larger than its sheets could use; "
        "only its first 10,000 entries were read"
    ]
    # a cell that points past what was read costs its row
    sheet = part(src, SHEET)
    shared = cell_xml(sheet, "B3")
    far = sheet.replace(shared, re.sub(rb"<v>\d+</v>", b"<v>1500000</v>", shared))
    q = rewrite(p, tmp_path / "far.xlsx", {SHEET: far})
    got = list(read_path(q))
    assert got[1].error == "cell B3 refers to a shared string past the part that could be read"
    assert [i.error for i in got].count(None) == 4


def test_cells_past_xfd_long_numbers_and_bad_dates_cost_their_rows(tmp_path: Path) -> None:
    src = workbook(
        tmp_path / "d.xlsx",
        [
            ["ppn_id", "incident_start"],
            ["P1", datetime(2026, 11, 20, 14, 5)],
            ["P2", datetime(2026, 11, 21, 9, 0)],
            ["P3", "x"],
            ["P4", 4],
        ],
    )
    sheet = part(src, SHEET)
    date = cell_xml(sheet, "B3")
    sheet = sheet.replace(date, re.sub(rb"<v>[^<]+</v>", b"<v>1e300</v>", date))
    sheet = sheet.replace(cell_xml(sheet, "B4"), b'<c r="XFE4" t="inlineStr"><is><t>x</t></is></c>')
    number = cell_xml(sheet, "B5")
    sheet = sheet.replace(number, re.sub(rb"<v>\d+</v>", b"<v>" + b"9" * 5000 + b"</v>", number))
    p = rewrite(src, tmp_path / "d2.xlsx", {SHEET: sheet})
    got = list(read_path(p))
    assert [(i.row, i.error) for i in got] == [
        (1, None),
        (2, "cell B3 is formatted as a date but its number is not one"),
        (3, "cell XFE4 is past column XFD, Excel's last (16,384)"),
        (4, "cell B5 holds a number longer than 100 characters"),
    ]
    assert got[0].payload["incident_start"] == "2026-11-20T14:05:00"


def test_a_dtd_is_never_read(tmp_path: Path) -> None:
    src = five_rows(tmp_path)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    sheet = part(src, SHEET)
    p = rewrite(src, tmp_path / "dtd.xlsx", {SHEET: laughs + sheet})
    with pytest.raises(ReadError, match=r"the sheet cannot be read \(it declares a DTD\)"):
        list(read_path(p))
    strings = part(src, STRINGS)
    q = rewrite(src, tmp_path / "dtd2.xlsx", {STRINGS: laughs + strings})
    notices = ReadNotices()
    with pytest.raises(ReadError, match="the header row cannot be read"):
        list(read_path(q, notices=notices))
    assert notices.messages == [
        "dtd2.xlsx: the shared strings table cannot be read in full (it declares a DTD); "
        "cells that use the rest cost their rows"
    ]


def test_the_example_export_reads_the_same_as_its_csv() -> None:
    from ppncheck.read import load_mapping

    export = Path(__file__).resolve().parent.parent / "examples" / "export"
    mapping = load_mapping(export / "mapping.toml")
    xlsx = list(read_path(export / "ppn_export_2026-11-20.xlsx", mapping=mapping))
    csv_items = list(read_path(export / "ppn_export_2026-11-20.csv", mapping=mapping))
    assert [(i.row, i.error) for i in xlsx] == [(i.row, i.error) for i in csv_items]
    assert [i.payload for i in xlsx] == [i.payload for i in csv_items]
