"""A minimal OLE2 compound file (MS-CFB version 3), written here because no library in the
environment writes one: an encrypted OOXML workbook is such a file holding the streams
``EncryptionInfo`` and ``EncryptedPackage``; an Excel 97-2003 workbook holds ``Workbook``."""
from __future__ import annotations

import os
import struct

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, left, right, child)
            + b"\0" * 16 + struct.pack("<IQQIQ", 0, 0, 0, start, size))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """Streams of 4096 bytes or more (so no mini stream is needed), chained in the FAT."""
    names = list(streams)
    data_sectors, fat = [], [FATSECT, END]          # sector 0: FAT, sector 1: directory
    entries = [_entry("Root Entry", 5, child=1 if names else NOSTREAM)]
    for i, name in enumerate(names):
        payload = streams[name]
        assert len(payload) >= 4096
        n = -(-len(payload) // SECTOR)
        start = 2 + len(data_sectors)
        fat += [start + k + 1 for k in range(n - 1)] + [END]
        data_sectors += [payload[k * SECTOR:(k + 1) * SECTOR].ljust(SECTOR, b"\0") for k in range(n)]
        right = i + 2 if i + 1 < len(names) else NOSTREAM    # a right-leaning chain, sorted by the caller
        entries.append(_entry(name, 2, right=right, start=start, size=len(payload)))
    assert len(fat) <= SECTOR // 4 and len(entries) <= 4
    entries += [_entry("", 0)] * (4 - len(entries))
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *([FREE] * 108)))
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    return header + fat_sector + b"".join(entries) + b"".join(data_sectors)


def encrypted_workbook() -> bytes:
    """Shaped as Excel and LibreOffice write a password-protected .xlsx (agile encryption)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0" encoding="UTF-8"?><encryption/>'
    return compound_file({"EncryptionInfo": info.ljust(4096, b"\0"), "EncryptedPackage": os.urandom(8192)})


def legacy_workbook() -> bytes:
    return compound_file({"Workbook": os.urandom(4096)})
