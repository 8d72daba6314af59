"""Enumerations: list headings, their declared counts, the members after them, and the
places those members are, nested in the place named before them.

The walk goes item by item (text.items) keeping a small state: the category in force
(a heading ending in 类), a stack of open lists (a nested label opened by 其中 is a part
of the list before it, another label a sibling), the place a "甲区：" label names, and the
run of items joined by 、. A run becomes members only where the text makes it a list: an
open heading, a count right after it ("东山、西河2个镇"), or at least two place names.

The walker's other halves: members.py records places and members, designations.py reads
designations in running text ("确定…为…", "授予…“…”称号"), attached.py opens a list attached
under its title ("…名单" over "（共8个）" or a table).
"""

from __future__ import annotations

import re

from xsrv_kg import numerals
from xsrv_kg.draft import places
from xsrv_kg.draft import text as cut
from xsrv_kg.draft.attached import AttachedLists, tables_as_spaces
from xsrv_kg.draft.designations import Designations
from xsrv_kg.draft.members import Context, Members, OpenList, category_counts
from xsrv_kg.draft.model import Fact, Span, span
from xsrv_kg.draft.rules import Rules, compile_pattern

NUM = numerals.PATTERN
ROW_NUMBER = re.compile(r"\d{1,3}[\s.．、]+(?=\D)")


def section_depth(marker: str) -> int:
    """第…章 0, 一、 1, （一） 2: how deep a section marker is."""
    marker = marker.strip()
    return 0 if marker.startswith("第") else 1 if marker.endswith("、") else 2


class Walker(AttachedLists, Designations, Members):
    def __init__(self, source: str, rules: Rules, area: str | None) -> None:
        self.text, self.rules, self.area = source, rules, area
        self.area_rank = (
            places.kind_of(area, rules).rank if area and places.kind_of(area, rules) else None
        )
        self.facts: list[Fact] = []
        self.contexts: list[Context] = []
        self.stack: list[OpenList] = []
        self.roots: list[OpenList] = []
        self.category: tuple[str, Span] | None = None
        self.cat_start = 0
        self.label_place: tuple[str, Span] | None = None
        self.list_open = False
        self.run: list[tuple[int, int, str]] = []
        self.prev_delim = ""
        self.label_set_at = -1
        self.label_sticky = False  # a place label on a line of its own heads the lines below
        self.section_list: tuple[int, OpenList] | None = None  # (depth, list its heading opened)
        self.place_keys: dict[tuple[str, str | None], Fact] = {}
        # "确定十二个村为…示范村": a count naming what its members become, until its sentence
        # ends; an announcement ("现将名单公布如下：") makes it the heading of the list below.
        self.pending: tuple[Fact, str, Span] | None = None
        self.sentence_lists: list[OpenList] = []  # "东山、西河2个镇和青石…3个村" so far
        self.designates = [compile_pattern(p) for p in rules.lists["designates"]]
        self.title_total = compile_pattern(rules.lists["list_title"]["total"])
        nouns = sorted(rules.lists["counted"], key=len, reverse=True)
        self.nouns = rules.lists["counted"]
        alt = "|".join(re.escape(n) for n in nouns)
        self.trailing = re.compile(
            rf"^(?P<head>.*?)(?P<etc>等)?(?P<n>{NUM})个(?P<noun>{alt})(?P<rest>.*)$"
        )
        self.amount = re.compile(rf"{NUM}(?:亿元|万元|元)")
        self.amount_tail = re.compile(rf"(?:奖励|补助|奖补|补贴)?{NUM}(?:亿元|万元|元)$")
        self.label_count = re.compile(
            rf"^(?P<label>.+?)(?:[（(](?P<n1>{NUM})个[）)]|(?P<n2>{NUM})个)$"
        )

    # ---- helpers -------------------------------------------------------------
    def strip_lead(self, item: str) -> tuple[str, int, bool]:
        """Item without its lead words; chars skipped; whether a nesting word was among them.
        A one-character lead word (和, 为 …) is kept where the item reads as a name with it
        (和平乡)."""
        skipped, nested = 0, False
        changed = True
        while changed:
            changed = False
            for word in sorted(self.rules.lists["lead_words"], key=len, reverse=True):
                if not item.startswith(word) or len(item) <= len(word):
                    continue
                if len(word) == 1 and places.parse_chain(item, self.rules):
                    continue
                nested = nested or word in self.rules.lists["nesting_words"]
                item, skipped, changed = item[len(word) :], skipped + len(word), True
                break
        return item, skipped, nested

    def close_category(self, at: int) -> None:
        if self.category:
            self.contexts.append(Context(self.cat_start, at, *self.category))
        self.category = None

    def walk(self) -> None:
        lines = list(cut.lines(tables_as_spaces(self.text)))
        skip_line = -1
        for number, (offset, line) in enumerate(lines):
            if number == skip_line or (self.list_open and self.table_header(line)):
                continue
            following = lines[number + 1] if number + 1 < len(lines) else None
            title = self.list_title(offset, line, following)
            if title:
                skip_line = number + 1 if title == "next" else skip_line
                continue
            section = cut.SECTION.match(line)
            roots_before, continued = len(self.roots), False
            if section:
                self.end_run()
                continued = self.continue_section(section_depth(section.group(0)))
                if not continued:
                    self.close_category(offset)
                    self.stack, self.section_list = [], None
                self.list_open, self.label_place, self.label_sticky = False, None, False
            head = section or cut.ROW.match(line)
            skip = head.end() if head else 0
            self.prev_delim = ""
            items = list(cut.items(line[skip:], offset + skip))
            for index, (start, end, item, delim) in enumerate(items):
                self.item(start, end, item, delim)
                self.prev_delim = delim
                if delim in "。；;！？" or index == len(items) - 1:
                    self.pending, self.sentence_lists = None, []
                if delim != "、":
                    self.end_run()
                # A place label ends with its sentence or line, except on a line of its own
                # ("东湖区（3个）" above the villages it heads).
                if index == len(items) - 1 and self.label_set_at == start:
                    self.label_sticky = True
                elif (not delim or delim in "；;。") and not self.label_sticky:
                    self.label_place = None
            if section and not continued and len(self.roots) > roots_before and self.stack:
                # "三、示范村（二十六个）": the list the section's own heading opens
                self.section_list = (section_depth(section.group(0)), self.stack[0])
        self.end_run()
        self.close_category(len(self.text))
        self.finish_counts()

    def continue_section(self, depth: int) -> bool:
        """A deeper section ("（一）东湖区（5个）：…") under a section whose heading opened a
        list ("三、示范村（二十六个）") is a group of that list: the list stays open."""
        held = self.section_list
        if held is None or depth <= held[0] or not self.stack or self.stack[0] is not held[1]:
            return False
        self.stack = [held[1]]
        return True

    def item(self, start: int, end: int, item: str, delim: str) -> None:
        item, end = self.without_amount(item, end)
        row = ROW_NUMBER.match(item)  # "3  东湖区 柳林镇 红星村": a table row's number
        if row and row.end() < len(item):
            item, start = item[row.end() :], start + row.end()
        body, skipped, nested = self.strip_lead(item)
        begin = start + skipped
        if (
            self.pending
            and delim in ("：", ":")
            and body.endswith(tuple(self.rules.lists["announces"]))
        ):
            self.open_designation()
            return
        m = self.label_count.match(body)
        if m and not numerals.is_numeral(m.group("n1") or m.group("n2")):
            m = None
        if (
            m
            and self.prev_delim in ("", "：", ":", "。", "；", ";")
            and delim in ("：", ":", "。", "，", ",", "；", ";", "")
            and not self._trailing(body)
        ):
            self.open_label(
                m.group("label"),
                begin,
                begin + len(m.group("label")),
                m.group("n1") or m.group("n2"),
                start,
                end,
                nested,
            )
            return
        if delim in ("：", ":"):
            if self.amount.search(body) or len(body) > 20:
                self.end_run()
                return
            self.open_label(body, begin, end, None, start, end, nested)
            return
        t = self.trailing.match(body)
        if t and numerals.is_numeral(t.group("n")):
            self.trailing_count(t, begin, start, end)
            return
        for conj in self.rules.lists["conjunctions"]:
            at = body.find(conj, 1)
            if (
                at > 0
                and places.parse_chain(body[:at], self.rules)
                and places.parse_chain(body[at + len(conj) :], self.rules)
            ):
                self.run.append((begin, begin + at, body[:at]))
                self.run.append((begin + at + len(conj), end, body[at + len(conj) :]))
                return
        chain = places.parse_chain(body, self.rules)
        if chain or places.stem_only(body, self.rules):
            self.run.append((begin, end, body))
            return
        after_run = bool(self.run) and self.prev_delim == "、"
        if after_run or (not self.run and not self.list_open):
            for word in sorted(self.rules.lists["tail_words"], key=len, reverse=True):
                at = body.find(word, 2)
                if at > 0 and places.parse_chain(body[:at], self.rules):
                    named = self.designated(body[at:], begin + at)
                    if not after_run and not named:
                        break  # one name and no designation: not a list
                    self.run.append((begin, begin + at, body[:at]))
                    if named and not self.list_open:
                        self.designated_run(*named)
                    break
        self.end_run()
        self.list_open = False
        self.label_sticky = False
        if self.prev_delim in ("", "。", "；", ";"):
            self.label_place = None

    def _trailing(self, body: str) -> re.Match[str] | None:
        t = self.trailing.match(body)
        return t if t and numerals.is_numeral(t.group("n")) else None

    def without_amount(self, item: str, end: int) -> tuple[str, int]:
        """ "双溪村30万元" in a list: the member is 双溪村 (money.py reads the amount)."""
        m = self.amount_tail.search(item)
        if m and m.start() > 0:
            kept = item[: m.start()].rstrip()
            return kept, end - (len(item) - len(kept))
        return item, end

    def open_label(
        self, label: str, lstart: int, lend: int, n: str | None, start: int, end: int, nested: bool
    ) -> None:
        self.end_run()
        chain = places.parse_chain(label, self.rules)
        count = None
        if chain:
            self.emit_chain(chain, lstart, None)
            self.label_place = (chain[-1].name, span(self.text, lstart, lend))
            self.label_set_at, self.label_sticky = start, False
        is_cat = not chain and any(label.endswith(w) for w in self.rules.lists["category_markers"])
        if is_cat:
            self.close_category(start)
            self.category, self.cat_start = (label, span(self.text, lstart, lend)), start
        if n is not None:
            count = Fact(
                "count",
                "",
                [span(self.text, start, end)],
                {
                    "value": numerals.to_int(n),
                    "label": None if chain else label,
                    "within": self.label_place[0] if chain and self.label_place else None,
                },
                (n, label),
                "lists.heading_count",
            )
            self.facts.append(count)
        new = OpenList(
            label, span(self.text, lstart, lend), count, is_cat, self.label_place if chain else None
        )
        if is_cat or not self.stack:
            self.stack = [new]
            self.roots.append(new)
        else:
            if not nested:
                # A label is a sibling of the labelled list before it (a place's list is
                # never the parent of the next one), a part of the category above.
                while (
                    self.stack
                    and not self.stack[-1].category
                    and (len(self.stack) > 1 or self.stack[-1].within is not None)
                ):
                    self.stack.pop()
            if self.stack:
                self.stack[-1].children.append(new)
            else:
                self.roots.append(new)
            self.stack.append(new)
        self.list_open = True

    def trailing_count(self, t: re.Match[str], begin: int, start: int, end: int) -> None:
        head, noun, n = t.group("head"), t.group("noun"), t.group("n")
        nstart = begin + t.start("n")
        cend = begin + t.end("noun")
        spec = self.nouns[noun]
        head_chain = places.parse_chain(head, self.rules) if head else None
        # Bare names ("东山、西河2个镇") are members only where the count numbers them.
        bare_ok = places.stem_only(head, self.rules) and len(self.run) + 1 == numerals.to_int(n)
        if head and (head_chain or bare_ok):
            self.run.append((begin, begin + len(head), head))
            self.end_run(count=(numerals.to_int(n), noun, spec, nstart, cend))
            named = self.designated(t.group("rest"), begin + t.start("rest"))
            if named and self.sentence_lists:
                self.designate(self.sentence_lists, *named)
        else:
            self.end_run()
            whole = head.endswith(("全县", "全市", "全区", "全州", "全省", "本县", "本市", "本区"))
            fstart = begin + max(0, len(head) - 2) if whole else nstart
            fact = Fact(
                "count",
                "",
                [span(self.text, fstart, cend)],
                {
                    "value": numerals.to_int(n),
                    "level": spec["level"],
                    "kind": spec.get("kind"),
                    "label": self.category[0] if self.category else None,
                    "noun": noun,
                    "within": self.area if whole else None,
                    "complete": None,
                },
                (n, noun),
                "lists.inline_count",
                {"within": "--area"} if whole else {},
            )
            if self.category:
                fact.spans.append(self.category[1])
                fact.stated = fact.stated + (self.category[0],)
            self.facts.append(fact)
            self.list_open = False
            named = self.designated(t.group("rest"), begin + t.start("rest"))
            self.pending = (fact, *named) if named else None
        rest = t.group("rest")
        for conj in sorted(self.rules.lists["conjunctions"], key=len, reverse=True):
            if rest.startswith(conj) and len(rest) > len(conj):
                rstart = begin + t.start("rest") + len(conj)
                self.item(rstart, end, rest[len(conj) :], "")
                return
        if rest:
            self.list_open = False

    def end_run(self, count: tuple | None = None) -> None:
        run, self.run = self.run, []
        if not run:
            return
        chains = [places.parse_chain(body, self.rules) for _, _, body in run]
        if count is None and not (self.list_open or (len(run) >= 2 and all(chains))):
            return
        target = self.stack[-1] if self.list_open and self.stack else None
        if count is not None:
            value, noun, spec, cstart, cend = count
            if target and target.count and target.count.data["value"] == value:
                target.count.spans.append(span(self.text, cstart, cend))
            else:
                label = self.category[0] if self.category else None
                fact = Fact(
                    "count",
                    "",
                    [span(self.text, run[0][0], cend)],
                    {
                        "value": value,
                        "label": label,
                        "noun": noun,
                        "within": self.label_place[0] if self.label_place else None,
                    },
                    (str(value) if str(value) in self.text[run[0][0] : cend] else "", noun),
                    "lists.trailing_count",
                )
                fact.stated = tuple(s for s in fact.stated if s)
                self.facts.append(fact)
                target = OpenList(noun, span(self.text, cstart, cend), fact, False)
                self.roots.append(target)
                self.sentence_lists.append(target)
        parent: tuple[str, int] | None = None
        for (begin, end, body), chain in zip(run, chains, strict=True):
            if not chain:
                if count is None or "kind" not in count[2]:
                    continue
                # The suffix the counted noun is ("3个村": 村), else the shortest of its kind.
                rows = [r for r in self.rules.suffixes() if r["kind"] == count[2]["kind"]]
                row = next((r for r in rows if count[1].endswith(r["text"])), rows[-1])
                chain = [places.Name(0, body + row["text"], row["text"], row["kind"], row["level"])]
                member = self.emit_chain(
                    chain, begin, parent, kind_from=(count[3], count[4]), bare=True
                )
            else:
                if len(chain) > 1:
                    parent = None
                member = self.emit_chain(chain, begin, parent)
                if len(chain) > 1:
                    parent = (chain[-2].name, begin + chain[-2].offset)
            if target is not None:
                self.add_member(target, member, begin, end)


def enumerate_lists(
    source: str, rules: Rules, *, area: str | None
) -> tuple[list[Fact], list[Context]]:
    walker = Walker(source, rules, area)
    walker.walk()
    facts = walker.facts + category_counts(source, rules)
    for i, fact in enumerate(f for f in facts if f.kind == "count"):
        fact.key = f"count:{i + 1}"
    return facts, walker.contexts
