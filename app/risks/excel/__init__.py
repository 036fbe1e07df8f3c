"""Risk lists (安全风险清单) as Excel workbooks: the import template, import, export.

Pure: openpyxl and `app.risks.rules` only, no Flask and no database; the API hands bytes in and
takes bytes or payloads out.

Conventions:
- The data sheet is "风险清单" (else the first sheet other than "示例" and "填写说明"); row 1 is
  the header. Columns are matched by header text in any order, ignoring whitespace, a trailing
  required mark "*" and letter case; an unknown or repeated header, or a missing required one, is
  an error on row 1, and data under a column without a header is an error naming the column
  letter ("L列"). The export's computed columns (`COMPUTED_COLUMNS`) are recognised and
  ignored on import: the server recomputes them.
- Enum cells carry the Chinese label (作业场所, 受控, ...); the English value is accepted too.
  Methods are written LEC / LS / 直接判定 (DIRECT accepted). Accident types are GB 6441-2025
  names or WSA codes separated by 、 ， , ; ； or newlines; the export writes names joined by 、.
  An empty 管控状态 means 受控 (in control).
- L/E/C/S take numbers, or text that is exactly a standard value ("6", "0.5"); `evaluate()`
  decides what is standard, and a refused factor's message lists the allowed values. A factor or
  reason filled in for a method that does not use it is an error, as in the API.
- Every error is {"row", "column", "message"} with the template header as column (required ones
  with their "*"); row 0 is the file as a whole (not an xlsx, encrypted, too many rows). Messages
  are Chinese: they are read by the safety officer who filled in the sheet. Parsing never raises
  on bad input and reports every bad cell of every row; `rows` is empty when there is any error.
- Formulas are refused (the value a formula shows is not in the file unless Excel saved it, and
  a formula is not data). Export writes text that starts with = + - @ tab CR or LF as a string
  cell with Excel's quotePrefix flag, never a formula, and without changing the text, so a round
  trip gives back the original.
"""

from app.xlsx import INJECTION_PREFIXES

from .columns import (
    COLUMNS,
    COMPUTED_COLUMNS,
    DATA_SHEET,
    EXAMPLE_SHEET,
    GUIDE_SHEET,
    MAX_ROWS,
    MEASURE_CATEGORIES,
    METHOD_LABELS,
    Column,
)
from .reading import ParseResult, parse_workbook
from .writing import export_workbook, template_workbook

__all__ = [
    "COLUMNS",
    "COMPUTED_COLUMNS",
    "DATA_SHEET",
    "EXAMPLE_SHEET",
    "GUIDE_SHEET",
    "INJECTION_PREFIXES",
    "MAX_ROWS",
    "MEASURE_CATEGORIES",
    "METHOD_LABELS",
    "Column",
    "ParseResult",
    "export_workbook",
    "parse_workbook",
    "template_workbook",
]
