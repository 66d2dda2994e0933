"""Checklist data (macros/data/checklists/*.yml): validation, one edition's lists, rendering.

The four lists (before-entry, during, materials, rectification) are YAML files of items
with an owner and a due rule. For one edition they are filtered (by kind, and by the
facts an item needs), changed by the campaign's `checklists:` overrides (drop / due /
add), and rendered as one printable HTML table per list with real checkboxes (ticks
are kept by docs/assets/javascripts/checklists.js). Every problem raises
`ChecklistError` before any page renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import Field, StrictStr, model_validator

from . import catalogue, cn, schedule, wording
from .escape import esc
from .schema import LIST_NAMES, Campaign, ChecklistItem, Kind, StrictModel, UnitType

DATA_DIR = catalogue.DATA / "checklists"
CATEGORISED = "materials"


class ChecklistError(ValueError):
    """A campaign's `checklists:` override that cannot be used (the data files report
    their own problems through yamlio.InputError)."""


# ---- Data file models ---------------------------------------------------------------


class Item(ChecklistItem):
    # Data-file items may be limited to some kinds of inspection and some unit types.
    kinds: Optional[list[Kind]] = Field(None, min_length=1)
    types: Optional[list[UnitType]] = Field(None, min_length=1)

    @model_validator(mode="after")
    def _placeholders(self):
        for field in ("text", "owner", "note", "category"):
            wording.check(getattr(self, field) or "")
        return self


class ListFile(StrictModel):
    title: StrictStr = Field(min_length=2)
    intro: StrictStr = Field(min_length=4)
    categories: Optional[list[StrictStr]] = Field(None, min_length=1)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _categories(self):
        for i, item in enumerate(self.items):
            if self.categories is None and item.category is not None:
                raise ValueError(f"items[{i}]（{item.id}）：本清单不分类，不能写 category")
            if self.categories is not None and item.category not in self.categories:
                raise ValueError(f"items[{i}]（{item.id}）：category 应为 categories 中的一项"
                                 f"（{'、'.join(self.categories)}），当前为 {item.category!r}")
        return self


def load_lists(data_dir: Path = DATA_DIR) -> dict[str, ListFile]:
    """All four data files, validated; ids must be unique across the lists."""
    from .yamlio import InputError

    lists: dict[str, ListFile] = {}
    seen: dict[str, str] = {}
    for name in LIST_NAMES:
        path = data_dir / f"{name}.yml"
        lf = catalogue.load(path, ListFile)
        if (name == CATEGORISED) != (lf.categories is not None):
            raise InputError(path, [("categories", f"categories 只用于且必须用于 {CATEGORISED}.yml")], "数据文件")
        for item in lf.items:
            if item.id in seen:
                raise InputError(path, [("items", f"事项 id“{item.id}”同时出现在 {seen[item.id]}.yml 和 {name}.yml")],
                                 "数据文件")
            seen[item.id] = name
        lists[name] = lf
    extra = sorted(p.stem for p in data_dir.glob("*.yml") if p.stem not in LIST_NAMES)
    if extra:
        raise InputError(data_dir, [("", f"未知的清单数据文件：{'、'.join(extra)}（可用：{'、'.join(LIST_NAMES)}）")],
                         "数据文件夹")
    return lists


# ---- One edition's lists ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An item as it appears in one edition: placeholders filled, overrides applied (plain text)."""

    id: str
    text: str
    owner: str
    due: str
    note: str = ""
    category: str = ""


@dataclass(frozen=True)
class EditionList:
    name: str
    title: str
    intro: str
    categories: tuple[str, ...]
    entries: tuple[Entry, ...]


def _needs(item: ChecklistItem) -> set[str]:
    """The facts an item cannot do without: placeholders outside optional [parts]."""
    out = set()
    for field in ("text", "owner", "note", "category"):
        value = re.sub(r"\[[^\[\]]*\]", "", getattr(item, field) or "")
        out |= wording.names(value)
    return out


def _applies(item: Item, c: Campaign, terms: dict[str, str]) -> bool:
    if item.kinds is not None and c.kind not in item.kinds:
        return False
    if item.types is not None and c.inspected.type not in item.types:
        return False
    # An item about the theme (or the previous inspection) only where the campaign has one.
    return all(terms.get(n) for n in _needs(item))


def _why_not(item: Item, c: Campaign) -> str:
    if item.kinds is not None and c.kind not in item.kinds:
        return f"该事项只用于{'、'.join(item.kinds)}巡察，本次为{c.kind}巡察"
    if item.types is not None and c.inspected.type not in item.types:
        return f"该事项只用于{'、'.join(item.types)}，本次被巡察单位为{c.inspected.type}"
    return "该事项需要本次巡察未填写的内容（如巡察主题）"


THEME_CATEGORY = "巡察主题相关资料"


def _theme_items(c: Campaign, terms: dict[str, str], theme) -> dict[str, list[Item]]:
    """Items a theme adds: its checklist items, and its materials under THEME_CATEGORY.
    A theme the catalogue lacks adds the generic theme materials."""
    out: dict[str, list[Item]] = {name: [] for name in LIST_NAMES}
    if not c.theme:
        return out
    if theme is not None:
        for it in theme.checklist:
            out[it.list].append(Item(id=it.id, text=it.text, owner=it.owner, due=it.due, category=it.category))
        materials = theme.materials
    else:
        materials = catalogue.generic_theme().materials
    for n, text in enumerate(materials, start=1):
        out["materials"].append(Item(id=f"theme-material-{n}", text=text, owner="{business_dept}",
                                     due="start+3w" if n <= 3 else "during", category=THEME_CATEGORY))
    return out


def edition_lists(c: Campaign, terms: dict[str, str], theme=None, data_dir: Path = DATA_DIR) -> dict[str, EditionList]:
    """The four lists of one campaign: filters, the theme's items, then drop / due / add overrides."""
    lists = load_lists(data_dir)
    extra = _theme_items(c, terms, theme)
    lists = {name: lf.model_copy(update={"items": [*lf.items, *extra[name]]}) for name, lf in lists.items()}
    by_id = {item.id: (name, item) for name, lf in lists.items() for item in lf.items}
    ov = c.checklists
    problems: list[str] = []

    kept = {name: [i for i in lf.items if _applies(i, c, terms)] for name, lf in lists.items()}
    in_edition = {i.id for items in kept.values() for i in items}
    added_ids: set[str] = set()
    for n, add in enumerate(ov.add):
        if add.id in by_id or add.id in added_ids:
            problems.append(f"checklists.add[{n}].id：事项 id“{add.id}”已存在，请换一个")
        added_ids.add(add.id)
        cats = lists[add.list].categories
        if cats is None and add.category is not None:
            problems.append(f"checklists.add[{n}].category：{add.list} 清单不分类，请删去 category")
        if cats is not None and add.category not in cats:
            problems.append(f"checklists.add[{n}].category：{add.list} 清单的事项须写 category，"
                            f"应为以下之一：{'、'.join(cats)}")

    def check_known(key: str, ident: str):
        if ident in in_edition or ident in added_ids:
            return
        if ident in by_id:
            problems.append(f"{key}：事项“{ident}”不在本版本的清单中（{_why_not(by_id[ident][1], c)}）")
        else:
            problems.append(f"{key}：没有 id 为“{ident}”的清单事项")

    for ident in ov.drop:
        check_known("checklists.drop", ident)
    for ident in ov.due:
        check_known("checklists.due", ident)
    if problems:
        raise ChecklistError("\n".join(problems))

    dropped = set(ov.drop)
    out: dict[str, EditionList] = {}

    def fill(v):
        return wording.fill(v or "", terms)

    for name, lf in lists.items():
        entries = [Entry(id=i.id, text=fill(i.text), owner=fill(i.owner), due=ov.due.get(i.id, i.due),
                         note=fill(i.note), category=fill(i.category))
                   for i in kept[name] if i.id not in dropped]
        for add in ov.add:
            if add.list == name and add.id not in dropped:
                entries.append(Entry(id=add.id, text=add.text, owner=add.owner, due=ov.due.get(add.id, add.due),
                                     note=add.note or "", category=add.category or ""))
        if lf.categories:
            # Added items join their category; categories left empty are not shown.
            order = {cat: k for k, cat in enumerate(lf.categories)}
            entries.sort(key=lambda e: order[e.category])
        cats = tuple(dict.fromkeys(e.category for e in entries if e.category))
        out[name] = EditionList(name=name, title=fill(lf.title), intro=fill(lf.intro),
                                categories=cats, entries=tuple(entries))
    return out


# ---- Rendering ----------------------------------------------------------------------------

# Screen columns, then the columns that only exist on paper (to be written by hand).
_COLUMNS = ("序号", "事项", "责任", "时限", "完成")
_PAPER = ("完成日期", "经办人", "备注")


def _row(n: int, list_name: str, e: Entry, dates: schedule.KeyDates) -> str:
    d = schedule.due(e.due, dates)
    box_id = f"xc-{list_name}-{e.id}"
    item = esc(e.id)
    note = (f'<span class="xc-checklist__note xc-noprint" data-search-exclude="">说明：{esc(e.note)}</span>'
            if e.note else "")
    est = '<span class="xc-checklist__est">（预计）</span>' if d.estimated else ""
    date = esc(d.text.removesuffix("（预计）"))
    return (
        f'<tr class="xc-checklist__row" data-item="{item}">'
        f'<td class="xc-checklist__no" data-label="序号" data-search-exclude="">{n}</td>'
        f'<td class="xc-checklist__text" data-label="事项">{esc(e.text)}{note}</td>'
        f'<td class="xc-checklist__owner" data-label="责任">{esc(e.owner)}</td>'
        f'<td class="xc-checklist__due" data-label="时限" data-xc-due-rule="{esc(e.due)}" data-xc-due="{d.day.isoformat()}">'
        f'{esc(d.label)}<span class="xc-checklist__date">（{date}）</span>{est}</td>'
        # The tick box and its label are controls, not text to search.
        f'<td class="xc-checklist__done" data-label="完成" data-search-exclude="">'
        f'<input type="checkbox" class="xc-check" id="{esc(box_id)}" data-item="{item}" '
        f'aria-label="第{n}项已完成：{esc(e.text)}">'
        # The label is the box printed on paper (a native checkbox prints faint and round).
        f'<label class="xc-check__box" for="{esc(box_id)}"><span class="xc-check__text">已完成</span></label></td>'
        + "".join(f'<td class="xc-checklist__paper" aria-hidden="true" data-search-exclude=""></td>' for _ in _PAPER)
        + "</tr>"
    )


def render(el: EditionList, c_ctx, dates: schedule.KeyDates) -> str:
    """One list as HTML: campaign header, progress bar, table, sign-off line. No blank lines,
    so Markdown keeps it as one raw HTML block. `c_ctx` holds escaped values."""
    n_items = len(el.entries)
    head = (f'{c_ctx.group.name}巡察{c_ctx.inspected.org_short}'
            f'<span class="xc-checklist__sep"> · </span>{c_ctx.kind_label}'
            f'<span class="xc-checklist__sep"> · </span>{c_ctx.dates.range}')
    cols = len(_COLUMNS) + len(_PAPER)
    parts = [
        f'<div class="xc-checklist" data-xc-checklist="{esc(el.name)}" data-xc-edition="{c_ctx.id}">',
        # The page heading names the list; this line names the campaign on every printed copy.
        '<div class="xc-checklist__head">',
        f'<p class="xc-checklist__campaign">{head}</p>',
        "</div>",
        f'<p class="xc-checklist__intro">{esc(el.intro)}</p>',
        '<div class="xc-checklist__bar" role="group" aria-label="勾选进度" data-search-exclude="">',
        f'<span class="xc-checklist__progress" data-xc-progress aria-live="polite">已完成 0 / {n_items}</span>',
        '<button type="button" class="md-button xc-checklist__clear" data-xc-clear>清除勾选</button>',
        "</div>",
        f'<table class="xc-checklist__table" data-xc-list="{esc(el.name)}">',
        f'<caption class="xc-checklist__caption">{esc(el.title)}（共 {n_items} 项）</caption>',
        '<thead data-search-exclude=""><tr>'
        + "".join(f'<th scope="col" class="xc-checklist__h{k}">{col}</th>' for k, col in enumerate(_COLUMNS))
        + "".join(f'<th scope="col" class="xc-checklist__paper">{col}</th>' for col in _PAPER)
        + "</tr></thead>",
        "<tbody>",
    ]
    n = 0
    current = None
    for e in el.entries:
        if e.category and e.category != current:
            current = e.category
            ordinal = cn.numeral(el.categories.index(current) + 1)
            parts.append(f'<tr class="xc-checklist__cat"><th scope="colgroup" colspan="{cols}">'
                         f"{ordinal}、{esc(current)}</th></tr>")
        n += 1
        parts.append(_row(n, el.name, e, dates))
    parts += [
        "</tbody></table>",
        # Blanks to sign on are drawn by CSS borders: underscores would trip the leftover scan.
        '<p class="xc-checklist__sign" data-search-exclude="">'
        '<span class="xc-sign">填表人：<span class="xc-sign__blank"></span></span>'
        '<span class="xc-sign">审核人：<span class="xc-sign__blank"></span></span>'
        '<span class="xc-sign">日期：<span class="xc-sign__blank xc-sign__blank--date"></span></span>'
        "</p>",
        "</div>",
    ]
    return "\n".join(parts)


def render_plain(el: EditionList) -> str:
    """A list as plain numbered paragraphs by category: for a notice's attachment, where
    a tickable table would be out of place."""
    parts = []
    current = None
    n = 0
    for e in el.entries:
        if e.category and e.category != current:
            current = e.category
            parts.append(f'<p class="xc-list-cat">{cn.numeral(el.categories.index(current) + 1)}、{esc(current)}</p>')
        n += 1
        parts.append(f'<p class="xc-list-item">{n}. {esc(e.text)}</p>')
    return "\n".join(parts)
