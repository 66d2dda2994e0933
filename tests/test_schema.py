"""The campaign schema: the committed JSON Schema is what `python -m macros.schema` writes,
editors and pydantic agree on the sample files, and the names used everywhere (kinds,
unit types, checklists) are defined once."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from conftest import CAMPAIGNS, ROOT, load_yaml
from macros import campaign, cn, rounds, schema

ROUND = ROOT / "campaigns" / "rounds" / "2027-r6.yml"


@pytest.mark.subprocess
def test_committed_schema_is_what_the_command_writes(tmp_path):
    """`python -m macros.schema`, run in a copy of the project, writes exactly the
    committed campaigns/campaign.schema.json."""
    copy = tmp_path / "xc"
    shutil.copytree(ROOT / "macros", copy / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "campaigns").mkdir()
    r = subprocess.run([sys.executable, "-m", "macros.schema"], cwd=copy, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    written = (copy / "campaigns" / "campaign.schema.json").read_text(encoding="utf-8")
    assert written == schema.SCHEMA_PATH.read_text(encoding="utf-8"), \
        "run `make schema` and commit campaigns/campaign.schema.json"


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_campaign_files_reference_the_schema(path):
    """Each sample opens with the line that gives editors the schema."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=campaign.schema.json"


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_samples_are_valid_for_pydantic_and_for_the_json_schema(path):
    """What an editor checks (the JSON Schema) and what the build checks (pydantic)
    both accept every sample campaign."""
    import jsonschema

    campaign.load(path)
    js = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(load_yaml(path), default=str))  # dates as the text typed
    jsonschema.validate(data, js)


def test_every_round_entry_is_a_valid_campaign_for_the_json_schema():
    """Each entry of the sample round, merged with the committee and defaults, is a
    campaign an editor would accept too."""
    import jsonschema

    js = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    for key, merged in rounds.entries(campaign.read(ROUND), ROUND):
        campaign.validate(merged, ROUND, key)
        jsonschema.validate(json.loads(json.dumps(merged, default=str)), js)


@pytest.mark.parametrize("key,value", [
    ("inspected.org", "很长的单位名称" * 9), ("contact.phone", "电话"), ("kind", "综合"),
    ("inspected.type", "局机关"), ("id", "Has Spaces"), ("palette", "蓝色"), ("contact.email", "不是邮箱"),
])
def test_the_json_schema_refuses_what_pydantic_refuses(key, value):
    """Per-field rules (maximum length, pattern, fixed choices) are stated in the JSON
    Schema as well, so an editor flags them while typing."""
    import jsonschema

    js = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(load_yaml(ROOT / "campaigns" / "example.yml"), default=str))
    node = data
    *parents, last = key.split(".")
    for k in parents:
        node = node[k]
    node[last] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, js)
    with pytest.raises(campaign.CampaignError) as e:
        campaign.validate(data, "x.yml")
    assert key in [k for k, _ in e.value.problems]


def test_fixed_choices_come_from_one_constant_each():
    """Kinds, unit types, checklist names, palettes and issuers: the JSON Schema's choices
    are the constants of macros/schema.py."""
    js = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert js["properties"]["kind"]["enum"] == list(schema.KINDS)
    assert js["$defs"]["Inspected"]["properties"]["type"]["enum"] == list(schema.UNIT_TYPES)
    assert js["$defs"]["ChecklistItemAdd"]["properties"]["list"]["enum"] == list(schema.LIST_NAMES)
    assert js["properties"]["palette"]["enum"] == list(schema.PALETTES)
    assert js["properties"]["notice_issuer"]["enum"] == list(schema.ISSUERS)
    assert set(schema.KINDS) == {"常规", "专项", "机动", "提级", "回头看"}


def test_reserved_windows_names_are_refused_as_ids():
    """con, prn, aux, nul, com0–9 and lpt0–9 cannot name a folder on Windows."""
    for ident in ("con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"):
        assert ident in schema.RESERVED_IDS
    assert "console" not in schema.RESERVED_IDS


@pytest.mark.parametrize("n,text", [(1, "一"), (3, "三"), (10, "十"), (11, "十一"), (12, "十二"),
                                    (20, "二十"), (35, "三十五"), (99, "九十九"), (100, "一百"),
                                    (105, "一百零五"), (110, "一百一十")])
def test_numerals(n, text):
    """Chinese numerals as official documents write them (届次, 轮次, 组号)."""
    assert cn.numeral(n) == text


def test_dates_have_no_leading_zeros():
    """Dates as official documents write them: no leading zeros, the year once per range."""
    assert cn.date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert cn.date_range(dt.date(2026, 12, 1), dt.date(2026, 12, 30)) == "2026年12月1日至12月30日"
    assert cn.date_range(dt.date(2026, 12, 20), dt.date(2027, 1, 18)) == "2026年12月20日至2027年1月18日"
