"""Checklist data (macros/data/checklists/*.yml): loading, validation, rendering.

The four lists (before-entry, during, materials, rectification) are YAML files of
items with an owner and a due rule. For one edition they are filtered by kind,
changed by the campaign's `checklists:` overrides (drop / due / add), and rendered
as one printable HTML table per list with real checkboxes (ticks are kept by
docs/assets/javascripts/checklists.js). Every problem raises `ChecklistError`,
which fails the build through mkdocs-macros (`on_error_fail`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import Field, StrictStr, ValidationError, model_validator

from . import blocks, cn, placeholders, state
from .campaign import context, esc
from .schema import KINDS, Campaign, ChecklistItem, StrictModel

DATA_DIR = Path(__file__).resolve().parent / "data" / "checklists"
LIST_NAMES = ("before-entry", "during", "materials", "rectification")
CATEGORISED = "materials"

# Kinds that may carry a theme / a previous inspection (see macros/schema.py).
THEME_KINDS = {"专项", "机动", "提级"}
PREVIOUS_KINDS = {"回头看"}


class ChecklistError(ValueError):
    """A checklist data file or a campaign's `checklists:` override that cannot be used."""


# ---- Data file models ---------------------------------------------------------------



class Item(ChecklistItem):
    # Data-file items may be limited to some kinds of inspection.
    kinds: Optional[list[Literal["常规", "专项", "机动", "提级", "回头看"]]] = Field(None, min_length=1)

    @model_validator(mode="after")
    def _placeholders(self):
        used = set()
        for field in ("text", "owner", "note", "category"):
            value = getattr(self, field) or ""
            placeholders.check(value)
            used |= placeholders.used(value)
        kinds = set(self.kinds or KINDS)
        # A placeholder the campaign may leave empty must be limited to kinds that have it.
        if "theme" in used and not kinds <= THEME_KINDS:
            raise ValueError("用了 {theme} 的事项须写 kinds，且只能是 专项、机动、提级")
        if "previous" in used and not kinds <= PREVIOUS_KINDS:
            raise ValueError("用了 {previous} 的事项须写 kinds: [回头看]")
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


def _yaml_error(path: Path, e: Exception) -> ChecklistError:
    return ChecklistError(f"清单数据文件 {path.name} 不是有效的 YAML：{e}")


def _validation_error(path: Path, e: ValidationError) -> ChecklistError:
    lines = [f"清单数据文件 {path.name} 有误："]
    for err in e.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "（文件）"
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"  - {loc}：{msg}（当前值：{err.get('input')!r}）" if err["type"] != "missing"
                     else f"  - {loc}：缺少必填项")
    return ChecklistError("\n".join(lines))


def load_lists(data_dir: Path = DATA_DIR) -> dict[str, ListFile]:
    """All four data files, validated; ids must be unique across the lists."""
    lists: dict[str, ListFile] = {}
    seen: dict[str, str] = {}
    for name in LIST_NAMES:
        path = data_dir / f"{name}.yml"
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ChecklistError(f"缺少清单数据文件 {path}") from None
        except yaml.YAMLError as e:
            raise _yaml_error(path, e) from None
        try:
            lf = ListFile.model_validate(raw)
        except ValidationError as e:
            raise _validation_error(path, e) from None
        if (name == CATEGORISED) != (lf.categories is not None):
            raise ChecklistError(f"清单数据文件 {path.name}：categories 只用于且必须用于 {CATEGORISED}.yml")
        for item in lf.items:
            if item.id in seen:
                raise ChecklistError(f"清单事项 id 重复：“{item.id}”同时出现在 {seen[item.id]}.yml 和 {name}.yml")
            seen[item.id] = name
        lists[name] = lf
    extra = sorted(p.stem for p in data_dir.glob("*.yml") if p.stem not in LIST_NAMES)
    if extra:
        raise ChecklistError(f"未知的清单数据文件：{'、'.join(extra)}（可用：{'、'.join(LIST_NAMES)}）")
    return lists


# ---- One edition's lists ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An item as it appears in one edition: placeholders filled, overrides applied (raw text)."""

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


def _applies(item: Item, c: Campaign) -> bool:
    if item.kinds is not None and c.kind not in item.kinds:
        return False
    # Theme items only when this campaign has a theme (机动/提级 may have none).
    if "{theme}" in item.text and not c.theme:
        return False
    return True


def _why_not(item: Item, c: Campaign) -> str:
    if item.kinds is not None and c.kind not in item.kinds:
        return f"该事项只用于{'、'.join(item.kinds)}巡察，本次为{c.kind}巡察"
    return "该事项需要巡察主题（theme），本次巡察未填写"


def edition_lists(c: Campaign, data_dir: Path = DATA_DIR) -> dict[str, EditionList]:
    """The four lists of one campaign: kind filter, then drop / due / add overrides."""
    lists = load_lists(data_dir)
    # A 回头看 campaign may leave `previous` out: fall back to a generic name.
    values = placeholders.values(c, {"previous": "上次巡察"})
    by_id = {item.id: (name, item) for name, lf in lists.items() for item in lf.items}
    ov = c.checklists
    problems: list[str] = []

    kept: dict[str, list[Item]] = {name: [i for i in lf.items if _applies(i, c)] for name, lf in lists.items()}
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
            problems.append(f"{key}：没有 id 为“{ident}”的清单事项（见 macros/data/checklists/*.yml）")

    for ident in ov.drop:
        check_known("checklists.drop", ident)
    for ident in ov.due:
        check_known("checklists.due", ident)
    if problems:
        raise ChecklistError("版本文件的清单设置有误：\n" + "\n".join(f"  - {p}" for p in problems))

    dropped = set(ov.drop)
    out: dict[str, EditionList] = {}
    for name, lf in lists.items():
        entries = [Entry(id=i.id, text=placeholders.fill(i.text, values), owner=placeholders.fill(i.owner, values),
                         due=ov.due.get(i.id, i.due), note=placeholders.fill(i.note, values),
                         category=placeholders.fill(i.category, values))
                   for i in kept[name] if i.id not in dropped]
        for add in ov.add:
            if add.list == name and add.id not in dropped:
                entries.append(Entry(id=add.id, text=placeholders.fill(add.text, values), owner=placeholders.fill(add.owner, values),
                                     due=ov.due.get(add.id, add.due), note=placeholders.fill(add.note, values),
                                     category=add.category or ""))
        if lf.categories:
            # Added items join their category; categories left empty are not shown.
            order = {cat: k for k, cat in enumerate(lf.categories)}
            entries.sort(key=lambda e: order[e.category])
        cats = tuple(dict.fromkeys(e.category for e in entries if e.category))
        out[name] = EditionList(name=name, title=placeholders.fill(lf.title, values), intro=placeholders.fill(lf.intro, values),
                                categories=cats, entries=tuple(entries))
    return out


def _edition_list(name: str) -> EditionList:
    if name not in LIST_NAMES:
        raise ChecklistError(f"未知的清单：“{name}”（可用：{'、'.join(LIST_NAMES)}）")
    return edition_lists(state.get().campaign)[name]


# ---- Rendering ----------------------------------------------------------------------------

_COLUMNS = ("序号", "事项", "责任", "时限", "完成", "备注")


def _row(n: int, list_name: str, e: Entry) -> str:
    label, date_text, _ = blocks.due_parts(e.due)
    box_id = f"xc-{list_name}-{e.id}"
    item = esc(e.id)
    return (
        f'<tr class="xc-checklist__row" data-item="{item}">'
        f'<td class="xc-checklist__no" data-label="序号">{n}</td>'
        f'<td class="xc-checklist__text" data-label="事项">{esc(e.text)}</td>'
        f'<td class="xc-checklist__owner" data-label="责任">{esc(e.owner)}</td>'
        f'<td class="xc-checklist__due" data-label="时限" data-xc-due-rule="{esc(e.due)}">'
        f'{esc(label)}<span class="xc-checklist__date">（{esc(date_text)}）</span></td>'
        f'<td class="xc-checklist__done" data-label="完成">'
        f'<input type="checkbox" class="xc-check" id="{esc(box_id)}" data-item="{item}" '
        f'aria-label="第{n}项已完成：{esc(e.text)}">'
        # The label is the box printed on paper (a native checkbox prints faint and round).
        f'<label class="xc-check__box" for="{esc(box_id)}"><span class="xc-check__text">已完成</span></label></td>'
        f'<td class="xc-checklist__note" data-label="备注">{esc(e.note)}</td>'
        "</tr>"
    )


def render(el: EditionList, c_ctx) -> str:
    """One list as HTML: campaign header, progress bar, table, sign-off line. No blank lines,
    so Markdown keeps it as one raw HTML block."""
    n_items = len(el.entries)
    head = (f'{c_ctx.group.name}巡察{c_ctx.inspected.org}'
            f'<span class="xc-checklist__sep"> · </span>{c_ctx.kind_label}'
            f'<span class="xc-checklist__sep"> · </span>{c_ctx.dates.range}')
    parts = [
        f'<div class="xc-checklist" data-xc-checklist="{esc(el.name)}" data-xc-edition="{c_ctx.id}">',
        # The page heading names the list; this line names the campaign on every printed copy.
        '<div class="xc-checklist__head">',
        f'<p class="xc-checklist__campaign">{head}</p>',
        "</div>",
        f'<p class="xc-checklist__intro">{esc(el.intro)}</p>',
        '<div class="xc-checklist__bar" role="group" aria-label="勾选进度">',
        f'<span class="xc-checklist__progress" data-xc-progress aria-live="polite">已完成 0 / {n_items}</span>',
        '<button type="button" class="md-button xc-checklist__clear" data-xc-clear>清除勾选</button>',
        "</div>",
        f'<table class="xc-checklist__table" data-xc-list="{esc(el.name)}">',
        f'<caption class="xc-checklist__caption">{esc(el.title)}（共 {n_items} 项）</caption>',
        "<thead><tr>" + "".join(f'<th scope="col" class="xc-checklist__h{k}">{col}</th>'
                                for k, col in enumerate(_COLUMNS)) + "</tr></thead>",
        "<tbody>",
    ]
    n = 0
    current = None
    for e in el.entries:
        if e.category and e.category != current:
            current = e.category
            k = el.categories.index(current)
            ordinal = cn.numeral(k + 1)
            parts.append(f'<tr class="xc-checklist__cat"><th scope="colgroup" colspan="{len(_COLUMNS)}">'
                         f"{ordinal}、{esc(current)}</th></tr>")
        n += 1
        parts.append(_row(n, el.name, e))
    parts += [
        "</tbody></table>",
        # Blanks to sign on are drawn by CSS borders: underscores would trip the leftover scan.
        '<p class="xc-checklist__sign">'
        '<span class="xc-sign">填表人：<span class="xc-sign__blank"></span></span>'
        '<span class="xc-sign">审核人：<span class="xc-sign__blank"></span></span>'
        '<span class="xc-sign">日期：<span class="xc-sign__blank xc-sign__blank--date"></span></span>'
        "</p>",
        "</div>",
    ]
    return "\n".join(parts)


# ---- Registered macros --------------------------------------------------------------------


def checklist(name: str) -> str:
    """Render one checklist (before-entry, during, materials, rectification) as a table."""
    el = _edition_list(name)
    return render(el, context(state.get().campaign))


def checklist_count(name: str | None = None) -> int:
    """Number of items in one checklist, or in all of them."""
    if name is None:
        return sum(len(el.entries) for el in edition_lists(state.get().campaign).values())
    return len(_edition_list(name).entries)
