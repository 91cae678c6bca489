"""CSV that opens correctly in Danish Excel: UTF-8 with BOM, semicolons, Danish dates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Response

LOCAL = ZoneInfo("Europe/Copenhagen")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One value as Danish Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The whole file as bytes, starting with the UTF-8 byte order mark Excel looks for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]):
    """A download response that is never cached (it holds personal data)."""
    return Response(
        excel_csv(header, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
