"""The document's own facts: title, number, issuer, date, basis documents, status words."""

from __future__ import annotations

import datetime
import re

from xsrv_kg import numerals
from xsrv_kg.draft import text as cut
from xsrv_kg.draft.model import Fact, span
from xsrv_kg.draft.rules import Rules, compile_pattern

BOOK = re.compile(r"《(?P<title>[^《》]{2,200})》")


def _header(source: str) -> list[tuple[int, str]]:
    """The lines before the body starts: non-empty lines up to the first sentence (。) or
    section heading, at most six."""
    out = []
    for offset, line in cut.lines(source):
        stripped = line.strip()
        if not stripped or (stripped[0] in "（(" and stripped[-1] in "）)"):
            continue  # blank, or a note in brackets such as （虚构示例…） or （2021年10月21日）
        if "。" in line or cut.SECTION.match(line) or len(out) >= 6 or line.rstrip().endswith("："):
            break
        out.append((offset, line))
    return out


def _title(source: str, header: list[tuple[int, str]], rules: Rules) -> Fact | None:
    number = compile_pattern(rules.document["number"]["pattern"])
    date = compile_pattern(rules.document["date"]["pattern"])
    lines = []
    for offset, line in header:
        stripped = line.strip()
        if (
            number.fullmatch(stripped)
            or date.fullmatch(stripped)
            or stripped.startswith(("（", "("))
        ):
            if lines:
                break
            continue
        lines.append((offset + len(line) - len(line.lstrip()), stripped))
        if stripped.endswith(
            ("通知", "方案", "办法", "意见", "决定", "公示", "公告", "名单", "规划", "通报")
        ):
            break
    if not lines:
        return None
    start, end = lines[0][0], lines[-1][0] + len(lines[-1][1])
    title = "".join(t for _, t in lines)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in title)
    if not source[end:].strip() or cjk * 2 < len(title):
        return None  # a title heads a body, and is written in Chinese
    if title.startswith("《") and title.endswith("》"):
        title = title[1:-1]
    return Fact(
        "title", "title", [span(source, start, end)], {"title": title}, (title,), "document.title"
    )


def _date(year: str, month: str, day: str) -> str | None:
    """ISO date, or None where the words do not make a calendar date (2021年13月1日)."""
    try:
        return datetime.date(
            numerals.to_int(year), numerals.to_int(month), numerals.to_int(day)
        ).isoformat()
    except ValueError:
        return None


def document_facts(source: str, rules: Rules) -> list[Fact]:
    facts: list[Fact] = []
    header = _header(source)
    title = _title(source, header, rules)
    if title:
        facts.append(title)
    header_end = header[-1][0] + len(header[-1][1]) if header else 0
    number = compile_pattern(rules.document["number"]["pattern"])
    basis_words = rules.document["basis"]["before"]
    window = rules.document["basis"]["window"]
    seen_numbers = set()
    # Basis documents: 《title》 (number) after 按照 / 根据 …
    for m in BOOK.finditer(source):
        before = source[max(0, m.start() - window) : m.start()]
        if not any(w in before for w in basis_words):
            continue
        end, data = (
            m.end(),
            {
                "title": m.group("title").replace("<", "《").replace(">", "》"),
                "title_as_stated": m.group("title"),
            },
        )
        stated = [m.group("title")]
        after = (
            number.match(source, m.end() + 1) if source[m.end() : m.end() + 1] in "（(" else None
        )
        if after:
            end = after.end() + 1 if source[after.end() : after.end() + 1] in "）)" else after.end()
            data["number"] = after.group(0)
            stated.append(after.group(0))
            seen_numbers.add(after.start())
        issuer = re.match(r"(?P<issuer>.{2,40}?)关于", m.group("title"))
        if issuer:
            data["issuer"] = issuer.group("issuer")
        facts.append(
            Fact(
                "basis",
                f"basis:{len(facts)}",
                [span(source, m.start(), end)],
                data,
                tuple(stated),
                "document.basis",
            )
        )
    # The document's own number: one standing in the header.
    for m in number.finditer(source, 0, max(header_end, 0) + 1):
        if m.start() not in seen_numbers:
            facts.append(
                Fact(
                    "number",
                    "number",
                    [span(source, m.start(), m.end())],
                    {"number": m.group(0)},
                    (m.group(0),),
                    "document.number",
                )
            )
            break
    # Issuer: named in the title ("X关于…"), else the line before a closing date.
    date_re = compile_pattern(rules.document["date"]["pattern"])
    if title:
        im = compile_pattern(rules.document["issuer"]["title_pattern"]).match(title.data["title"])
        if im:
            facts.append(
                Fact(
                    "issuer",
                    "issuer",
                    [span(source, title.span.start, title.span.end)],
                    {"issuer": im.group("issuer")},
                    (im.group("issuer"),),
                    "document.issuer_title",
                )
            )
    attachment = compile_pattern(rules.document["signature"]["attachment"])
    body: list[tuple[int, str]] = []
    for o, line in cut.lines(source):
        if body and attachment.match(line.strip()):
            break  # the attachment's list is not the signature
        if line.strip():
            body.append((o, line))
    tail = body[-4:]
    for i, (offset, line) in enumerate(tail):
        dm = date_re.fullmatch(line.strip())
        if dm and _date(dm.group("y"), dm.group("m"), dm.group("d")):
            lead = len(line) - len(line.lstrip())
            facts.append(
                Fact(
                    "date",
                    "date",
                    [span(source, offset + lead, offset + lead + len(line.strip()))],
                    {"date": _date(dm.group("y"), dm.group("m"), dm.group("d"))},
                    (line.strip(),),
                    "document.date",
                )
            )
            if i > 0 and not any(f.kind == "issuer" for f in facts):
                io, il = tail[i - 1]
                name = il.strip()
                if 2 <= len(name) <= 40 and not re.search(r"[。，；：]", name):
                    lead = len(il) - len(il.lstrip())
                    facts.append(
                        Fact(
                            "issuer",
                            "issuer",
                            [span(source, io + lead, io + lead + len(name))],
                            {"issuer": name},
                            (name,),
                            "document.issuer_signature",
                        )
                    )
            break
    facts.extend(_status(source, title, rules))
    return facts


def _status(source: str, title: Fact | None, rules: Rules) -> list[Fact]:
    out: list[Fact] = []
    verbs = rules.document["designation"]["verbs"]
    for row in rules.document["status"]:
        word = row["word"]
        if any(f.data["status"] == row["status"] for f in out):
            continue  # one status fact per status: the first row that matches gives it
        if row["where"] == "title":
            if title and word in title.span.exact:
                at = title.span.start + title.span.exact.index(word)
                out.append(
                    Fact(
                        "status",
                        f"status:{row['status']}",
                        [span(source, at, at + len(word))],
                        {"status": row["status"], "word": word},
                        (word,),
                        "document.status",
                    )
                )
            continue
        pattern = re.escape(word) + (
            f"(?:{'|'.join(verbs)})" if row["where"] == "designation" else ""
        )
        m = re.search(pattern, source)
        if m:
            out.append(
                Fact(
                    "status",
                    f"status:{row['status']}",
                    [span(source, m.start(), m.end())],
                    {"status": row["status"], "word": word},
                    (word,),
                    "document.status",
                )
            )
    return out
