"""Phrases from the data files, filled in for one edition.

A phrase in `macros/data/` may name facts of the campaign as `{name}` placeholders and
may hold optional parts in square brackets: `[，并以{theme}为重点]` is kept only when
every placeholder inside it has a value, so one phrase serves campaigns with and without
that fact. `[A|B]` chooses: A when all of A's placeholders have values, else B (and so
on; nothing when no alternative qualifies). `TERMS` lists every name a phrase may use; a data file that names anything
else is refused when it is loaded, so a typo never reaches a page.
"""

from __future__ import annotations

import re
from typing import Mapping

# Every placeholder a data file may use, with what it stands for (shown to editors in
# error messages; the values are computed in macros/edition.py).
TERMS = {
    "committee": "派出巡察组的党委简称，如 市委",
    "committee_name": "派出巡察组的党委全称，如 中共示例市委",
    "leading_group": "巡察工作领导小组，如 市委巡察工作领导小组",
    "round": "届次轮次，如 十二届市委第五轮巡察",
    "group": "巡察组名称，如 市委第三巡察组",
    "leader_ref": "组长称呼：王立新同志，或 组长",
    "org": "被巡察党组织全称，如 市财政局党组、中共石桥镇委员会",
    "org_short": "行文中对被巡察党组织的称呼，如 市财政局党组、石桥镇党委",
    "body": "党组织的类别，如 党组、党委、党工委、党支部",
    "own_body": "单位自称的党组织简称，如 局党组、镇党委",
    "unit": "被巡察单位，如 市财政局、石桥镇",
    "self": "单位自称用字，如 局、镇、公司",
    "we": "单位自称，如 我局、我镇",
    "people": "单位的全体人员，如 全局干部职工、全镇党员干部",
    "area": "派出党委所辖地区，如 全市",
    "home": "被巡察单位所在地党委简称：提级巡察为 临川县委，否则同 committee",
    "home_area": "被巡察单位所在地区：提级巡察为 全县，否则同 area",
    "theme": "巡察主题（可能为空）",
    "topic": "本次巡察针对的问题：主题，或自定监督重点的概括（可能为空）",
    "theme_role": "被巡察单位在本主题下的责任，见主题文件的 responsibilities（可能为空）",
    "previous": "回头看所检查的那次巡察（可能为空）",
    "kind_label": "巡察类型的完整称呼，如 乡村振兴领域专项巡察",
    "linked": "同步开展巡察的党委，如 东山区委、南河县委（可能为空）",
    "villages": "一并巡察的村（社区），如 青山村、石门村（可能为空）",
    "spirit": "当时应贯彻的会议精神",
    "since": "如 党的二十大以来（可能为空）",
    "study": "当年的学习教育提法",
    "plan": "五年规划的动词短语",
    "plan_goal": "五年规划目标的名词短语",
    "leaders": "领导班子的称呼，如 领导班子、村“两委”班子",
    "receipt_scope": "巡察受理范围中被反映的对象",
    "home_distinct": "提级巡察时被巡察单位所在地党委简称（如 临川县委），否则为空",
    "subordinates": "下属单位的称呼，如 下属单位、所辖各村和站所",
    "departments": "内设机构的称呼，如 各科室、各站所",
    "cadres": "中层一级人员的称呼，如 中层干部、站所负责人",
    "staff": "一般人员的称呼，如 干部职工、教职工",
    "decision_body": "议事决策会议，如 党组会议",
    "study_group": "理论学习的组织形式，如 局党组理论学习中心组",
    "premises": "张贴公告、设置意见箱的场所，如 机关办公场所、村党群服务中心",
    "office": "办公室一类的责任部门，如 办公室、党政办公室、村文书",
    "hr": "组织人事一类的责任部门",
    "finance": "财务一类的责任部门，如 财务部门、财政所、村报账员",
    "discipline_org": "纪检一类的责任部门，如 纪检机构、镇纪委、村务监督委员会",
    "party_office": "党组织工作部门，如 机关党组织、党建办",
    "business_dept": "业务主管部门一类的责任部门，如 业务主管科室、村党组织书记",
    "parent": "被巡察单位向其报告整改情况的上级，如 上级党组织、乡镇党委",
    "attendees": "动员会的参会范围",
    "life_meeting": "专题会的名称：民主生活会，村、社区为组织生活会",
    "contribution": "表态发言结尾的落脚点，如 为全县经济社会高质量发展作出应有贡献",
    "followup": "巡察办会同谁跟踪督促整改，如 有关部门、乡镇党委和有关部门",
    "rectify_team": "整改方案中整改工作领导小组的组成和办事机构（一两句话）",
    "rectify_pace": "整改方案中的督办节奏，如 领导小组办公室每周调度、每月通报",
    "committees": "要落实其部署的党委：市委；提级巡察时如 市委和临川县委",
    "theme_why": "主题文件的 why（可能为空）",
    "theme_scope": "主题文件的 scope（可能为空）",
    "theme_receipt": "主题文件的 receipt（可能为空）",
    "theme_selfcheck": "主题文件的 selfcheck（可能为空）",
    "theme_hope": "主题文件的 hope（可能为空）",
}

PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def names(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template or ""))


def check(template: str, known: Mapping[str, str] | None = None) -> None:
    """Raise ValueError for an unknown placeholder or unbalanced brackets (a data-file typo)."""
    known = TERMS if known is None else known
    for name in names(template):
        if name not in known:
            raise ValueError(f"未知的占位符 {{{name}}}；可用的有：" + "、".join("{" + n + "}" for n in known))
    stripped = _OPTIONAL.sub("", template or "")
    if "[" in stripped or "]" in stripped:
        raise ValueError("方括号 [ ] 不成对，或嵌套使用（可选部分不能嵌套）")


class MissingTerm(KeyError):
    """A phrase needs a fact this campaign does not have, outside an optional [part]."""


def fill(template: str | None, terms: Mapping[str, str]) -> str:
    """The phrase with its placeholders filled; optional [parts] whose placeholders are
    all present are kept (brackets removed), the others dropped. A placeholder outside
    [ ] whose value is empty raises MissingTerm: the phrase must not lose words silently."""
    if not template:
        return ""

    def optional(m: re.Match) -> str:
        for part in m.group(1).split("|"):
            if all(terms.get(n) for n in names(part)):
                return _sub(part, terms)
        return ""

    return _sub(_OPTIONAL.sub(optional, template), terms)


def _sub(text: str, terms: Mapping[str, str]) -> str:
    def one(m: re.Match) -> str:
        name = m.group(1)
        if not terms.get(name):
            raise MissingTerm(name)
        return terms[name]

    return PLACEHOLDER.sub(one, text)
