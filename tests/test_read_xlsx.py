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
    p = workbook(tmp_path / "e.xlsx", [
        HEADER,
        ["P1", datetime(2026, 11, 20, 14, 5), 1234, datetime(2016, 5, 2), 9.0],
        ["P2", "20/11/2026 09:30", "0042", None, None],
    ])
    got = list(read_path(p, mapping=MAPPING))
    assert [i.row for i in got] == [1, 2]
    assert got[0].payload == {
        "ppn_id": "P1",
        "incident_start": "2026-11-20T14:05:00",
        "officer": {"collar_number": "1234"},
        "persons": [{"person_id": "child1", "dob": "2016-05-02", "age_years": 9,
                     "roles": ["child_in_household"]}],
    }
    # text dates go through the mapping's formats; an empty child group makes no person
    assert got[1].payload == {"ppn_id": "P2", "incident_start": "2026-11-20T09:30:00",
                              "officer": {"collar_number": "0042"}}


def test_xlsx_extra_cell_is_a_ragged_row_and_short_rows_are_padded(tmp_path: Path) -> None:
    p = workbook(tmp_path / "r.xlsx", [
        HEADER,
        ["P1", None, "1"],
        ["P2", None, "2", None, None, "stray"],
        ["P3", None, "3"],
    ])
    got = list(read_path(p, mapping=MAPPING))
    assert [(i.row, i.error) for i in got] == [
        (1, None), (2, "row has 6 cells, header has 5"), (3, None)
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
