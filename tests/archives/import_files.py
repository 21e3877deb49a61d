"""Excel files for the import tests: the template's headers and the rows given."""

import io

from openpyxl import Workbook

from archives.services.imports import COLUMNS


def xlsx(rows: list[dict], headers=COLUMNS) -> bytes:
    """A workbook whose first sheet has ``headers`` and one line per dict (by header)."""
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
