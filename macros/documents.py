"""The edition's documents: their order and phase (the site's nav), readers and use
(macros/data/documents.yml). The home page's role entries, the print pack and the
edition's manifest are made from this one list.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, StrictBool, StrictStr

from . import catalogue
from .schema import StrictModel

AUDIENCES = ("巡察组", "被巡察单位")


class DocInfo(StrictModel):
    for_: list[StrictStr] = Field(alias="for", min_length=1)
    use: StrictStr = Field(min_length=4)
    print: StrictBool


class DocumentsFile(StrictModel):
    documents: dict[StrictStr, DocInfo]


def data() -> DocumentsFile:
    return catalogue.load(catalogue.DATA / "documents.yml", DocumentsFile)


@dataclass(frozen=True)
class Document:
    src: str            # notices/notification.md
    url: str            # notices/notification.html
    title: str          # 巡察通知 (the nav title)
    phase: str          # 进驻前 ("" for the home page)
    readers: tuple[str, ...]
    use: str
    printable: bool


def from_nav(nav) -> list[Document]:
    """Documents in nav order. Every nav page must be described in documents.yml and
    every description must be a nav page (a mismatch is a mistake in one of them)."""
    info = data().documents
    out: list[Document] = []

    def add(title: str, src: str, phase: str):
        if src not in info:
            raise catalogue.yamlio.InputError(catalogue.DATA / "documents.yml",
                                              [("documents", f"缺少页面 {src} 的说明（它在 mkdocs.yml 的 nav 中）")],
                                              "数据文件")
        d = info[src]
        out.append(Document(src=src, url=src[:-3] + ".html", title=title, phase=phase,
                            readers=tuple(d.for_), use=d.use, printable=d.print))

    for node in nav or []:
        if isinstance(node, str):
            add(node, node, "")
            continue
        if "title" in node and "children" in node:
            # Zensical hands the nav over already resolved: {title, url, children}.
            if node.get("url"):
                add(node["title"], node["url"], "")
            for child in node["children"]:
                add(child["title"], child["url"], node["title"])
            continue
        for title, value in node.items():
            if isinstance(value, str):
                add(title, value, "")
            else:
                for child in value:
                    if isinstance(child, dict):
                        for t, src in child.items():
                            add(t, src, title)
                    else:
                        add(child, child, title)
    extra = sorted(set(info) - {d.src for d in out})
    if extra:
        raise catalogue.yamlio.InputError(catalogue.DATA / "documents.yml",
                                          [("documents", f"{'、'.join(extra)} 不在 mkdocs.yml 的 nav 中")], "数据文件")
    return out


def phases(docs: list[Document]) -> list[tuple[str, list[Document]]]:
    """(phase, documents) in order, the home page left out."""
    out: list[tuple[str, list[Document]]] = []
    for d in docs:
        if not d.phase:
            continue
        if not out or out[-1][0] != d.phase:
            out.append((d.phase, []))
        out[-1][1].append(d)
    return out
