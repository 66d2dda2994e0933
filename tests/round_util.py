"""The sample round, built by the batch command as a user runs it: from its YAML file and
from the Excel template filled in as an office clerk would (openpyxl), once per test
session. test_rounds.py checks the round; test_browser.py opens its index on a phone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, load_yaml, shared_once

ROUND = ROOT / "campaigns" / "rounds" / "2027-r6.yml"
DATA = load_yaml(ROUND)
IDS = [e["id"] for e in DATA["editions"]]

# The template's column headers, as an office clerk reads them, and the round-file keys
# they stand for (typed here from the headers, not taken from macros/rounds.py).
HEADERS = {
    "版本标识": "id", "组号": "group.number", "组长": "group.leader", "巡察组名称": "group.name",
    "被巡察党组织": "inspected.org", "被巡察单位": "inspected.unit", "单位类型": "inspected.type",
    "表态人职务": "inspected.leader_title", "所在地党委全称": "inspected.home_committee.name",
    "所在地党委简称": "inspected.home_committee.short", "一并巡察的村": "inspected.villages",
    "巡察类型": "kind", "巡察主题": "theme", "同步开展巡察的党委": "linked", "进驻日期": "dates.start",
    "驻点天数": "dates.days", "联系电话": "contact.phone", "电子邮箱": "contact.email",
    "意见箱地点": "contact.mailboxes",
}
SETTINGS = {"党委全称": "committee.name", "党委简称": "committee.short", "届次": "committee.term",
            "轮次": "committee.round", "默认巡察类型": "defaults.kind", "默认驻点天数": "defaults.dates.days",
            "受理时段": "defaults.contact.hours"}


def run_editions(*args, timeout=600) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([sys.executable, "-m", "macros.editions", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def start_editions(*args) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([sys.executable, "-m", "macros.editions", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def flat(d: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flat(v, key))
        else:
            out[key] = v
    return out


def cell_value(key: str, v):
    """A round-file value as a clerk types it into Excel: lists with 「；」, a village with
    its own mailboxes as 名称（地点）, dates as date cells, numbers as numbers."""
    if key == "inspected.villages":
        return "；".join(x if isinstance(x, str) else f"{x['name']}（{'、'.join(x['mailboxes'])}）" for x in v)
    if isinstance(v, list):
        return "；".join(v)
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return dt.date.fromisoformat(v)
    return v


def fill_template(template: Path, dest: Path, data: dict, edit_row=None) -> None:
    """Fill the template with `data` (a round mapping); `edit_row(n, values)` may change a
    row's values (header → cell value) before it is written."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    settings = wb["本轮设置"]
    where = {str(row[0].value).strip(): row[0].row for row in settings.iter_rows(min_row=2) if row[0].value}
    values = flat({"committee": data["committee"], "defaults": data.get("defaults", {})})
    for label, key in SETTINGS.items():
        if key in values:
            settings.cell(row=where[label], column=2, value=values.pop(key))
    assert not values, f"settings the test does not know how to type: {values}"
    plan = wb["巡察安排"]
    header = [c.value for c in plan[1]]
    by_key = {key: h for h, key in HEADERS.items()}
    for n, entry in enumerate(data["editions"]):
        row = {}
        for key, v in flat(entry).items():
            assert key in by_key, f"round key {key} has no column in the test's header map"
            row[by_key[key]] = cell_value(key, v)
        if edit_row:
            edit_row(n, row)
        for h, v in row.items():
            plan.cell(row=n + 2, column=header.index(h) + 1, value=v)
    wb.save(dest)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_round(base: Path) -> dict:
    template = base / "template.xlsx"
    r = run_editions("--xlsx-template", template)
    assert r.returncode == 0, r.stdout + r.stderr
    filled = base / "round.xlsx"
    fill_template(template, filled, DATA)
    yaml_out, xlsx_out = base / "from-yaml", base / "from-xlsx"
    procs = [start_editions("--out", yaml_out, "--jobs", 1, ROUND), start_editions("--out", xlsx_out, "--jobs", 1, filled)]
    results = [list(p.communicate(timeout=600)) + [p.returncode] for p in procs]
    return {"template": str(template), "filled": str(filled), "yaml": str(yaml_out), "xlsx": str(xlsx_out),
            "results": results}


def round_output(tmp_path_factory) -> dict:
    """The round built twice, at the same time, from the YAML file and from the filled
    Excel template (once per session, whichever worker asks first)."""
    data = shared_once(tmp_path_factory, "round", _build_round)
    return {k: Path(v) if isinstance(v, str) else v for k, v in data.items()}
