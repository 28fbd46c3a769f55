"""An .xlsx is bounded before it is read: shared-string, grid and row bombs are refused by name,
quickly and in little memory; a CSV named .xlsx is refused naming the file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipelines.model import ExportRefused
from pipelines.standard import read_export
from pipelines.workbook import WorkbookLimits, WorkbookTooLarge, check_workbook
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    ROOT,
    patient_row,
    write_csv,
)

PEAK_RSS_LIMIT_MB = 600
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, sheet_rows: str, shared: list[str], dimension: str = "A1") -> Path:
    """A minimal real workbook: one sheet whose <sheetData> is ``sheet_rows``."""
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            '="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocume'
            'nt.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" Content'
            'Type="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"'
            '/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship '
            f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">{strings}</sst>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref='
            f'"{dimension}"/><sheetData>{sheet_rows}</sheetData></worksheet>'),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def table_rows(columns: list[str], rows: list[list[str]]) -> tuple[str, list[str]]:
    """Sheet rows (header + ``rows``) with every cell a shared string."""
    shared: list[str] = []
    xml = []
    for number, values in enumerate([columns, *rows], start=1):
        cells = []
        for index, value in enumerate(values, start=1):
            if value == "":
                continue
            shared.append(value)
            ref = f"{column_letters(index)}{number}"
            cells.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        xml.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(xml), shared


def export_with(folder: Path, patients_xlsx: Path | None = None) -> Path:
    """procedures.csv (header only) beside a patients workbook (or a valid patients.csv)."""
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [])
    if patients_xlsx is None:
        write_csv(folder / "patients.csv", PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee")])
    return folder


def refused_in_subprocess(folder: Path) -> tuple[str, int]:
    """read_export in its own process: (the refusal, its peak memory in MB)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipelines.model import ExportRefused\n"
        "from pipelines.standard import read_export\n"
        "try:\n"
        "    read_export([Path(sys.argv[1])], practice_id='p1'); print('READ')\n"
        "except ExportRefused as e:\n"
        "    print('REFUSED', e.rejects[0].reason)\n"
        # VmHWM, not ru_maxrss: a child forked from a big pytest inherits the parent's maxrss
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print('peak_mb', int(hwm.split()[1]) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "REFUSED" in done.stdout, done.stdout[-2000:]
    return done.stdout.split("REFUSED", 1)[1].split("peak_mb")[0].strip(), int(
        done.stdout.split("peak_mb")[1])


def test_the_workbook_helper_makes_a_workbook_that_loads(tmp_path):
    rows, shared = table_rows(PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee"),
                                                patient_row("P2", "Bo", "Ng")])
    folder = export_with(tmp_path / "export", write_xlsx(tmp_path / "export" / "patients.xlsx",
                                                         rows, shared))
    check_workbook(folder / "patients.xlsx")
    result = read_export([folder], practice_id="p1")
    assert result.frames["patients"]["last_name"].to_list() == ["Lee", "Ng"]


def test_shared_string_bomb_is_refused_before_reading(tmp_path):
    # one 1 MB shared string referenced by 1,200 cells: ~1.2 GB of text once read,
    # past the 512 MiB text bound; the file itself is a few kilobytes
    header, shared = table_rows(PATIENT_COLUMNS, [])
    shared.append("Z" * 1024**2)
    bomb = len(shared) - 1
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{bomb}</v></c><c r="C{n}" t="s"><v>{bomb}</v></c>'
        "</row>" for n in range(2, 602)
    )
    path = write_xlsx(tmp_path / "export" / "patients.xlsx", header + rows, shared)
    assert path.stat().st_size < 100_000
    reason, peak = refused_in_subprocess(export_with(tmp_path / "export", path))
    assert reason.startswith("patients.xlsx: its cells expand to more than"), reason
    assert peak < PEAK_RSS_LIMIT_MB


def test_grid_bomb_is_refused_before_reading(tmp_path):
    # two cells, A1 and XFD1048576: the reader would allocate 1,048,576 x 16,384 cells
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>')
    path = write_xlsx(tmp_path / "export" / "patients.xlsx", rows, ["patient_id"])
    reason, peak = refused_in_subprocess(export_with(tmp_path / "export", path))
    assert reason.startswith("patients.xlsx spans 1,048,576 rows x 16,384 columns"), reason
    assert peak < PEAK_RSS_LIMIT_MB


def test_rows_past_the_last_excel_row_are_refused(tmp_path):
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2000000"/>'
    path = write_xlsx(tmp_path / "export" / "patients.xlsx", rows, ["patient_id"])
    reason, _ = refused_in_subprocess(export_with(tmp_path / "export", path))
    assert reason.startswith("patients.xlsx has rows past row 1,048,576"), reason


def test_each_bound_is_checked(tmp_path):
    rows, shared = table_rows(PATIENT_COLUMNS, [patient_row(f"P{i}", "Ann", "Lee")
                                                for i in range(20)])
    path = write_xlsx(tmp_path / "patients.xlsx", rows, shared)
    # a header of 10 cells + 20 rows x 5 filled cells (id, practice, first, last, status)
    # = 110 cells, each its own shared string; the header spans A..J: a grid of 21 x 10 = 210
    check_workbook(path, WorkbookLimits(max_cells=110, max_grid_cells=210, max_rows=21,
                                        max_shared_strings=110))
    for limits, message in [
        (WorkbookLimits(max_cells=109), "has more than 109 cells"),
        (WorkbookLimits(max_grid_cells=209), "spans 21 rows x 10 columns"),
        (WorkbookLimits(max_rows=20), "has rows past row 20"),
        (WorkbookLimits(max_shared_strings=109), "has more than 109 shared strings"),
        (WorkbookLimits(max_xml_bytes=1000), "bytes of XML"),
        (WorkbookLimits(max_text_bytes=100), "bytes of text"),
    ]:
        with pytest.raises(WorkbookTooLarge, match=message):
            check_workbook(path, limits)


def test_a_csv_named_xlsx_is_refused_naming_the_file(tmp_path):
    folder = export_with(tmp_path / "export", tmp_path / "export" / "patients.xlsx")
    write_csv(folder / "patients.xlsx", PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee")])
    with pytest.raises(ExportRefused) as refused:
        read_export([folder], practice_id="p1")
    reason = refused.value.rejects[0].reason
    assert reason.startswith("patients.xlsx is not an Excel workbook"), reason
    assert "name it .csv" in reason
    assert "Ann" not in reason


def test_a_formula_saved_without_its_value_is_quarantined(tmp_path):
    from tests.security.exports import procedure_row

    rows, shared = table_rows(PROCEDURE_COLUMNS, [procedure_row("X1", "P1"),
                                                  procedure_row("X2", "P1", fee="")])
    # X2's fee (column H, row 3) is a formula some tools save with no cached value; the
    # reader sees it empty, which once loaded as a fee of 0 or read as "empty"
    rows = rows.replace('<c r="I3"', '<c r="H3"><f>H2*2</f></c><c r="I3"')
    folder = tmp_path / "export"
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee")])
    write_xlsx(folder / "procedures.xlsx", rows, shared)
    result = read_export([folder], practice_id="p1")
    assert result.frames["procedures"]["procedure_id"].to_list() == ["X1"]
    (reject,) = result.rejects  # in place of "fee is empty"
    assert (reject.row, reject.key, reject.column) == (3, "X2", "fee")
    assert reject.reason == (
        "procedures.xlsx row 3, column fee: a formula saved without its value (open the file"
        " in Excel and save it again, or export as .csv)")
