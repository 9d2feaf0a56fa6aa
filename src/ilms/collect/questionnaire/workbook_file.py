"""Open a questionnaire file safely: size limit, encrypted and legacy files, corrupt archives.

An encrypted OOXML workbook is not a ZIP archive but an OLE2 compound file holding an
``EncryptedPackage`` stream; an Excel 97-2003 ``.xls`` is an OLE2 file without it.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from ...limits import Limits, setting
from ..registry import ReadError
from .package_check import check_package

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: An archive that unpacks to more than this many times the limit is refused (a "zip bomb").
EXPANSION = 10


def max_bytes() -> int:
    """The size limit: ``Limits.upload_bytes`` (``ILMS_LIMIT_UPLOAD_BYTES``; ``ilms.limits``)."""
    return Limits.from_env().upload_bytes


def questionnaire_cells() -> int:
    """The cell limit of a whole questionnaire workbook: ``Limits.questionnaire_cells`` (``ILMS_LIMIT_QUESTIONNAIRE_CELLS``)."""
    return Limits.from_env().questionnaire_cells


def is_encrypted_ooxml(path: Path) -> bool:
    with open(path, "rb") as f:
        data = f.read()
    return data.startswith(OLE2_MAGIC) and ENCRYPTED_STREAM in data


def check_workbook(path: Path, limit: int | None = None, max_cells: int | None = None,
                   cells_field: str = "questionnaire_cells") -> None:
    """Refuse (``ReadError``) a file that is too big, encrypted, legacy, not a ZIP archive, a zip
    bomb, damaged, or an unsafe package (``package_check``); return quietly otherwise. Used for
    every workbook read from outside: questionnaires and UN DESA workbooks."""
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    if not path.is_file():
        raise ReadError(path, None, "no such file")
    size = path.stat().st_size
    if size > limit:
        raise ReadError(path, None, f"the file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:g} MB "
                                    f"({limit:,} bytes, {setting('upload_bytes')})")
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic == OLE2_MAGIC:
        if is_encrypted_ooxml(path):
            raise ReadError(path, None, "the workbook is password-protected (encrypted): save it again "
                                        "without a password to open (File > Info > Protect Workbook)")
        raise ReadError(path, None, "an Excel 97-2003 workbook (.xls), not an .xlsx workbook")
    if not magic.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise ReadError(path, None, "not an .xlsx workbook: the file is corrupt or of another format")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > EXPANSION * limit:
                raise ReadError(path, None, f"the workbook unpacks to {unpacked / 1e6:.0f} MB, over "
                                            f"{EXPANSION} times the size limit")
            bad = archive.testzip()
            if bad is not None:
                raise ReadError(path, None, f"the workbook is corrupt (damaged part {bad})")
            check_package(path, archive, max_cells=questionnaire_cells() if max_cells is None else max_cells,
                          cells_field=cells_field)
    except ReadError:
        raise
    except Exception as exc:  # zipfile and the XML parser raise many kinds on a damaged package
        raise ReadError(path, None, f"the workbook is corrupt and cannot be opened ({type(exc).__name__}: {exc})") from None


def open_workbook(path: Path, limit: int | None = None):
    """The workbook (values, not formulas) or a ``ReadError`` saying what is wrong with the file."""
    path = Path(path)
    check_workbook(path, limit)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise ReadError(path, None, f"the workbook is corrupt and cannot be opened ({type(exc).__name__}: {exc})") from None


def has_sheet(path: Path, name: str) -> bool:
    """Cheap check used by format detection: does the workbook declare a sheet ``name``?"""
    try:
        with zipfile.ZipFile(path) as archive:
            return f'name="{name}"'.encode() in archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
