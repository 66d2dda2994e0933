"""Supervision focus areas of the leader's speech, by inspection kind.

(Being written: see issue 3.)
"""


def focus_areas() -> list:
    """The focus areas for this campaign's kind, after the campaign's own `focus` override."""
    raise NotImplementedError
