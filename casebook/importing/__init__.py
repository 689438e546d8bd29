"""Spreadsheets in and out: read a CSV/XLSX file, check every row, write them all in one
transaction (or nothing); the template; exports with the victim-details permission.

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "run": ("import_incidents",),
        "cells": ("template_bytes", "read_file", "map_header", "parse_cells"),
        "export": ("export_incidents", "export_bytes", "iter_records", "columns"),
    },
)
