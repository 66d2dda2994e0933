"""mkdocs-macros entry point: load the campaign, expose its values, register macros.

This module only registers. The logic lives in plain modules (`campaign`, `cn`,
`blocks`, `checklists`, `focus`) that are unit-tested without MkDocs.
"""

from __future__ import annotations



def define_env(env):
    """Validate the campaign before any page renders; a bad file stops the build here,
    before MkDocs cleans or writes the output folder."""
    # Imported here so `python -m macros.<module>` doesn't pre-import its own module.
    from mkdocs.exceptions import Abort

    from . import blocks, campaign, checklists, focus, state

    path = campaign.resolve_path(env.conf.get("extra"))
    try:
        model = campaign.load(path)
    except campaign.CampaignError as e:
        raise Abort("\n" + e.report()) from None

    state.begin(model, path)
    try:
        # Checklist data and the campaign's drop/due/add overrides, checked before any page renders.
        checklists.edition_lists(model)
    except checklists.ChecklistError as e:
        raise Abort(f"\n巡察版本文件有误：{path}\n  - {e}") from None
    c = env.variables["c"] = campaign.context(model)
    # Values for the theme templates (overrides/main.html), which do not escape.
    env.conf["extra"]["xc"] = {
        "label": c.label,
        "edition_title": f"{c.group.name}巡察{c.inspected.org}（{c.kind_label}，{c.dates.range}）",
        "print_header": campaign.css_string(f"{model.inspected.org} · {campaign.context_raw_kind(model)}"),
        "print_label": campaign.css_string(model.label),
    }

    # Registered macros: each has a one-line docstring shown by macros_info().
    for fn in (
        blocks.fill,
        blocks.due,
        blocks.fill_summary,
        blocks.print_tools,
        checklists.checklist,
        checklists.checklist_count,
        focus.focus_areas,
    ):
        env.macro(fn)
