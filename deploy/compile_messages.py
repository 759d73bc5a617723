"""Compile a gettext catalogue (.po) to .mo where msgfmt is not installed.

    python deploy/compile_messages.py locale/fr/LC_MESSAGES/django.po OUT.mo

`make install` uses gettext's `msgfmt --check` when it is there (it also
checks that each translation keeps its placeholders); on a machine with only
Python and pip it falls back to this, so `make test` still runs. Fuzzy and
obsolete entries are left out, as msgfmt leaves them out. The output is
written beside the target and renamed, so no reader sees half a file.
"""

import os
import sys
from pathlib import Path

import polib


def po_compile(po: Path, mo: Path) -> int:
    """Write `mo` from `po`; return the number of translated entries."""
    catalogue = polib.pofile(str(po))
    partial = mo.with_name(mo.name + ".partial")
    catalogue.save_as_mofile(str(partial))
    os.replace(partial, mo)
    return len(catalogue.translated_entries())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: compile_messages.py CATALOGUE.po OUTPUT.mo")
    po_compile(Path(sys.argv[1]), Path(sys.argv[2]))
