"""The corpus of hostile and malformed files, built here (no binaries are kept in the repository).

Each ``Case`` builds one file and says which words the refusal must hold (the file, the line,
sheet, cell or part, and what is wrong). ``ACCEPTED`` lists awkward files that must load.

Also a script: ``python -m tests.collect.hostile.corpus OUT_DIR`` writes every file into OUT_DIR
(e.g. to try them by hand with ``ilms check`` or ``ilms load``, or as fuzzing seeds).
"""
from __future__ import annotations

import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl

HEADER = ("ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status,"
          "note_classif,note_indicator,note_source")
ROW_1 = "THA,BA:453,MST_TEIP_SEX_AGE_CBR_NB,SEX_F,AGE_10YRBANDS_TOTAL,CBR_BIR_FOREIGN,2019,16.192,,,,"
ROW_2 = "THA,BA:453,MST_TEIP_SEX_AGE_CBR_NB,SEX_M,AGE_10YRBANDS_TOTAL,CBR_BIR_FOREIGN,2019,15.723,,,,"
SDMX_HEADER = ("DATAFLOW,REF_AREA,FREQ,MEASURE,SEX,CDS,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,SOURCE,"
               "NOTE_SOURCE,NOTE_INDICATOR,NOTE_CLASSIF")
SDMX_ROW = "ILO:DF_MNA_OEMP_SEX_CDS_NB(1.0),THA,A,MNA_OEMP_NB,SEX_T,CDS_DES_JPN,2022,6.0,,3,BA:453,,,"

BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10)) + "]>\n")
EXTERNAL_ENTITY = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
T05_CELL = frozenset({"SEX": "SEX_T", "ECO": "ECO_ISIC4_C", "MIG": "MIG_STATUS_MIGRANT"}.items())


@dataclass(frozen=True)
class Case:
    name: str                       # the file name (its suffix matters to format detection)
    build: Callable[[Path, Path], bytes | None]    # (target, questionnaire template) -> bytes, or writes target
    expect: tuple[str, ...]         # words the refusal names, besides the file name


def _csv(*lines: str, encoding="utf-8", newline="\n") -> Callable:
    return lambda target, template: newline.join(lines).encode(encoding) + newline.encode(encoding)


def questionnaire_template(folder: Path) -> Path:
    """A valid THA 2024 questionnaire with one value (table 5) and its source."""
    from ilms.collect.questionnaire import build
    from ilms.collect.questionnaire.writer import save
    from tests.collect.questionnaire.helpers import COUNTRY, YEAR
    path = folder / "template.xlsx"
    wb, _ = build(COUNTRY, YEAR, catalogue=[{"code": "BA_453"}])
    save(wb, path)
    wb = openpyxl.load_workbook(path)
    wb["T05"][t05_value_cell(wb)] = 301.5
    wb["Metadata"]["D10"], wb["Metadata"]["E10"] = "BA_453", "BIR"
    wb.save(path)
    return path


def t05_value_cell(wb) -> str:
    from tests.collect.questionnaire.helpers import find_cells
    return find_cells(wb["T05"], 5)[T05_CELL]["VALUE"]


def _edited(edit: Callable) -> Callable:
    def build(target: Path, template: Path):
        wb = openpyxl.load_workbook(template)
        edit(wb)
        wb.save(target)
    return build


def _repacked(change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None,
              stored: bool = False) -> Callable:
    """The template's parts, each passed through ``change(name, data)``, plus ``extra`` parts."""
    def build(target: Path, template: Path):
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", method) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, change(info.filename, src.read(info)))
            for name, data in (extra or {}).items():
                dst.writestr(name, data)
    return build


def _with_dtd(part: str, prolog: str, entity: str) -> Callable:
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return prolog.encode() + body.replace(b"<t>", f"<t>&{entity};".encode(), 1)
    return _repacked(change)


def _truncated_gzip() -> bytes:
    """A gzipped ILOSTAT file of 400 rows, cut in the middle (found by the fuzzer: it was a crash)."""
    import gzip
    rows = [ROW_1.replace("2019", str(1600 + i)) for i in range(400)]
    packed = gzip.compress(("\n".join([HEADER, *rows]) + "\n").encode(), mtime=0)
    return packed[: len(packed) // 2]


def _zip_bomb(target: Path, template: Path):
    """The template plus a part that unpacks to 210 MB of zeros (about 200 kB packed)."""
    _repacked(lambda n, d: d)(target, template)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("xl/media/bomb.bin", "w") as f:
        block = b"\0" * (1 << 20)
        for _ in range(210):
            f.write(block)


def _oversized(target: Path, template: Path):
    """21 MB: the template plus incompressible bytes, over the 20 MB limit."""
    _repacked(lambda n, d: d, {"xl/media/image1.bin": os.urandom(21_000_000)}, stored=True)(target, template)


def _encrypted(target: Path, template: Path) -> bytes:
    from tests.collect.questionnaire.compound import encrypted_workbook
    return encrypted_workbook()


def _sheet_part(template: Path, title: str) -> str:
    from ilms.collect.questionnaire.package_check import _sheet_parts
    with zipfile.ZipFile(template) as z:
        return _sheet_parts(z)[title]


def _dtd_in_sheet(prolog: str, entity: str) -> Callable:
    def build(target: Path, template: Path):
        _with_dtd(_sheet_part(template, "T05"), prolog, entity)(target, template)
    return build


def _megabyte_cell(target: Path, template: Path):
    """Metadata!H10 holds a million characters (openpyxl cuts texts at Excel's limit: so the part
    is edited directly)."""
    marked = target.with_name("marked.xlsx")
    _edited(lambda wb: wb["Metadata"].__setitem__("H10", "MEGABYTE-CELL"))(marked, template)
    _repacked(lambda n, d: d.replace(b"MEGABYTE-CELL", b"x" * 1_000_000))(target, marked)
    marked.unlink()


def _many_cells(target: Path, template: Path):
    """200,001 small cells appended to the Metadata sheet (a 6 MB part, about 100 kB packed)."""
    part = _sheet_part(template, "Metadata")
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>2</v></c></row>'
                   for r in range(1000, 101_001))
    _repacked(lambda n, d: d.replace(b"</sheetData>", rows.encode() + b"</sheetData>") if n == part else d)(
        target, template)


def _set_t05(value) -> Callable:
    def edit(wb):
        wb["T05"][t05_value_cell(wb)] = value
    return _edited(edit)


def _swap_tables(wb):
    """T05 and T06 exchange names: each sheet valid, but for another table."""
    wb["T05"].title, wb["T06"].title = "T05x", "T05"
    wb["T05x"].title = "T06"


UNDESA_LONG = "year,destination,destination_m49,destination_iso3,origin,origin_iso3,sex,migrant_stock"
UNDESA_ROW = "2019,Thailand,764,THA,Myanmar,MMR,F,1200"


def _undesa_workbook(target: Path, titles=("Table 1", "Table 2", "Table 3")) -> Path:
    """An origin-destination workbook of the published layout (values invented)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title in titles:
        sheet = book.create_sheet(title)
        sheet.append([f"{title}. International migrant stock at mid-year (POP/DB/MIG/Stock/Rev.2019)"])
        sheet.append(["Year", "Sort order", "Major area, region, country or area of destination", "Notes", "Code",
                      "Type of data (a)", "Total", "Other North", "Other South", "Myanmar"])
        sheet.append([2019, 1, "Thailand", None, 764, "B R", 100, None, 1, "UNDESA-CELL"])
    book.save(target)
    return target


def _undesa(change: Callable[[str, bytes], bytes] | None = None, extra: dict[str, bytes] | None = None,
            titles=("Table 1", "Table 2", "Table 3"), stored: bool = False) -> Callable:
    def build(target: Path, template: Path):
        plain = _undesa_workbook(target.with_name("undesa-plain.xlsx"), titles)
        _repacked(change or (lambda n, d: d), extra, stored)(target, plain)
        plain.unlink()
    return build


def _undesa_cell(text: bytes) -> Callable[[str, bytes], bytes]:
    return lambda n, d: d.replace(b"UNDESA-CELL", text)


def _undesa_dtd(name: str, data: bytes) -> bytes:
    if name != "xl/worksheets/sheet1.xml":
        return data
    return BILLION_LAUGHS.encode() + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)


CASES: list[Case] = [
    # --- ILOSTAT bulk CSV -------------------------------------------------------------------
    Case("latin1.csv", _csv(HEADER, ROW_1[:-3] + ",,Côte d'Ivoire", encoding="latin-1"),
         ("line 2", "byte 0xf4", "not UTF-8", "CSV UTF-8")),
    Case("utf16.csv", _csv(HEADER, ROW_1, encoding="utf-16"), ("UTF-16", "save it as UTF-8")),
    Case("nul-byte.csv", _csv(HEADER, ROW_1 + "\0"), ("line 2", "note_source", "U+0000")),
    Case("nan.csv", _csv(HEADER, ROW_1.replace("16.192", "NaN")), ("line 2", "obs_value", "not a finite number")),
    Case("inf.csv", _csv(HEADER, ROW_2, ROW_1.replace("16.192", "-inf")), ("line 3", "obs_value", "not a finite")),
    Case("formula.csv", _csv(HEADER, ROW_1.replace("16.192", "=1+1")), ("line 2", "obs_value", "'=1+1' is not a number")),
    Case("other-codelist.csv", _csv(HEADER, ROW_1.replace("SEX_F", "ECO_ISIC4_A")),
         ("line 2", "column sex", "'ECO_ISIC4_A' is not in CL_SEX")),
    Case("other-table.csv", _csv(HEADER, ROW_1.replace("MST_TEIP_SEX_AGE_CBR_NB", "UNE_TUNE_SEX_AGE_NB")),
         ("line 2", "'UNE_TUNE_SEX_AGE_NB' is not an ILMS indicator")),
    Case("megabyte-cell.csv", _csv(HEADER, ROW_2, ROW_1 + "x" * 2_000_000), ("line 3", "field larger than field limit")),
    Case("duplicate-key.csv", _csv(HEADER, ROW_1, ROW_2, ROW_1.replace("16.192", "17")),
         ("duplicate-key.csv:4", "the same cell is given twice", "first at duplicate-key.csv:2")),
    Case("no-header.csv", _csv(ROW_1.replace("THA", "ref_area,indicator,obs_value"), ROW_1),
         ("line 1", "missing column(s)")),
    Case("not-gzip.csv.gz", lambda t, tpl: b"\x1f\x8b\x53" + ROW_1.encode(), ("cannot read the file",)),
    Case("truncated.csv.gz", lambda t, tpl: _truncated_gzip(), ("line ", "the compressed file is damaged")),
    # --- ILO SDMX-CSV -----------------------------------------------------------------------
    Case("sdmx-other-table.csv", _csv(SDMX_HEADER, SDMX_ROW.replace("MNA_OEMP_SEX_CDS_NB", "UNE_TUNE_SEX_AGE_NB")),
         ("line 2", "DATAFLOW", "'UNE_TUNE_SEX_AGE_NB' is not an ILMS indicator")),
    Case("sdmx-nan.csv", _csv(SDMX_HEADER, SDMX_ROW.replace(",6.0,", ",nan,")), ("line 2", "not a finite number")),
    Case("sdmx-latin1.csv", _csv(SDMX_HEADER, SDMX_ROW + "Côte", encoding="latin-1"), ("line 2", "not UTF-8")),
    # --- questionnaires (.xlsx) -------------------------------------------------------------
    Case("zip-bomb.xlsx", _zip_bomb, ("unpacks to 2", "over 10 times the size limit")),
    Case("oversized.xlsx", _oversized, ("21.", "over the limit of 20.9715 MB (20,971,520 bytes, ILMS_LIMIT_UPLOAD_BYTES)")),
    Case("encrypted.xlsx", _encrypted, ("password-protected",)),
    Case("macros.xlsm", _repacked(lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}),
         ("xl/vbaProject.bin", "macros", "save it as an Excel Workbook (.xlsx)")),
    Case("macro-enabled.xlsx", _repacked(lambda n, d: d.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml") if n == "[Content_Types].xml" else d),
         ("[Content_Types].xml", "macro-enabled")),
    Case("billion-laughs.xlsx", _with_dtd("xl/workbook.xml", BILLION_LAUGHS, "lol9"), ("xl/workbook.xml", "DTD")),
    Case("external-entity.xlsx", _dtd_in_sheet(EXTERNAL_ENTITY, "xxe"), ("xl/worksheets/", "DTD", "external entities")),
    Case("external-entity-types.xlsx", _with_dtd("[Content_Types].xml", EXTERNAL_ENTITY, "xxe"),
         ("[Content_Types].xml", "DTD")),
    Case("formula-cell.xlsx", _set_t05("=SUM(1,2)"), ("T05!D", "a formula (=SUM(1,2)) with no computed value")),
    Case("megabyte-cell.xlsx", _megabyte_cell,
         ("Metadata!H10", "1,000,000 characters", "32,767")),
    Case("too-many-cells.xlsx", _many_cells, ("Metadata!A", "more than 200,000 cells", "ILMS_LIMIT_QUESTIONNAIRE_CELLS")),
    Case("negative.xlsx", _set_t05(-12), ("T05!D", "is negative")),
    Case("nan.xlsx", _set_t05("NaN"), ("T05!D", "'NaN' is not a number")),
    Case("other-codelist.xlsx", _edited(lambda wb: wb["Metadata"].__setitem__("E10", "SEX_F")), ("Metadata!E10",)),
    Case("other-table.xlsx", _edited(_swap_tables), ("T05!", "should be")),
    Case("duplicate-country.xlsx", _edited(lambda wb: _duplicate_country(wb)), ("T03!B", "MMR is already in the table")),
    # --- UN DESA International Migrant Stock (context data) ---------------------------------
    Case("undesa_ims2019_nan.csv", _csv(UNDESA_LONG, UNDESA_ROW.replace("1200", "NaN")),
         ("line 2", "migrant_stock", "not a finite number")),
    Case("undesa_ims2019_negative.csv", _csv(UNDESA_LONG, UNDESA_ROW, UNDESA_ROW.replace(",F,1200", ",M,-5")),
         ("line 3", "migrant_stock", "is negative")),
    Case("undesa_ims2019_year.csv", _csv(UNDESA_LONG, UNDESA_ROW.replace("2019,", "99999,", 1)),
         ("line 2", "year", "not a year")),
    Case("undesa_ims2019_iso.csv", _csv(UNDESA_LONG, UNDESA_ROW.replace(",THA,", ",THAILAND_LONG,")),
         ("line 2", "destination_iso3", "not an ISO 3166-1 alpha-3 code")),
    Case("undesa_ims2019_nul.csv", _csv(UNDESA_LONG, UNDESA_ROW.replace("Myanmar", "Myan\0mar")),
         ("line 2", "origin", "control characters")),
    Case("undesa_ims2019_megabyte.csv", _csv(UNDESA_LONG, UNDESA_ROW.replace("Myanmar", "x" * 2_000_000)),
         ("line 2", "field larger than field limit")),
    Case("migrant-stock-long.csv", _csv(UNDESA_LONG, UNDESA_ROW), ("which edition (revision)", "ims2019")),
    Case("UN_MigrantStock_2019_billion-laughs.xlsx", _undesa(_undesa_dtd), ("xl/worksheets/sheet1.xml", "DTD")),
    Case("UN_MigrantStock_2019_oversized.xlsx", _undesa(extra={"xl/media/image1.bin": os.urandom(21_000_000)},
                                                        stored=True),
         ("over the limit of 20.9715 MB", "ILMS_LIMIT_UPLOAD_BYTES")),
    Case("UN_MigrantStock_2019_megabyte-cell.xlsx", _undesa(_undesa_cell(b"x" * 1_000_000)),
         ("Table 1!J3", "1,000,000 characters")),
    Case("UN_MigrantStock_2019_macros.xlsx", _undesa(extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}),
         ("xl/vbaProject.bin", "macros")),
    Case("UN_MigrantStock_2019_wrong-sheet.xlsx", _undesa(titles=("Table 2", "Table 3")), ("no sheet 'Table 1'",)),
    Case("UN_MigrantStock_2019_bad-value.xlsx", _undesa(_undesa_cell(b"lots")),
         ("sheet 'Table 1', cell J3", "'lots' is not a number")),
]


def _duplicate_country(wb):
    from tests.collect.questionnaire.helpers import free_rows
    wb["T03"].cell(free_rows(wb["T03"])[1], 2, "MMR - Myanmar")


#: Awkward but valid: they load, with these observation counts
ACCEPTED: list[tuple[Case, int]] = [
    (Case("bom-mixed-line-ends.csv", lambda t, tpl: b"\xef\xbb\xbf" + (HEADER + "\r\n" + ROW_1 + "\n" + ROW_2 + "\r\n").encode(),
          ()), 2),
    (Case("far-cell.xlsx", _edited(lambda wb: wb["T05"].__setitem__("XFD1048576", "x")), ()), 1),
    (Case("computed-formula.csv", _csv(HEADER, ROW_1.replace(",,,", ",,,=HYPERLINK(\"http://evil\")")), ()), 1),
]


def build(case: Case, folder: Path, template: Path) -> Path:
    target = folder / case.name
    data = case.build(target, template)
    if data is not None:
        target.write_bytes(data)
    return target


def main(out: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    template = questionnaire_template(folder)
    for case in [*CASES, *(c for c, _ in ACCEPTED)]:
        print(build(case, folder, template))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
