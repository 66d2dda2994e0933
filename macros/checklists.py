"""Checklist data (macros/data/checklists/*.yml): loading, validation, rendering.

(Being written: see issue 4.)
"""


def checklist(name: str) -> str:
    """Render one checklist (before-entry, during, materials, rectification) as a table."""
    raise NotImplementedError(name)


def checklist_count(name: str | None = None) -> int:
    """Number of items in one checklist, or in all of them."""
    raise NotImplementedError(name)
