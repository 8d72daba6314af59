"""Lists attached to a notice: "附件" / "第二批示范村名单" / "（共8个）" or a table's header, then
the rows (spaced, tabbed or a pipe table). The title opens the list as a heading would; the
walk itself is lists.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from xsrv_kg import numerals
from xsrv_kg.draft import places
from xsrv_kg.draft import text as cut
from xsrv_kg.draft.members import Members, OpenList
from xsrv_kg.draft.model import Fact, Span, span

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^[\s|:\-]+$")


def tables_as_spaces(source: str) -> str:
    r"""The text with a pipe table's bars as spaces and its rule rows blank ("| 1 | 东城区 |"
    reads as the spaced row "  1   东城区  "): the same length, so every offset still points
    into the text as written.

    >>> tables_as_spaces("| 序号 | 村 |\n|---|---|\n| 1 | 花园村 |")
    '  序号   村  \n         \n  1   花园村  '
    """
    out = []
    for line in source.split("\n"):
        if PIPE_ROW.match(line):
            line = " " * len(line) if PIPE_RULE.match(line) else line.replace("|", " ")
        out.append(line)
    return "\n".join(out)



class AttachedLists(Members):
    """The half of the walker that opens attached lists (lists.Walker keeps the state)."""

    list_open: bool
    section_list: tuple[int, OpenList] | None
    label_place: tuple[str, Span] | None
    label_sticky: bool
    pending: tuple[Fact, str, Span] | None
    sentence_lists: list[OpenList]
    title_total: re.Pattern[str]  # lists.toml [list_title] total, compiled once

    end_run: Callable[..., None]
    close_category: Callable[[int], None]

    def list_title(self, offset: int, line: str, following: tuple[int, str] | None) -> str | None:
        """ "第二批市级乡村振兴示范村名单" over "（共8个）" (or with it on the same line), or over a
        table's header ("序号  区县  乡镇  村"): the title of an attached list opens it, as a
        heading would. Returns "same" or "next" (the next line was the total or the header, and
        is read), None when the line is no such title."""
        spec = self.rules.lists["list_title"]
        stripped = line.strip()
        if not stripped or len(stripped) > spec["most"] or cut.SECTION.match(line):
            return None
        total = self.title_total
        lead = len(line) - len(line.lstrip())
        nxt = following[1].strip() if following is not None else ""
        for ending in spec["endings"]:
            at = stripped.find(ending)
            label = stripped[:at]
            if at < 2 or places.parse_chain(label, self.rules) or re.search(r"[，。：:；;]", label):
                continue
            label_span = span(self.text, offset + lead, offset + lead + len(label))
            rest = stripped[at + len(ending) :].strip()
            m = total.match(rest) if rest else total.match(nxt) if following else None
            if m is not None and numerals.is_numeral(m.group("n")):
                if rest:
                    base = offset + len(line.rstrip()) - len(rest)
                else:
                    assert following is not None
                    base = following[0] + len(following[1]) - len(following[1].lstrip())
                self.open_title(label, label_span, m.group("n"),
                                span(self.text, base, base + len(m.group(0))))
                return "same" if rest else "next"
            if not rest and self.table_header(nxt) and len(nxt.split()) >= 3:
                self.open_title(label, label_span, None, None)
                return "next"
        return None

    def table_header(self, line: str) -> bool:
        """ "序号  区县  乡镇（街道）  村（社区）": a table's header row, read as no names."""
        cells = line.split()
        return len(cells) >= 2 and any(
            c in self.rules.lists["list_title"]["header_words"] for c in cells)

    def open_title(
        self, label: str, label_span: Span, n: str | None, total_span: Span | None
    ) -> None:
        """Open the attached list. A count in running text of the same name (and value, where
        the title gives a total: "确定…等8个村（社区）为第二批示范村" over "第二批示范村名单"
        and "（共8个）") is the list's count, with both spans; the member named there is the
        list's until the list names it (members.add_member)."""
        self.end_run()
        self.close_category(label_span.start)
        value = numerals.to_int(n) if n is not None else None
        said = [r for r in self.roots if r.count is not None and r.within is None
                and r.count.rule == "lists.trailing_count" and not r.children
                and r.count.data.get("label") == label
                and value in (None, r.count.data["value"])]
        count, members = None, []
        if len(said) == 1:
            earlier = said[0]
            self.roots.remove(earlier)
            count, members = earlier.count, earlier.members
            assert count is not None
            count.rule = "lists.heading_count"
            if n is not None and total_span is not None:
                count.spans[:0] = [total_span, label_span]
                count.stated = (n, label) + count.stated
            else:
                count.spans.append(label_span)
        elif n is not None and total_span is not None:
            count = Fact(
                "count",
                "",
                [total_span, label_span],
                {"value": value, "label": label, "within": None},
                (n, label),
                "lists.heading_count",
            )
            self.facts.append(count)
        # Uncounted, the title alone names what the members are.
        new = OpenList(label, label_span, count, count is None, members=list(members))
        self.stack, self.section_list = [new], None
        self.roots.append(new)
        self.list_open = True
        self.label_place, self.label_sticky = None, False
        self.pending, self.sentence_lists = None, []
