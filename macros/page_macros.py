"""The macros Markdown pages may call, bound to one edition.

`for_edition(ed)` returns {name: function}; macros/__init__.py registers them with
mkdocs-macros. Each returns HTML (escaped) or plain values from the edition.
"""

from __future__ import annotations

from typing import Callable

from . import blocks, checklists, forms, home, rectify, rectify_html, talks
from .edition import Edition
from .schema import LIST_NAMES


def for_edition(ed: Edition, docs: list | None = None) -> dict[str, Callable]:
    c_ctx = ed.page_variables["c"]

    def fill(hint: str) -> str:
        """Text only the inspected unit can supply: 〔待填：hint〕, listed on the home page."""
        return blocks.fill(hint)

    def due(rule: str) -> str:
        """A time limit as words and a real date, e.g. due("start-2") → 进驻前2日（…）."""
        return blocks.due(rule, ed.dates)

    def print_tools(docx: str | None = None) -> str:
        """The print button, the print note and the optional .docx download."""
        return blocks.print_tools(docx)

    def signature(name: str, date: str | None = None) -> str:
        """Issuer and date under a document, placed as GB/T 9704 places an unsealed one."""
        return blocks.signature(name, date)

    def notices() -> str:
        """The edition's notices (dates on days off, calendar coverage, theme fit)."""
        return blocks.notices(ed.notices)

    def fill_summary() -> str:
        """Where the home page lists every fill marker (filled in after rendering)."""
        return blocks.FILL_SUMMARY_MARK

    def _list(name: str) -> checklists.EditionList:
        if name not in LIST_NAMES:
            raise checklists.ChecklistError(f"未知的清单：“{name}”（可用：{'、'.join(LIST_NAMES)}）")
        return ed.lists[name]

    def checklist(name: str) -> str:
        """One checklist (before-entry, during, materials, rectification) as a printable table."""
        return checklists.render(_list(name), c_ctx, ed.dates)

    def checklist_count(name: str | None = None) -> int:
        """Number of items in one checklist, or in all of them."""
        if name is None:
            return sum(len(el.entries) for el in ed.lists.values())
        return len(_list(name).entries)

    def materials_list() -> str:
        """The materials checklist as a numbered list by category (the notice's attachment)."""
        return checklists.render_plain(ed.lists["materials"])

    def talk_outlines() -> list:
        """The talk outlines (escaped), one per category of interviewee."""
        return ed.page_variables["talks"]

    def talk_schedule() -> str:
        """The printable talk schedule, grouped by category (and by village)."""
        return talks.schedule_html(ed.talks, ed.unit_words.talk_counts, ed.values["villages"])

    def evaluation_form() -> str:
        """The 民主测评表 (team, members, and 选人用人 where the kind calls for it)."""
        return forms.evaluation_html(ed.campaign.kind, ed.terms, ed.unit_words.team_size, blocks.fill)

    def questionnaire_form() -> str:
        """The staff questionnaire."""
        return forms.questionnaire_html(ed.terms)

    def handover_form() -> str:
        """The register of documents handed over, pre-filled with the materials list."""
        return forms.handover_html(ed.lists["materials"])

    def problem_table() -> str:
        """The rectification plan's three lists as one table, a row per problem (Z-01…)."""
        return rectify_html.plan_table(ed)

    def ledger_progress() -> str:
        """The returned ledger summed up: counts, overdue items, open items (or a note)."""
        return rectify_html.progress(ed)

    def ledger_numbers() -> dict:
        """The figures of the returned ledger for the progress bulletin ({} when none came back)."""
        return rectify_html.bulletin_numbers(ed)

    def ledger_columns() -> list:
        """The ledger workbook's columns and what to write in each."""
        return [{"name": h, "help": text} for h, _, text in rectify.COLUMNS]

    def role_entries() -> str:
        """The home page's two entries (巡察组, 被巡察单位): each reader's documents by phase."""
        return home.role_entries(docs or [])

    def timeline() -> str:
        """The inspection's dated steps; the browser marks the current one."""
        return home.timeline(ed.values["timeline"])

    def contact_block() -> str:
        """Every channel to reach the group, in large type, with the intake deadline."""
        return home.contact_block(ed.values)

    def focus_areas() -> list:
        """The leader speech's focus areas (escaped), after the campaign's own `focus`."""
        return ed.page_variables["focus"]

    return {f.__name__: f for f in (fill, due, print_tools, signature, notices, fill_summary, checklist, checklist_count, materials_list,
                                     talk_outlines, talk_schedule, evaluation_form, questionnaire_form, handover_form, problem_table,
                                     ledger_progress, ledger_numbers, ledger_columns, role_entries, timeline,
                                     contact_block, focus_areas)}
