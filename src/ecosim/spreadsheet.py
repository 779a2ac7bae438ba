"""Text that a spreadsheet would run as a formula, neutralised where ecosim writes tables.

Names and words from the input files reach the tables ecosim writes for spreadsheet users: a
sweep's arm names (an explicit arm's, or its levers' names joined by ``+``), a lever's short
label, a spec's name and description, a sensitivity parameter's group, a scenario's firm and VC
names. Excel runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula when the file
is opened (``=HYPERLINK("http://...", "click me")`` sends data away: CSV or formula injection), and
openpyxl stores any string that begins with ``=`` as a formula. So the writers, not the specs,
neutralise such text, whatever input it came from, and a name such as ``-10% budget`` stays
usable:

- in report.xlsx each such cell is stored as the text it is (:func:`keep_as_text`): Excel shows
  exactly the name and runs nothing;
- in a CSV, which has no types, it is written with a leading apostrophe (:func:`neutralised`,
  OWASP's advice for CSV injection): Excel shows ``'=HYPERLINK(...)`` as text.

A number written as text (``-0.5``) is left alone: Excel reads it as the number, nothing runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell that a spreadsheet runs as a formula (or a DDE command) begins."""


def is_formula_like(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would run: it begins with a formula's first
    character and is not a number written as text.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def neutral(value: Any) -> Any:
    """``value``, with an apostrophe before it when a spreadsheet would run it."""
    return "'" + value if is_formula_like(value) else value


def neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` for a CSV file: every text cell and column name that a spreadsheet would run,
    with an apostrophe before it. The table itself (no copy) when it has none, so that a table
    of ordinary names is written exactly as before.
    """
    texts = [
        i for i, dtype in enumerate(table.dtypes) if dtype.kind == "O" or isinstance(dtype, pd.StringDtype)
    ]
    columns = [i for i in texts if table.iloc[:, i].map(is_formula_like).any()]
    renamed = any(is_formula_like(c) for c in table.columns)
    if not columns and not renamed:
        return table
    table = table.copy()
    for i in columns:  # by position: a column name may repeat
        table.isetitem(i, table.iloc[:, i].map(neutral))
    if renamed:
        table.columns = [neutral(c) for c in table.columns]
    return table


def keep_as_text(workbook: Workbook) -> None:
    """Store every cell of ``workbook`` that openpyxl took for a formula as the text it is:
    ecosim writes values, never formulas, so each such cell is a name that began with ``=``.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
