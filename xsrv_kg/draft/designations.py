"""Designations in running text: "确定十二个村为…示范村，现将名单公布如下：", "确定甲、乙2个镇和丙村
为首批示范镇村", "授予甲村、乙村“…”称号". The name after the designation (lists.toml
`designates`) is the members' category where a designation verb comes before it in the
sentence; the walk itself is lists.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from xsrv_kg.draft import text as cut
from xsrv_kg.draft.members import Members, OpenList
from xsrv_kg.draft.model import Fact, Span, span


class Designations(Members):
    """The half of the walker that reads designations (lists.Walker keeps the state)."""

    amount: re.Pattern[str]
    designates: list[re.Pattern[str]]
    list_open: bool
    label_place: tuple[str, Span] | None
    label_sticky: bool
    pending: tuple[Fact, str, Span] | None

    end_run: Callable[..., None]
    close_category: Callable[[int], None]

    def designated(self, rest: str, at: int) -> tuple[str, Span] | None:
        """ "为2023年度美丽乡村示范村" after a count or a list, "“乡村振兴示范村”称号" after names:
        the name the members become, where the rest of the item is that name (no amount) and a
        designation verb (确定, 授予 …) comes before it in the sentence."""
        for pattern in self.designates:
            m = pattern.match(rest)
            if not m or len(m.group("name").strip()) < 2 or self.amount.search(m.group("name")):
                continue
            name = m.group("name").strip()
            name_start = at + m.start("name") + m.group("name").index(name)
            sentence_start, _ = cut.sentence_bounds(self.text, at)
            before = self.text[sentence_start:name_start]
            if not any(verb in before for verb in self.rules.lists["designation_verbs"]):
                return None
            return name, span(self.text, name_start, name_start + len(name))
        return None

    def designate(self, lists: list[OpenList], name: str, name_span: Span) -> None:
        """ "确定东山、西河2个镇和青石、白塔3个村为首批示范镇村": the counted lists of the
        sentence are of that category; so are their members."""
        for listed in lists:
            if listed.count is not None:
                listed.count.data["label"] = name
                listed.count.spans.append(name_span)
                listed.count.stated = listed.count.stated + (name,)
            for member in listed.members:
                member.data["category"] = name
                member.spans.append(name_span)
                member.stated = member.stated + (name,)

    def designated_run(self, name: str, name_span: Span) -> None:
        """ "确定南岭镇和红旗村、新民村、光明社区为第二批示范镇村": the run's names are members
        of the category named after 为 (no count: the sentence declares none)."""
        listed = OpenList(name, name_span, None, True)
        self.roots.append(listed)
        self.stack, self.list_open = [listed], True
        self.end_run()
        self.stack, self.list_open = [], False

    def open_designation(self) -> None:
        """The pending count heads the list the announcement introduces: its members (or its
        groups, "1.城东街道（2个）：…") follow, and take its name as their category."""
        assert self.pending is not None
        fact, name, name_span = self.pending
        self.pending = None
        self.end_run()
        self.close_category(fact.span.start)
        fact.rule = "lists.heading_count"
        fact.spans.append(name_span)
        fact.stated = fact.stated + (name,)
        fact.data["label"] = name
        new = OpenList(name, name_span, fact, False)
        self.stack = [new]
        self.roots.append(new)
        self.list_open = True
        self.label_place, self.label_sticky = None, False
