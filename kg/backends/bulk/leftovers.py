"""What a killed ``kg load`` leaves: scratch folders beside the store, bulk-loading tables in it."""

from __future__ import annotations

import shutil
from pathlib import Path


def clean_leftovers(path: Path) -> list[str]:
    """Remove what a killed load into ``path`` left (run with the store open for writing, so no
    other load into it runs): its scratch folders beside it and Oxigraph's bulk-loading tables
    in it. The names removed."""
    removed = []
    for scratch in sorted(path.resolve().parent.glob(f"{scratch_prefix(path)}*")):
        if scratch.is_dir():
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(str(scratch))
    for table in sorted(path.glob("bulk-*.sst")):
        table.unlink(missing_ok=True)
        removed.append(str(table))
    return removed


def scratch_prefix(path: Path) -> str:
    return f".kg-load-{path.resolve().name}-"
