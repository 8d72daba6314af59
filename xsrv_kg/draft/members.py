"""What a list yields: the places its items name (each nested in the place named before
it, or in the --area one level up), its members, and each heading count's level and
completeness once the list is read. The walk itself is lists.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from xsrv_kg import numerals
from xsrv_kg.draft import places
from xsrv_kg.draft.model import Fact, Span, span
from xsrv_kg.draft.rules import Rules, compile_pattern


@dataclass
class OpenList:
    label: str
    label_span: Span
    count: Fact | None
    category: bool
    within: tuple[str, Span] | None = None
    members: list[Fact] = field(default_factory=list)
    children: list[OpenList] = field(default_factory=list)

    def all_members(self) -> list[Fact]:
        return self.members + [m for c in self.children for m in c.all_members()]


@dataclass
class Context:
    """Where a category is in force: [start, end) of the text, for goals and fund rules."""

    start: int
    end: int
    label: str
    label_span: Span


class Members:
    """The half of the walker that records facts (lists.Walker keeps the state)."""

    text: str
    rules: Rules
    area: str | None
    area_rank: float | None
    facts: list[Fact]
    stack: list[OpenList]
    roots: list[OpenList]
    label_place: tuple[str, Span] | None
    place_keys: dict[tuple[str, str | None], Fact]
    nouns: dict[str, dict[str, str]]

    def parent_for(self, level_rank: float) -> tuple[str | None, bool]:
        """The place a top-level name is in: the "甲区：" label, else the --area if adjacent."""
        if self.label_place:
            return self.label_place[0], False
        if self.area and self.area_rank is not None:
            step = level_rank - self.area_rank
            # 市 may be prefecture-level (in a province) or county-level (in a prefecture).
            if 0 < step <= 1 or (level_rank == places.RANK["CityLevelDivision"] and step <= 1.5):
                return self.area, True
        return None, False

    def place(
        self,
        name: places.Name,
        start: int,
        parent: str | None,
        parent_given: bool,
        parent_start: int | None,
        kind_from: tuple[int, int] | None = None,
    ) -> Fact:
        key = (name.name, parent)
        if key in self.place_keys:
            return self.place_keys[key]
        if parent is None or parent_given:
            # Named again without its parent (白云县 heading the villages, after 青山州：白云县):
            # the place already drafted, if exactly one of that name and kind is.
            known = [
                f
                for (n, _), f in self.place_keys.items()
                if n == name.name and f.data["kind"] == name.kind
            ]
            if len(known) == 1:
                return known[0]
        begin = parent_start if parent_start is not None else start
        end = start + len(name.name)
        spans = [span(self.text, begin, end)]
        stated: tuple[str, ...] = (name.name,) + ((parent,) if parent and not parent_given else ())
        if kind_from:
            spans.append(span(self.text, *kind_from))
            stated = (
                name.name[: -len(name.suffix)] if name.suffix else name.name,
                name.suffix,
            ) + stated[1:]
        fact = Fact(
            "place",
            f"place:{parent or ''}/{name.name}",
            spans,
            {
                "name": name.name,
                "kind": name.kind,
                "level": name.level,
                "parent": parent,
                "suffix": name.suffix,
            },
            stated,
            "places.suffix",
            {"parent": "--area"} if parent_given else {},
        )
        self.place_keys[key] = fact
        self.facts.append(fact)
        return fact

    # ---- the walk -----------------------------------------------------------
    def emit_chain(
        self,
        chain: list[places.Name],
        begin: int,
        carried: tuple[str, int] | None,
        *,
        kind_from: tuple[int, int] | None = None,
        bare: bool = False,
    ) -> Fact:
        fact = None
        for i, name in enumerate(chain):
            start = begin + name.offset
            if i > 0:
                prev = chain[i - 1]
                fact = self.place(name, start, prev.name, False, begin + prev.offset, kind_from)
            elif carried:
                fact = self.place(name, start, carried[0], False, carried[1], kind_from)
            else:
                parent, given = self.parent_for(name.rank)
                pstart = None
                if parent and not given and self.label_place:
                    pstart = self.label_place[1].start
                if bare:
                    fact = self.bare_place(name, start, parent, given, pstart, kind_from)
                else:
                    fact = self.place(name, start, parent, given, pstart)
        assert fact is not None
        return fact

    def bare_place(
        self,
        name: places.Name,
        start: int,
        parent: str | None,
        given: bool,
        pstart: int | None,
        kind_from: tuple[int, int] | None,
    ) -> Fact:
        stem = name.name[: -len(name.suffix)]
        fact = self.place(
            places.Name(0, stem, "", name.kind, name.level), start, parent, given, pstart
        )
        fact.data["name"], fact.data["suffix_from_heading"] = name.name, name.suffix
        fact.key = f"place:{parent or ''}/{name.name}"
        if kind_from:
            fact.spans.append(span(self.text, *kind_from))
            fact.stated = fact.stated + (name.suffix,)
        return fact

    def add_member(self, target: OpenList, place: Fact, begin: int, end: int) -> None:
        chain = self.stack if target in self.stack else [target]
        for listed in chain:
            # Named again ("确定花园社区等8个村为…" above the attached list that names it): the
            # list's own naming is the member, the running text's example is dropped.
            for again in [m for m in listed.members if m.data["unit"] == place.key]:
                listed.members.remove(again)
                self.facts.remove(again)
        spans = [span(self.text, begin, end), target.label_span]
        stated = (
            place.data["name"]
            if "suffix_from_heading" not in place.data
            else place.data["name"][: -len(place.data["suffix_from_heading"])],
            target.label,
        )
        # The category: the nearest heading ending in a category marker, else the list's
        # root heading ("示范乡镇（4个）" over "云岭市：石桥镇…"); a list headed by a place or
        # by a bare count ("2个镇") is not a category.
        category = next((o for o in chain if o.category), None)
        root = chain[0]
        if (
            category is None
            and root.within is None
            and root.count is not None
            and (root.count.rule == "lists.heading_count")
        ):
            category = root
        if category and category is not target:
            spans.append(category.label_span)
            stated = stated + (category.label,)
        named_list = (
            target is not category
            and target.within is None
            and (target.count is None or target.count.rule == "lists.heading_count")
        )
        member = Fact(
            "member",
            f"member:{place.key}:{target.label}",
            spans,
            {
                "unit": place.key,
                "name": place.data["name"],
                "list": target.label if named_list else None,
                "category": category.label if category else None,
                "count": target.count,
            },
            stated,
            "lists.member",
        )
        target.members.append(member)
        self.facts.append(member)

    def finish_counts(self) -> None:
        """Level, kind and completeness of each heading count, from its members."""

        def visit(node: OpenList, category: str | None) -> None:
            heading = node.count is not None and node.count.rule == "lists.heading_count"
            cat = (
                node.label
                if node.category
                else (category or (node.label if heading and node.within is None else None))
            )
            for child in node.children:
                if child.count is not None and not node.category and node.within is None:
                    # 县级主导示范村（5个） within 县级示范村10个: a narrower list
                    child.count.data["broader_list"] = node.label
                visit(child, cat)
            if node.count is None:
                return
            members = node.all_members()
            if node.within is None:
                self.heading_kind(node, members)
            levels = {self.unit_level(m) for m in members}
            data = node.count.data
            # 26 = 5 + 9 + 6 + 6: groups by place ("东湖区（5个）：…") that are the list's only
            # content, each counted (a label that lists nothing, "联系电话：…" below the list,
            # is not a group). Sub-lists by tier (市级示范村1个 …) are not read as a partition:
            # how they nest is less certain than a place heading.
            groups = [c for c in node.children if c.count is not None or c.all_members()]
            if (
                not node.members
                and groups
                and all(c.count is not None and c.within is not None for c in groups)
            ):
                data["parts"] = [c.count for c in groups]
            if len(levels) == 1:
                data.setdefault("level", levels.pop())
            else:
                noun = self.rules.counted_noun(node.label)
                data.setdefault("level", self.nouns[noun]["level"] if noun else None)
            data["label"] = cat if cat else data.get("label")
            # A list headed by a place (甲区（5个）) or a bare count (2个镇) has no name of its own.
            data["list"] = node.label if node.within is None and heading else None
            data["named"] = len(members)
            data["members"] = members
            data["complete"] = len(members) == data["value"]

        for root in self.roots:
            visit(root, None)

    def heading_kind(self, node: OpenList, members: list[Fact]) -> None:
        """A kind the heading names for members whose suffix leaves it open ("先进县级市（1个）"
        over 青山市: a county-level city), with the heading's span; lists.toml's
        heading_refines says which kinds a heading may refine."""
        noun = self.rules.counted_noun(node.label)
        spec = self.nouns.get(noun) if noun else None
        if not spec or "kind" not in spec:
            return
        refines = self.rules.lists.get("heading_refines", {})
        for member in members:
            place = self.place_of(member)
            if spec["kind"] in refines.get(place.data["kind"], []):
                place.data.update(kind=spec["kind"], level=spec["level"])
                place.spans.append(node.label_span)
                place.stated = place.stated + (noun,)
                place.rule = "places.suffix + lists.heading_refines"
        if node.count is not None and all(
            self.place_of(m).data["kind"] == spec["kind"] for m in members
        ):
            node.count.data.setdefault("kind", spec["kind"])

    def place_of(self, member: Fact) -> Fact:
        return next(
            f for f in self.facts if f.kind == "place" and f.key == member.data["unit"]
        )

    def unit_level(self, member: Fact) -> str:
        return next(
            f.data["level"]
            for f in self.facts
            if f.kind == "place" and f.key == member.data["unit"]
        )


def category_counts(source: str, rules: Rules) -> list[Fact]:
    """ "分为“三类”": how many categories the text declares."""
    out = []
    for m in compile_pattern(rules.lists["category_count"]["pattern"]).finditer(source):
        if not numerals.is_numeral(m.group("n")):
            continue
        out.append(
            Fact(
                "count",
                "",
                [span(source, m.start(), m.end())],
                {
                    "value": numerals.to_int(m.group("n")),
                    "level": None,
                    "label": None,
                    "counts": "categories",
                    "complete": None,
                },
                (m.group("n") + "类",),
                "lists.category_count",
            )
        )
    return out
