"""Text a spreadsheet would run as a formula, neutralised where tables are written."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosim import spreadsheet


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_text_that_begins_like_a_formula_gets_an_apostrophe(text):
    assert spreadsheet.is_formula_like(text)
    assert spreadsheet.neutral(text) == "'" + text


@pytest.mark.parametrize("value", ["baseline", "a+b", "u0001+lever", "-0.5", "+1", "1e-3", "", 5, -1.5, None])
def test_names_and_numbers_are_left_alone(value):
    assert not spreadsheet.is_formula_like(value)
    assert spreadsheet.neutral(value) == value


def test_a_table_of_ordinary_names_is_written_as_before():
    table = pd.DataFrame({"arm": ["baseline", "a+b"], "value": [-1.0, 2.0], "delta": ["-0.5", "1"]})
    assert spreadsheet.neutralised(table) is table


def test_only_the_cells_and_names_a_spreadsheet_would_run_change():
    table = pd.DataFrame([["=x", -1.0, "ok"], ["fine", 2.0, "@y"]], columns=["arm", "-z", "arm"])
    out = spreadsheet.neutralised(table)
    assert out.values.tolist() == [["'=x", -1.0, "ok"], ["fine", 2.0, "'@y"]]
    assert list(out.columns) == ["arm", "'-z", "arm"]
    assert table.iloc[0, 0] == "=x"  # the caller's table is not changed
