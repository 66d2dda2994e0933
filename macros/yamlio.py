"""One YAML loader and one error report for every file the project reads.

Campaign files, round files and the data files under `macros/data/` are all read by
`load()` and validated by pydantic; every problem becomes a (key path, Chinese message)
pair, and `InputError.report()` prints them the same way for every kind of file.

The loader is stricter than PyYAML's SafeLoader where a silent guess would hurt:
- a key written twice at any depth is an error naming both lines (PyYAML keeps the last);
- timestamps stay strings, so pydantic (not PyYAML) judges dates;
- a syntax error is explained in Chinese with its line and column, and with a hint for
  the usual culprits (a full-width colon or space, a tab, an unquoted leading zero);
- only regular files of a sensible size are read: a device such as /dev/zero would
  otherwise be read forever.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

# Campaign and data files are small; anything larger is not what the user meant to give.
MAX_BYTES = 2 * 1024 * 1024


class InputError(Exception):
    """A file that cannot be used. `problems` is a list of (where, message): `where` is a
    key path such as `contact.phone` (or a sheet cell for workbooks), "" for the file."""

    def __init__(self, path: str | os.PathLike, problems: list[tuple[str, str]], what: str = "文件",
                 footer: str = "本次未生成、未覆盖任何文件。"):
        self.path = str(path)
        self.problems = problems
        self.what = what
        self.footer = footer
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.what}有误：{self.path}"]
        for key, msg in self.problems:
            lines.append(f"  - {key or '（文件）'}：{msg}")
        tail = f"共 {len(self.problems)} 处问题，请修改后重试"
        lines.append(f"{tail}；{self.footer}" if self.footer else f"{tail}。")
        return "\n".join(lines)


# ---- Reading ------------------------------------------------------------------------


def read_text(path: Path, what: str = "文件") -> str:
    """The file's text (UTF-8, a BOM allowed), or an InputError that says why not."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, [("", "文件不存在")], what) from None
    except OSError as e:
        raise InputError(path, [("", f"无法读取文件：{e.strerror or e}")], what) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, [("", "这是一个文件夹，请指定一个 .yml 文件")], what)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, [("", "不是普通文件（设备、管道等不能作为输入）")], what)
    if st.st_size > MAX_BYTES:
        raise InputError(path, [("", f"文件过大（{st.st_size // 1024} KB），不像是本工具的输入文件")], what)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, [("", f"无法读取文件：{e.strerror or e}")], what) from None
    try:
        # utf-8-sig: files saved by Windows editors often start with a BOM.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, [("", "文件不是 UTF-8 编码，请用记事本或 WPS“另存为”UTF-8 编码")], what) from None


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps and with duplicate keys as errors."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, first: int, second: int):
        self.key, self.first, self.second = key, first, second
        super().__init__(f"duplicate key {key}")


def _construct_mapping(loader, node, deep=False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            continue  # PyYAML reports unhashable keys itself
        line = key_node.start_mark.line + 1
        if key in seen:
            raise DuplicateKey(str(key), seen[key], line)
        seen[key] = line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _hint(text: str, line: int) -> str:
    """A hint for the usual causes of a syntax error on (1-based) `line` or just above."""
    lines = text.splitlines()
    near = "\n".join(lines[max(0, line - 2):line])
    hints = []
    if "：" in near and ":" not in near.split("：")[0]:
        hints.append("键后面的冒号要用英文半角“:”，不能用中文全角“：”")
    if "\u3000" in near:
        hints.append("行首或冒号后有全角空格，请改成半角空格")
    if "\t" in near:
        hints.append("不能用 Tab 键缩进，请改成空格")
    if re.search(r":\s*0\d", near):
        hints.append("以 0 开头的号码请加英文引号，如 \"0800123456\"")
    if re.search(r":\S", near.replace("://", "")) and not hints:
        hints.append("键后面的冒号之后要空一格，如 “kind: 常规”")
    return "；".join(hints)


def parse(text: str, path: Path | str, what: str = "文件") -> Any:
    """Parse YAML text; every syntax problem becomes an InputError in Chinese."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(path, [("", f"第 {line} 行含有空字符（NUL），文件可能已损坏，请重新保存为文本文件")], what)
    try:
        return yaml.load(text, Loader=_Loader)
    except DuplicateKey as e:
        raise InputError(path, [("", f"键“{e.key}”写了两次（第 {e.first} 行和第 {e.second} 行），"
                                     f"只能保留一个")], what) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = ""
        hint = ""
        if mark is not None:
            where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近"
            hint = _hint(text, mark.line + 1)
        problem = _problem(getattr(e, "problem", "") or "")
        msg = f"YAML 格式有误，{where}：{problem}" if where else f"YAML 格式有误：{problem}"
        if hint:
            msg += f"。提示：{hint}"
        raise InputError(path, [("", msg)], what) from None


_PROBLEMS = [
    (r"mapping values are not allowed", "这里不能出现冒号（冒号后的内容含冒号时请整体加引号）"),
    (r"found character '\\t'", "含有 Tab 字符，请改用空格缩进"),
    (r"could not find expected ':'", "缺少冒号，或缩进不一致"),
    (r"did not find expected key", "缩进不一致，或列表项与键混在同一层"),
    (r"did not find expected '-' indicator", "列表项缩进不一致"),
    (r"found unexpected end of stream", "引号或括号没有闭合"),
    (r"found undefined alias", "用了未定义的别名（*）"),
    (r"unacceptable character", "含有不可见的控制字符，请删除后重新保存"),
    (r"found unknown escape character", "双引号中的反斜杠“\\”后面跟了无效字符"),
    (r"expected <block end>", "缩进不一致"),
    (r"found a tab character", "含有 Tab 字符，请改用空格缩进"),
]


def _problem(text: str) -> str:
    for pattern, chinese in _PROBLEMS:
        if re.search(pattern, text):
            return chinese
    return "无法解析"


def load(path: Path | str, what: str = "文件") -> Any:
    """Read and parse one YAML file (see the module docstring for what is refused)."""
    path = Path(path)
    text = read_text(path, what)
    if not text.strip():
        raise InputError(path, [("", "文件为空")], what)
    data = parse(text, path, what)
    if data is None:
        raise InputError(path, [("", "文件为空")], what)
    return data


# ---- Validation errors ---------------------------------------------------------------


def keypath(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# Per-key hints for fields whose only rule is a pattern.
PATTERN_HINTS = {
    "id": "只能由小写字母、数字和连字符组成，不能有空格，如 2026-r5-g3-czj",
    "contact.phone": "应为电话号码（数字、连字符、括号），并用引号括起",
    "contact.sms": "应为手机号码，并用引号括起",
    "contact.email": "应为有效的电子邮箱地址，如 xc3@example.gov.cn",
}


def message(err: dict, key: str) -> str:
    """One pydantic error as a Chinese sentence."""
    t = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    shown = f"（当前值：{_shown(got)}）" if not isinstance(got, (dict, list)) and t != "missing" else ""
    if t == "missing":
        return "缺少必填项"
    if t == "extra_forbidden":
        return "未知的键，请检查拼写"
    if t == "string_type":
        if isinstance(got, int) and not isinstance(got, bool):
            return f"应为文字：数字会被改写（如以 0 开头的号码），请加英文引号{shown}"
        return f"应为文字，请加英文引号{shown}"
    if t in ("int_type", "int_parsing", "int_from_float"):
        return f"应为整数{shown}"
    if t == "bool_type":
        return f"应为 true 或 false{shown}"
    if t == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}{shown}"
    if t == "greater_than":
        return f"应大于 {ctx.get('gt')}{shown}"
    if t == "less_than_equal":
        return f"应不大于 {ctx.get('le')}{shown}"
    if t == "string_pattern_mismatch":
        return PATTERN_HINTS.get(re.sub(r"^editions\[\d+\]\.", "", key), "格式不正确") + shown
    if t == "string_too_short":
        return f"内容过短，至少 {ctx.get('min_length')} 个字{shown}"
    if t == "string_too_long":
        return f"内容过长，至多 {ctx.get('max_length')} 个字（当前 {len(str(got))} 个字）"
    if t == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if t == "too_long":
        return f"至多 {ctx.get('max_length')} 项"
    if t.startswith("date"):
        return f"应为有效日期，格式 YYYY-MM-DD{shown}"
    if t == "literal_error":
        return f"应为以下之一：{ctx.get('expected')}{shown}"
    if t in ("model_type", "dict_type", "model_attributes_type"):
        return "应为键值映射（下一行缩进写各项）"
    if t == "list_type":
        return "应为列表，如 [甲, 乙] 或逐行以“- ”开头"
    if t == "value_error":
        return str(ctx.get("error", err.get("msg")))
    return err.get("msg", t)


def _shown(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "…"


def problems(e: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """Every error of a validation as (key path, message). A model validator may report
    several problems at once as "@path@message；@path@message" (see schema.cross_errors)."""
    out = []
    for err in e.errors():
        key = keypath(err["loc"])
        full = f"{prefix}.{key}" if prefix and key else (prefix or key)
        text = str((err.get("ctx") or {}).get("error", ""))
        if err["type"] == "value_error" and text.startswith("@"):
            for chunk in text.split("；@"):
                m = re.fullmatch(r"@?([^@]*)@(.*)", chunk, re.S)
                if m:
                    sub = m.group(1)
                    path = ".".join(p for p in (prefix, key, sub) if p)
                    out.append((path, m.group(2)))
            continue
        out.append((full, message(err, full)))
    return out


def cross_errors(errors: list[tuple[str, str]]) -> ValueError:
    """Several cross-field problems packed into one ValueError, for `problems` to split."""
    return ValueError("；".join(f"@{path}@{msg}" for path, msg in errors))


def validate(model, data: Any, path: Path | str, what: str = "文件", prefix: str = ""):
    """`model.model_validate(data)`, or an InputError listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InputError(path, problems(e, prefix), what) from None


def load_model(model, path: Path | str, what: str = "数据文件"):
    """Read, parse and validate one file."""
    return validate(model, load(path, what), path, what)
