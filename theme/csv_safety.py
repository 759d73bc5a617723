"""CSV cells that a spreadsheet opens as text, never as a formula.

Anyone can put text into what staff export (a subscriber's name, a page
title), and a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
(or a tab or carriage return before one) as a formula: `=HYPERLINK(...)`
leaks data, DDE payloads run commands. OWASP's rule (CSV Injection): prefix
such a cell with a single quote, and quote every cell, so that a `;` or a tab
inside a value cannot open a new cell where a spreadsheet splits on them.

Every CSV the site writes goes through here: our own code calls
`csv_writer`/`csv_cell_safe`, and `install()` (run by `theme.apps`) gives
Wagtail's one CSV writer, `SpreadsheetExportMixin`, the same rule. That
mixin serves snippet and model listings with `list_export`, the reports and
wagtail_modeladmin's exports.
"""

import csv

# The characters OWASP lists, and their full-width forms, which some
# spreadsheets also read as the start of a formula.
FORMULA_STARTS = frozenset("=+-@\t\r" + "\uff1d\uff0b\uff0d\uff20")


def csv_cell_safe(value):
    """A string a spreadsheet shows as text; other values unchanged."""
    if not isinstance(value, str) or not value:
        return value
    # A spreadsheet may trim leading spaces (and new lines) before it looks.
    stripped = value.lstrip(" \n\u00a0")
    if value[0] in FORMULA_STARTS or stripped[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_row_safe(row):
    """A row (a sequence or a mapping) with every cell made safe."""
    if isinstance(row, dict):
        return {key: csv_cell_safe(value) for key, value in row.items()}
    return [csv_cell_safe(value) for value in row]


class SafeWriter:
    """A `csv.writer` that quotes every cell and neutralises formulas."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(csv_row_safe(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    def writeheader(self):
        fieldnames = self._writer.fieldnames
        return self.writerow(dict(zip(fieldnames, fieldnames, strict=True)))


def csv_writer(file, *, fieldnames=None, **options) -> SafeWriter:
    """A safe writer over `file`: a `DictWriter` when `fieldnames` are given."""
    options.setdefault("quoting", csv.QUOTE_ALL)
    if fieldnames is not None:
        return SafeWriter(csv.DictWriter(file, fieldnames=fieldnames, **options))
    return SafeWriter(csv.writer(file, **options))


def _write_csv_row(self, writer, row_dict):
    return writer.writerow(
        {
            field: csv_cell_safe(
                self.preprocess_field_value(field, value, self.FORMAT_CSV)
            )
            for field, value in row_dict.items()
        }
    )


def _stream_csv(self, queryset):
    # Wagtail's stream_csv with every cell quoted and the headings made safe.
    from wagtail.admin.views.mixins import Echo

    writer = csv.DictWriter(Echo(), fieldnames=self.list_export, quoting=csv.QUOTE_ALL)
    yield writer.writerow(
        {
            field: csv_cell_safe(self.get_heading(queryset, field))
            for field in self.list_export
        }
    )
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def install() -> None:
    """Make Wagtail's spreadsheet export write safe CSV (idempotent)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.write_csv_row = _write_csv_row
    SpreadsheetExportMixin.stream_csv = _stream_csv
