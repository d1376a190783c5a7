#!/usr/bin/python3
"""Checks the overview's Excel workbook against the numbers the page showed.

Usage: /usr/bin/python3 tests/e2e/xlsx_check.py WORKBOOK.xlsx EXPECTED.json
EXPECTED: {"years": [2024, ...], "columns": [7 headings],
           "plans": [{"name": ..., "amounts": [per year], "titles": [measure titles]}],
           "total": [per year]}
Opens the workbook twice with openpyxl (formulas, and the cached values), and checks: the
first sheet is «Sammendrag» with a row per plan and a column per year; each cell there is
=SUM('Sheet'!COL2:COLn) over that plan's year column, and the script's own sum of that range
equals both the cached value and the page's sum; the total row's =SUM over the column equals
the page's total; each plan's sheet has the headings (bold), a frozen header row, an
autofilter, and the measures in order. Exits 1 with every problem listed. Layer: tests."""
import json
import re
import sys

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def range_sum(wb, sheet, col, first, last):
    ws = wb[sheet]
    c = column_index_from_string(col)
    total = 0
    for row in range(first, last + 1):
        v = ws.cell(row=row, column=c).value
        if isinstance(v, (int, float)):
            total += v
    return total


def main():
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        exp = json.load(f)
    wb = load_workbook(path)                    # formulas as text
    cached = load_workbook(path, data_only=True)  # the values written with them
    years = [str(y) for y in exp["years"]]
    check(wb.sheetnames[0] == "Sammendrag", f"first sheet is {wb.sheetnames[0]!r}")
    summary, summary_cached = wb.worksheets[0], cached.worksheets[0]
    head = [summary.cell(row=1, column=1 + k).value for k in range(len(years) + 1)]
    check(head == ["Plan"] + years, f"Sammendrag headings {head!r}")
    check(len(wb.sheetnames) == 1 + len(exp["plans"]), f"sheets {wb.sheetnames!r}")
    formula_re = re.compile(r"^=SUM\('((?:[^']|'')+)'!([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")
    evaluated = {}
    for p, plan in enumerate(exp["plans"]):
        row = 2 + p
        check(summary.cell(row=row, column=1).value == plan["name"],
              f"Sammendrag row {row} is {summary.cell(row=row, column=1).value!r}, want {plan['name']!r}")
        sheet = None
        for k, want in enumerate(plan["amounts"]):
            cell = summary.cell(row=row, column=2 + k)
            m = formula_re.match(str(cell.value))
            check(m is not None, f"{plan['name']} {years[k]}: not a SUM over a sheet: {cell.value!r}")
            if not m:
                continue
            sheet = m.group(1).replace("''", "'")
            check(m.group(2) == m.group(4), f"{cell.value}: one column")
            value = range_sum(wb, sheet, m.group(2), int(m.group(3)), int(m.group(5)))
            cached_value = summary_cached.cell(row=row, column=2 + k).value
            check(value == cached_value, f"{plan['name']} {years[k]}: formula gives {value}, cached {cached_value}")
            check(value == want, f"{plan['name']} {years[k]}: formula gives {value}, the page {want}")
            evaluated[(row, 2 + k)] = value
        if sheet is None:
            continue
        ws = wb[sheet]
        heads = [ws.cell(row=1, column=c).value for c in range(1, 8 + len(years))]
        check(heads == exp["columns"] + years, f"{sheet}: headings {heads!r}")
        check(ws.cell(row=1, column=1).font.b, f"{sheet}: bold headings")
        check(ws.freeze_panes == "A2", f"{sheet}: frozen header row ({ws.freeze_panes!r})")
        check(bool(ws.auto_filter.ref), f"{sheet}: an autofilter")
        titles = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
        check(titles == plan["titles"], f"{sheet}: measures {titles!r}, want {plan['titles']!r}")
    total_row = 2 + len(exp["plans"])
    check(summary.cell(row=total_row, column=1).value == "Sum", "the total row is «Sum»")
    for k, want in enumerate(exp["total"]):
        cell = summary.cell(row=total_row, column=2 + k)
        m = re.match(r"^=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$", str(cell.value))
        check(m is not None, f"total {years[k]}: {cell.value!r}")
        if not m:
            continue
        col = column_index_from_string(m.group(1))
        value = sum(evaluated.get((r, col), 0) for r in range(int(m.group(2)), int(m.group(4)) + 1))
        check(value == want, f"total {years[k]}: formula gives {value}, the page {want}")
        check(summary_cached.cell(row=total_row, column=2 + k).value == want,
              f"total {years[k]}: cached {summary_cached.cell(row=total_row, column=2 + k).value}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"ok: {len(exp['plans'])} plans, {len(years)} years")


main()
