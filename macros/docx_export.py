"""Editable .docx files of the speeches and the announcement (being written: issue 6)."""


def build_all(site_dir, st) -> None:
    """Write a .docx beside every page that asks for one."""
    return None
