"""Campaign files: which one a build uses, and reading it into a validated `Campaign`.

`load(path)` returns a `Campaign` or raises `CampaignError` with every problem in the
file at once, each as a dotted key path and a Chinese message (see macros/yamlio.py).
Everything derived from a campaign is worked out once, in macros/edition.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import yamlio
from .schema import Campaign

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CAMPAIGN = "campaigns/example.yml"
WHAT = "巡察版本文件"


class CampaignError(yamlio.InputError):
    """A campaign file that cannot be used."""

    def __init__(self, path, problems, what: str = WHAT, footer: str = "本次未生成、未覆盖任何文件。"):
        super().__init__(path, problems, what, footer)


def _as_campaign_error(e: yamlio.InputError) -> CampaignError:
    return CampaignError(e.path, e.problems, e.what, e.footer)


def read(path: str | os.PathLike) -> Any:
    """The parsed YAML of a campaign (or round) file, before validation."""
    try:
        return yamlio.load(Path(path), WHAT)
    except yamlio.InputError as e:
        raise _as_campaign_error(e) from None


def validate(data: Any, path: str | os.PathLike, prefix: str = "") -> Campaign:
    """A campaign from parsed data; `prefix` places key paths inside a round file."""
    if not isinstance(data, dict):
        raise CampaignError(path, [(prefix, "顶层应为键值映射（如 id: …、committee: …）")])
    try:
        return yamlio.validate(Campaign, data, path, WHAT, prefix)
    except yamlio.InputError as e:
        raise _as_campaign_error(e) from None


def load(path: str | os.PathLike) -> Campaign:
    return validate(read(path), path)


def resolve_path(config_extra: dict | None = None) -> Path:
    """The campaign to build: extra.campaign_file (set by a caller such as a test or a
    custom config), else $CAMPAIGN, else campaigns/example.yml. Relative paths are from
    the working folder when the file is there, else from the project root."""
    value = (config_extra or {}).get("campaign_file") or os.environ.get("CAMPAIGN") or DEFAULT_CAMPAIGN
    p = Path(value)
    if not p.is_absolute() and not p.exists():
        p = ROOT / p
    return p
