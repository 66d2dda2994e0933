"""The knowledge under `macros/data/`: each file read, validated and kept once per process.

Every data file has a pydantic model here (or beside the module that uses it) and is
read through `yamlio`, so a data-file mistake is reported like a campaign mistake: the
file, the key path and a Chinese message. Files are cached by path and modification
time: a batch worker reads each file once for all its editions, and `mkdocs serve`
still picks up an edit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Optional, Union

from pydantic import AfterValidator, Field, StrictStr, model_validator

from . import wording, yamlio
from .schema import DUE_PATTERN, KINDS, UNIT_TYPES, Kind, ListName, StrictModel, UnitType

DATA = Path(__file__).resolve().parent / "data"

# ---- Loading ------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’—…·"
_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def tidy(text: str) -> str:
    """Phrases may be wrapped over several lines in YAML; a line break between Chinese
    characters is no space at all (as in HTML), elsewhere it is one space."""
    return _GAP.sub("", _WS.sub(" ", text)).strip()


def _tidy_tree(v: Any) -> Any:
    if isinstance(v, str):
        return tidy(v)
    if isinstance(v, list):
        return [_tidy_tree(x) for x in v]
    if isinstance(v, dict):
        return {k: _tidy_tree(x) for k, x in v.items()}
    return v


@lru_cache(maxsize=64)
def _cached(path: str, mtime_ns: int, size: int, model):
    data = _tidy_tree(yamlio.load(path, "数据文件"))
    return yamlio.validate(model, data, path, "数据文件")


def load(path: Path, model):
    """One data file, validated against `model` (cached while the file is unchanged)."""
    try:
        st = Path(path).stat()
    except OSError:
        raise yamlio.InputError(path, [("", "缺少这个数据文件")], "数据文件") from None
    return _cached(str(path), st.st_mtime_ns, st.st_size, model)


def clear() -> None:
    _cached.cache_clear()


# ---- Phrases ----------------------------------------------------------------------


def _by_type(v: Any) -> Any:
    """A phrase may differ by unit type: {default: …, 村、社区: …}."""
    if isinstance(v, dict):
        if "default" not in v:
            raise ValueError("按单位类型区分的表述须有 default 项")
        for key in v:
            for t in str(key).split("、"):
                if t != "default" and t not in UNIT_TYPES:
                    raise ValueError(f"“{t}”不是单位类型（可用：{'、'.join(UNIT_TYPES)}）")
    return v


Phrase = Annotated[Union[StrictStr, dict[StrictStr, StrictStr]], AfterValidator(_by_type)]


def for_type(v: Any, unit_type: str) -> Any:
    """The variant of a phrase for one unit type (a plain phrase serves every type)."""
    if not isinstance(v, dict):
        return v
    for key, text in v.items():
        if unit_type in str(key).split("、"):
            return text
    return v["default"]


def _checked(value: Any) -> Any:
    """Every string in a phrase tree must use only known placeholders."""
    if isinstance(value, str):
        wording.check(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _checked(v)
    elif isinstance(value, dict):
        for v in value.values():
            _checked(v)
    return value


class Phrases(StrictModel):
    """A set of phrases: every string field is checked for known placeholders."""

    @model_validator(mode="after")
    def _placeholders(self):
        for name in type(self).model_fields:
            _checked(getattr(self, name))
        return self

    def filled(self, terms: dict[str, str]) -> dict[str, Any]:
        return {name: _fill_tree(getattr(self, name), terms) for name in type(self).model_fields}


def _fill_tree(v: Any, terms: dict[str, str]) -> Any:
    if isinstance(v, str):
        return wording.fill(v, terms)
    if isinstance(v, (list, tuple)):
        return [_fill_tree(x, terms) for x in v]
    if isinstance(v, dict):
        return {k: _fill_tree(x, terms) for k, x in v.items()}
    if isinstance(v, Phrases):
        return v.filled(terms)
    return v


# ---- kinds.yml ---------------------------------------------------------------------


class KindWords(Phrases):
    label: StrictStr = Field(min_length=2)
    speech_title: Phrase
    speech_why: Phrase
    speech_focus_intro: Phrase
    speech_methods_extra: Phrase
    receipt_extra: Phrase
    speech_closing_task: Phrase
    speech_closing_hope: Phrase
    pledge_title_verb: Phrase
    pledge_framing: Phrase
    pledge_selfcheck: Phrase
    pledge_rectify_extra: Phrase
    notice_title: Phrase
    notice_scope: Phrase
    interview_focus: Phrase
    agenda_note: Phrase
    home_note: Phrase


class KindsFile(StrictModel):
    常规: KindWords
    专项: KindWords
    机动: KindWords
    提级: KindWords
    回头看: KindWords


def kinds() -> dict[str, KindWords]:
    f = load(DATA / "kinds.yml", KindsFile)
    return {k: getattr(f, k) for k in KINDS}


# ---- phrases.yml ---------------------------------------------------------------------


class SharedPhrases(Phrases):
    receipt: Phrase
    not_accepted: Phrase
    boundaries: Phrase
    secrecy: Phrase
    home_role: Phrase
    linked: Phrase
    villages: Phrase
    villages_duty: Phrase
    round_receipt: Phrase


def phrases() -> SharedPhrases:
    return load(DATA / "phrases.yml", SharedPhrases)


# ---- regulations.yml ------------------------------------------------------------


class Document(StrictModel):
    title: StrictStr = Field(min_length=4)
    issuer: Optional[StrictStr] = None
    issued: StrictStr

    @property
    def cited(self) -> str:
        """《title》, with the issuer first when the issuer is not part of the title."""
        return f"{self.issuer or ''}《{self.title}》"


class Article(StrictModel):
    document: StrictStr
    number: StrictStr = Field(pattern=r"^第[一二三四五六七八九十百零]+条$")
    conduct: StrictStr
    penalties: list[tuple[StrictStr, StrictStr]] = Field(min_length=1)
    keeping: Optional[StrictStr] = None
    keeping_penalties: list[tuple[StrictStr, StrictStr]] = Field(default_factory=list)


class Regulations(StrictModel):
    documents: dict[str, Document]
    basis: list[StrictStr] = Field(min_length=1)
    articles: dict[str, Article]
    obstruction: list[StrictStr] = Field(min_length=2)
    talks: list[StrictStr] = Field(min_length=3)

    @model_validator(mode="after")
    def _references(self):
        for name in self.basis:
            if name not in self.documents:
                raise ValueError(f"basis 中的 {name} 不在 documents 中")
        for key, art in self.articles.items():
            if art.document not in self.documents:
                raise ValueError(f"articles.{key}.document：{art.document} 不在 documents 中")
        return self


# Only these articles are verified; anything else in the file is refused.
VERIFIED_ARTICLES = {("discipline", "第六十二条"), ("discipline", "第一百四十四条")}


def regulations() -> Regulations:
    regs = load(DATA / "regulations.yml", Regulations)
    for key, art in regs.articles.items():
        if (art.document, art.number) not in VERIFIED_ARTICLES:
            raise yamlio.InputError(DATA / "regulations.yml",
                                    [(f"articles.{key}.number", f"{art.number} 未经核实，不能引用")], "数据文件")
    return regs


# ---- unit-types.yml -------------------------------------------------------------------


class UnitWords(Phrases):
    """How a unit of one type names itself, its people and its bodies (see the file's comments)."""

    self: StrictStr = Field(min_length=1, max_length=4)
    self_from_name: list[StrictStr] = Field(default_factory=list)
    body: StrictStr = Field(min_length=2)
    people: StrictStr
    staff: StrictStr
    leaders: StrictStr
    cadres: StrictStr
    departments: StrictStr
    subordinates: StrictStr
    decision_body: StrictStr
    study_group: StrictStr
    receipt_scope: StrictStr
    premises: StrictStr
    office: StrictStr
    hr: StrictStr
    finance: StrictStr
    discipline_org: StrictStr
    party_office: StrictStr
    business_dept: StrictStr
    parent: StrictStr
    attendees: StrictStr
    life_meeting: StrictStr
    contribution: StrictStr
    followup: StrictStr
    rectify_team: StrictStr
    rectify_pace: StrictStr
    talk_counts: dict[StrictStr, int]
    team_size: int = Field(ge=3, le=15)
    rules_out: list[StrictStr] = Field(default_factory=list)

    @model_validator(mode="after")
    def _patterns(self):
        for p in self.rules_out:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"rules_out 中的“{p}”不是有效的正则表达式：{e}") from None
        return self


class UnitTypesFile(StrictModel):
    部门: UnitWords
    乡镇: UnitWords
    街道: UnitWords
    村: UnitWords
    社区: UnitWords
    国企: UnitWords
    学校: UnitWords
    医院: UnitWords
    事业单位: UnitWords


def unit_types() -> dict[str, UnitWords]:
    f = load(DATA / "unit-types.yml", UnitTypesFile)
    return {k: getattr(f, k) for k in UNIT_TYPES}


# ---- themes/*.yml ------------------------------------------------------------------------


class Responsibility(StrictModel):
    """What a unit is responsible for under a theme: the first entry that matches wins."""

    match: list[StrictStr] = Field(default_factory=list)     # words in the unit's name
    types: list[UnitType] = Field(default_factory=list)      # or its type
    text: StrictStr

    @model_validator(mode="after")
    def _placeholders(self):
        wording.check(self.text)
        return self


class ThemeArea(Phrases):
    title: StrictStr = Field(min_length=4, max_length=30)
    lead: StrictStr = Field(min_length=8)
    points: list[StrictStr] = Field(min_length=2, max_length=5)


class ThemeItem(Phrases):
    list: ListName
    id: StrictStr = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    text: StrictStr = Field(min_length=6)
    owner: StrictStr = Field(min_length=2)
    due: StrictStr = Field(pattern=DUE_PATTERN)
    category: Optional[StrictStr] = None


class Theme(Phrases):
    """One special-inspection theme (see macros/data/themes/README.md)."""

    name: StrictStr = Field(min_length=2, max_length=30)
    aliases: list[StrictStr] = Field(default_factory=list)
    search_aliases: list[list[StrictStr]] = Field(default_factory=list)
    fits: list[UnitType] = Field(min_length=1)
    responsibilities: list[Responsibility] = Field(min_length=1)
    signature: list[StrictStr] = Field(min_length=3, max_length=8)
    has_projects: bool = False
    why: StrictStr = Field(min_length=60)
    scope: StrictStr = Field(min_length=20)
    receipt: StrictStr = Field(min_length=8)
    selfcheck: StrictStr = Field(min_length=10)
    hope: StrictStr = Field(min_length=10)
    areas: list[ThemeArea] = Field(min_length=4, max_length=6)
    materials: list[StrictStr] = Field(min_length=4, max_length=12)
    checklist: list[ThemeItem] = Field(default_factory=list, max_length=8)
    interview_topics: list[StrictStr] = Field(min_length=4, max_length=10)
    problems: list[StrictStr] = Field(min_length=4, max_length=12)

    @model_validator(mode="after")
    def _last_responsibility_is_default(self):
        last = self.responsibilities[-1]
        if last.match or last.types:
            raise ValueError("responsibilities 的最后一项应为兜底项：只写 text，不写 match 和 types")
        return self

    def responsibility(self, unit: str, unit_type: str) -> str:
        for r in self.responsibilities:
            if any(m in unit for m in r.match) or unit_type in r.types or not (r.match or r.types):
                return r.text
        return self.responsibilities[-1].text


class GenericTheme(Phrases):
    """Wording for a theme the catalogue does not have (the campaign brings its focus areas)."""

    responsibility: StrictStr
    why: StrictStr = Field(min_length=40)
    scope: StrictStr
    receipt: StrictStr
    selfcheck: StrictStr
    hope: StrictStr
    materials: list[StrictStr] = Field(min_length=2)
    interview_topics: list[StrictStr] = Field(min_length=2)
    problems: list[StrictStr] = Field(min_length=2)


def generic_theme() -> GenericTheme:
    return load(THEMES / "_generic.yml", GenericTheme)


THEMES = DATA / "themes"


def themes() -> dict[str, Theme]:
    """The catalogue: file stem → theme. Files starting with "_" are not themes."""
    out = {}
    for path in sorted(THEMES.glob("*.yml")):
        if path.name.startswith("_"):
            continue
        out[path.stem] = load(path, Theme)
    names: dict[str, str] = {}
    for stem, t in out.items():
        for n in [t.name, *t.aliases]:
            key = normalize_theme(n)
            if key in names and names[key] != stem:
                raise yamlio.InputError(THEMES / f"{stem}.yml",
                                        [("aliases", f"“{n}”也是 {names[key]}.yml 的名称或别名")], "数据文件")
            names[key] = stem
    return out


def normalize_theme(text: str) -> str:
    """Theme names compare without quotes, brackets, spaces and a trailing 领域/问题/工作."""
    t = re.sub(r"[\s“”\"'‘’（）()《》、]", "", text)
    for tail in ("专项巡察", "领域", "问题", "工作"):
        if t.endswith(tail) and len(t) > len(tail) + 1:
            t = t[: -len(tail)]
    return t


def find_theme(text: str) -> Optional[Theme]:
    """The catalogue theme a campaign's `theme` names (by name or alias), or None."""
    key = normalize_theme(text)
    for t in themes().values():
        if key in {normalize_theme(n) for n in [t.name, *t.aliases]}:
            return t
    return None


# ---- talks.yml ----------------------------------------------------------------------------

ROLES = ("chief", "members", "discipline", "cadres", "staff", "retired", "clients")


class Role(Phrases):
    """One category of interviewee: what the schedule calls them, and their outline."""

    label: Phrase
    required: bool                       # 必谈 (True) or 选谈
    purpose: Phrase                      # one sentence: what the talk with this role is for
    questions: list[StrictStr] = Field(min_length=1, max_length=4)
    by_kind: dict[Kind, list[StrictStr]]
    by_type: dict[StrictStr, list[StrictStr]]
    theme_questions: bool = True         # whether the theme's topics are asked of this role

    @model_validator(mode="after")
    def _complete(self):
        missing = [k for k in KINDS if k not in self.by_kind]
        if missing:
            raise ValueError("by_kind 缺少：" + "、".join(missing))
        covered = set()
        for key in self.by_type:
            for t in key.split("、"):
                if t not in UNIT_TYPES:
                    raise ValueError(f"by_type 中“{t}”不是单位类型")
                if t in covered:
                    raise ValueError(f"by_type 中“{t}”出现了两次")
                covered.add(t)
        if covered != set(UNIT_TYPES):
            raise ValueError("by_type 缺少：" + "、".join(t for t in UNIT_TYPES if t not in covered))
        return self

    def outline(self, kind: str, unit_type: str) -> list[str]:
        typed = next(qs for key, qs in self.by_type.items() if unit_type in key.split("、"))
        return [*self.questions, *self.by_kind[kind], *typed]


class TalksFile(StrictModel):
    roles: dict[StrictStr, Role]

    @model_validator(mode="after")
    def _roles(self):
        if list(self.roles) != list(ROLES):
            raise ValueError("roles 应依次为：" + "、".join(ROLES))
        return self


def talks() -> TalksFile:
    return load(DATA / "talks.yml", TalksFile)


# ---- evaluation.yml -----------------------------------------------------------------------


class EvalTeam(Phrases):
    title: StrictStr
    items: list[StrictStr] = Field(min_length=3)


class EvalMembers(Phrases):
    title: StrictStr
    note: StrictStr


class EvalSelection(Phrases):
    kinds: list[Kind] = Field(min_length=1)
    title: StrictStr
    items: list[StrictStr] = Field(min_length=2)


class Choice(Phrases):
    question: StrictStr
    options: list[StrictStr] = Field(min_length=2)


class Questionnaire(Phrases):
    intro: StrictStr
    choices: list[Choice] = Field(min_length=2)
    open: list[StrictStr] = Field(min_length=1)


class EvaluationFile(Phrases):
    grades: list[StrictStr] = Field(min_length=2, max_length=6)
    team: EvalTeam
    members: EvalMembers
    selection: EvalSelection
    questionnaire: Questionnaire


def evaluation() -> EvaluationFile:
    return load(DATA / "evaluation.yml", EvaluationFile)


# ---- Search aliases ---------------------------------------------------------------------


class SearchAliasesFile(StrictModel):
    """search-aliases.yml: groups of names a reader may type for the same thing."""

    groups: list[Annotated[list[StrictStr], Field(min_length=2, max_length=12)]] = Field(min_length=1)


def search_aliases() -> list[list[str]]:
    return load(DATA / "search-aliases.yml", SearchAliasesFile).groups
