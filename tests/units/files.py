"""Helpers for the unit import tests: files built from rows, in CSV or XLSX."""

import io

from openpyxl import Workbook

from cchc.units.services.importing import COLUMNS

HEADER = ",".join(COLUMNS)


def csv_bytes(*lines: str, bom: bool = True, header: str = HEADER) -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(*rows: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
