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
        raise Abort(f"\n清单设置有误（巡察版本文件 {path} 的 checklists，或 macros/data/checklists/ 下的数据文件）：\n  - {e}") from None
    env.variables["c"] = campaign.context(model)
    env.conf["extra"]["xc"] = campaign.theme_values(model)

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
