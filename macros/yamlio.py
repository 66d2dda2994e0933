"""One YAML loader and one error report for every file the project reads.

Campaign files, round files and the data files under `macros/data/` are all read by
`load()` and validated by pydantic; every problem becomes a (key path, Chinese message)
pair, and `InputError.report()` prints them the same way for every kind of file.

The loader is stricter than PyYAML's SafeLoader where a silent guess would hurt:
- a key written twice at any depth is an error naming both lines (PyYAML keeps the last);
- characters a reader cannot see (bidi controls, zero-width, line and paragraph
  separators, non-characters, NUL and other controls) are errors naming the key path and
  the line and column: YAML itself would read some of them as line breaks;
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
    """SafeLoader without implicit timestamps (duplicate keys are found on the node tree)."""


_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS

# libyaml's parser reads a file about ten times faster, and every build reads some thirty
# data files. It builds the same nodes and values; its error messages are worded
# differently, so a file it rejects is read again by the pure-Python loader, whose
# messages the Chinese hints below are written for.
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """_Loader on libyaml."""

    _FastLoader.yaml_implicit_resolvers = _RESOLVERS
    _LOADERS: tuple[type, ...] = (_FastLoader, _Loader)
else:
    _LOADERS = (_Loader,)


# ---- Characters a reader cannot see -----------------------------------------------------

# Named for the message. YAML reads \x85, U+2028 and U+2029 as line breaks, so in a file
# they would silently split a value; on a page the bidi controls reverse what follows.
_INVISIBLE = {
    **{chr(c): "文字方向控制符" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{chr(c): "零宽字符" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E)},
    "\u2028": "行分隔符", "\u2029": "段分隔符", "\x85": "换行控制符（NEL）", "\x00": "空字符（NUL）",
}
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                      "\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufffe\uffff"
                      "\U000f0000-\U0010ffff" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}"
                                                          for p in range(1, 17)) + "]")


def bad_char(ch: str, one_line: bool = True) -> str | None:
    """What `ch` is, in Chinese, when a value must not hold it; None when it may.
    `one_line=False` allows the tab and line breaks a file's layout needs."""
    name = _INVISIBLE.get(ch)
    if name is not None:
        return name
    o = ord(ch)
    if ch in "\n\r\t":
        return "换行、制表符" if one_line else None
    if o < 0x20 or 0x7F <= o <= 0x9F:
        return "控制字符"
    if 0xFDD0 <= o <= 0xFDEF or (o & 0xFFFE) == 0xFFFE:
        return "非字符码位"
    if 0xD800 <= o <= 0xDFFF or 0xE000 <= o <= 0xF8FF or o >= 0xF0000:
        return "私用区或无效字符"
    return None


def _scan(text: str) -> list[tuple[int, str, str]]:
    """(offset, character, name) of every character no input file should hold."""
    return [(m.start(), m.group(), name) for m in _SUSPECT.finditer(text)
            if (name := bad_char(m.group(), one_line=False))]


def _line_col(text: str, i: int) -> tuple[int, int]:
    """1-based line and column as an editor counts them (only \n breaks a line)."""
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


# Each bad character is replaced by its own private-use marker before parsing, so the
# value that held it can be named by its key path.
_MARK0 = 0xE000
_MARKS = 6000


def _marked_paths(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(key path, string) of every key and value holding a marker."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            sub = f"{path}.{k}" if path else str(k)
            if isinstance(k, str) and _has_mark(k):
                out.append((path, k))
            out += _marked_paths(v, sub)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _marked_paths(v, f"{path}[{i}]")
    elif isinstance(data, str) and _has_mark(data):
        out.append((path, data))
    return out


def _has_mark(s: str) -> bool:
    return any(_MARK0 <= ord(c) < _MARK0 + _MARKS for c in s)


def _char_problems(text: str, found, data: Any) -> list[tuple[str, str]]:
    where: dict[int, str] = {}
    for key, value in _marked_paths(data) if data is not None else []:
        for c in value:
            if _MARK0 <= ord(c) < _MARK0 + _MARKS:
                where.setdefault(ord(c) - _MARK0, key)
    problems = []
    for n, (i, ch, name) in enumerate(found):
        line, col = _line_col(text, i)
        at = f"第 {line} 行第 {col} 列"
        if n in where:
            problems.append((where[n], f"{at}含有{name}（U+{ord(ch):04X}），看不见却会改变或损坏文字，请删除后重写"))
        else:
            problems.append(("", f"{at}含有{name}（U+{ord(ch):04X}），请删除这个字符（它不在任何键或值中，可能在注释里，"
                                 f"也可能文件已损坏）"))
    return problems


# ---- Parsing ---------------------------------------------------------------------------


def _check_nodes(node, path: str, problems: list[tuple[str, str]]) -> None:
    """Duplicate keys at any depth (PyYAML keeps the last one silently), and keys that
    a full-width space or colon made out of what was meant as indentation or a value."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            sub = path
            if key is not None:
                sub = f"{path}.{key}" if path else key
                line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append((sub, f"键“{key}”写了两次（第 {seen[key]} 行和第 {line} 行），只能保留一个"))
                else:
                    seen[key] = line
                if "\u3000" in key:
                    problems.append((sub, f"第 {line} 行的键名含有全角空格：缩进和冒号后只能用半角空格"))
                elif "：" in key:
                    problems.append((sub, f"第 {line} 行的键名含有中文全角冒号“：”：键后面的冒号要用英文半角“:”"))
            _check_nodes(value_node, sub, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_nodes(item, f"{path}[{i}]", problems)


def _hint(text: str, line: int) -> str:
    """A hint for the usual causes of a syntax error reported on (1-based) `line`, naming
    the line that holds the culprit (PyYAML often reports the line after it)."""
    lines = text.splitlines()
    hints = []
    for n in range(max(1, line - 1), min(line, len(lines)) + 1):
        s = lines[n - 1].split(" #")[0]
        if "：" in s and ":" not in s.split("：")[0]:
            hints.append(f"第 {n} 行的冒号是中文全角“：”，键后面的冒号要用英文半角“:”")
        if "\u3000" in s:
            hints.append(f"第 {n} 行有全角空格，缩进和冒号后只能用半角空格")
        if "\t" in s:
            hints.append(f"第 {n} 行用了 Tab 键，缩进只能用空格")
        if re.search(r":\s*0\d", s):
            hints.append(f"第 {n} 行以 0 开头的号码请加英文引号，如 \"0800123456\"")
    if not hints:
        for n in range(max(1, line - 1), min(line, len(lines)) + 1):
            if re.match(r"\s*(- )?[^\s:#\"'\[{][^:#]*:[^\s:/]", lines[n - 1]):
                hints.append(f"第 {n} 行键后面的冒号之后要空一格，如 “kind: 常规”")
    if not hints:
        for n, s in enumerate(lines[:line], start=1):
            if s.split(" #")[0].count('"') % 2:
                hints.append(f"第 {n} 行的引号没有闭合")
                break
    return "；".join(hints)


def parse(text: str, path: Path | str, what: str = "文件") -> Any:
    """Parse YAML text; every problem (syntax, a key written twice, an invisible or
    control character) becomes an InputError in Chinese, located by key path or line."""
    found = _scan(text)
    safe = text
    if found:
        chars = list(text)
        for n, (i, _, _) in enumerate(found[:_MARKS]):
            chars[i] = chr(_MARK0 + n)
        safe = "".join(chars)
    problems: list[tuple[str, str]] = []
    try:
        for n, loader_class in enumerate(_LOADERS, start=1):
            loader = loader_class(safe)
            try:
                node = loader.get_single_node()
                if node is not None:
                    _check_nodes(node, "", problems)
                data = loader.construct_document(node) if node is not None and not problems else None
                break
            except yaml.YAMLError:
                if n == len(_LOADERS):
                    raise
            finally:
                loader.dispose()
    except yaml.YAMLError as e:
        if found:  # the characters are the likely cause; say where they are
            raise InputError(path, _char_problems(text, found, None), what) from None
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
    if problems:
        raise InputError(path, problems, what)
    if found:
        raise InputError(path, _char_problems(text, found, data), what)
    return data


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
    (r"expected ',' or '\]'", "方括号“[”没有闭合，或列表项之间缺少英文逗号"),
    (r"expected ',' or '}'", "花括号“{”没有闭合，或各项之间缺少英文逗号"),
    (r"found unexpected ':'", "这里不能出现冒号（内容含冒号时请整体加引号）"),
    (r"expected a single document", "文件中有多个“---”分隔的文档，只能有一个"),
    (r"expected alphabetic or numeric character", "以“*”或“&”开头的值会被当作别名或锚点，请给整个值加英文引号"),
    (r"cannot start any token", "值不能以 @、` 等符号开头，请给整个值加英文引号"),
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
        if isinstance(got, str):  # a text whose length is checked after its own validator
            return f"内容过长，至多 {ctx.get('max_length')} 个字（当前 {len(got)} 个字）"
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
