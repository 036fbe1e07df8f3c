"""Writing spreadsheet cells that stay text: every export of user-entered data goes through
`put_text_safely`, so a name like '=HYPERLINK(...)' opens as text, never as a live formula."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel (and LibreOffice) would start a formula or a command with.
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def put_text_safely(cell: Any, value: Any) -> None:
    """Write a value; text always stays text, whatever it looks like.

    openpyxl guesses a type from a string: "=..." becomes a formula and "#N/A" an error cell.
    Every string is forced back to the string type, and text starting with = + - @ tab CR or LF
    also gets Excel's quotePrefix flag (what typing a leading apostrophe sets), so it stays text
    even when someone edits the cell in Excel. The value itself is unchanged (no apostrophe is
    added), so an import gives back exactly the original text.
    """
    if not isinstance(value, str):
        cell.value = value
        return
    # The API refuses control characters, so this only guards against a 500 on old data.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if value.startswith(INJECTION_PREFIXES):
        cell.quotePrefix = True


def safe_row(ws, values) -> list:
    """Write-only cells for one row, each written with put_text_safely."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws)
        put_text_safely(cell, value)
        cells.append(cell)
    return cells
