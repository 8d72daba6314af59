"""``source.txt``, written first: the title, the synthetic notice, 一 to 四 with the lists,
the fund sentences and the safeguards; every piece a fact cites is kept in ``self.at``, and
the counts the text states are kept for the plan."""

from __future__ import annotations

from collections.abc import Sequence

from .base import CountyBase
from .places import TOWNSHIP_KINDS, Township, Village
from .turtle import Span
from .wording import (
    ACTIVITIES,
    AMOUNTS,
    CATEGORIES,
    CHINESE_NUMBERS,
    GOAL_TARGETS,
    MEASURE_SECTIONS,
    MEASURES,
    PRINCIPLES,
    SAFEGUARD_TEXTS,
    SECTIONS,
    TRANSITION_YEARS,
)


class SourceWriting(CountyBase):
    """Writes a county's ``source.txt`` (part of :class:`~.county.County`)."""

    def _write_text(self) -> None:
        self._text_front()
        self._text_classification()
        self._text_measures_and_funding()
        self._text_safeguards()

    def _text_front(self) -> None:
        """Title, the synthetic notice, the basis and 一、总体要求."""
        src, at = self.src, self.at
        src.add("\n")
        at["title"] = src.add(f"{self.name}分类全面推进\n乡村振兴实施方案（试行）")
        src.add("\n\n")
        at["note"] = src.add(f"说明：本文是为基准测试自动生成的合成文本，{self.name}及其"
                             "乡镇（街道）、村（社区）、机构和数字均为虚构，"
                             "不对应任何真实的地方或文件。")
        src.add(f"\n按照《{self.mname}分层分类全面推进乡村振兴实施方案（试行）》要求，"
                "结合我县实际，制定本实施方案。\n")
        at["s1"] = src.add("一、总体要求")
        src.add("\n坚持")
        for i, (name, _) in enumerate(PRINCIPLES, start=1):
            if i > 1:
                src.add("、")
            at[f"principle-{i}"] = src.add(name)
        src.add("，将全县乡村振兴")
        mark = src.mark()
        src.add("分为")
        for i, (key, name, _) in enumerate(CATEGORIES):
            if i:
                src.add("、")
            at[f"cat-{key}"] = src.add(name)
        at["cat-list"] = src.since(mark)
        src.add("有序推进，健全分类推进机制，促进乡村全面振兴。\n")
        self.goals["overall"] = self._goal_sentence("overall")
        src.add("\n")

    def _text_classification(self) -> None:
        """二、细化分类: the township lists with their goals, then the village lists."""
        src, at, e = self.src, self.at, self.errors
        at["s2"] = src.add("二、细化分类")
        src.add("\n在深入调研基础上，全面分析全县不同区域农业农村发展趋势，")
        at["criteria"] = src.add("依据区位条件、资源禀赋、产业基础、发展水平等实际情况")
        src.add("，")
        self.n_town = len(self.townships) + (1 if "partition-mismatch" in e else 0)
        self.n_cat = 4 if "concept-count" in e else 3
        mark = src.mark()
        src.add(f"将全县{self.n_town}个乡镇（街道）")
        at["n-categories"] = src.add(f"分为“{CHINESE_NUMBERS[self.n_cat]}类”")
        at["count-townships"] = src.since(mark)
        src.add("，全面推进乡村振兴。\n")
        at["s2-1"] = src.add("（一）乡镇（街道）分类")
        src.add("\n")
        at["count-townships-pilot"] = src.add(f"先行示范类（{len(self.pilot)}个）")
        src.add("。")
        self._list(self.pilot)
        src.add("。")
        self.goals["pilot"] = self._goal_sentence("pilot")
        src.add("\n")
        at["count-townships-key-assistance"] = src.add(f"重点帮扶类（{len(self.key)}个）")
        src.add("。")
        suffix = TOWNSHIP_KINDS[self.key_municipal.kind][0]
        at[self.key_municipal.local] = src.add(f"市级重点{suffix}：{self.key_municipal.name}")
        src.add("，县级重点乡镇：")
        self._list(self.key_county)
        src.add("。")
        self.goals["key-assistance"] = self._goal_sentence("key-assistance")
        src.add("\n")
        at["count-townships-active"] = src.add(f"积极推进类（{len(self.active)}个）")
        src.add("。")
        self._list(self.active)
        src.add("，共")  # the real text runs "中平乡19个…"; digits after digits would blur
        at["count-townships-active-2"] = src.add(f"{len(self.active)}个乡镇（街道）")
        src.add("。")
        self.goals["active"] = self._goal_sentence("active")
        src.add("\n")

        at["s2-2"] = src.add("（二）村分类")
        src.add("\n")
        self.n_east_west, self.n_led = len(self.village_east_west), len(self.village_led)
        self.n_county_villages = self.n_led + self.n_applied
        self.n_pilot_villages = 1 + self.n_east_west + self.n_county_villages
        at["count-villages-pilot"] = src.add(f"先行示范类（{self.n_pilot_villages}个）")
        src.add("：\n")
        at["count-villages-pilot-municipal"] = src.add("市级示范村1个")
        src.add("：")
        self._list([self.village_municipal])
        src.add("；\n")
        at["count-villages-pilot-east-west"] = src.add(f"东西部协作示范村{self.n_east_west}个")
        src.add("：")
        self._list(self.village_east_west)
        src.add("；\n    ")
        at["count-villages-pilot-county"] = src.add(f"县级示范村{self.n_county_villages}个")
        src.add("：其中")
        at["count-villages-pilot-county-led"] = src.add(f"县级主导示范村（{self.n_led}个）")
        src.add("，包括")
        self._list(self.village_led)
        src.add("；")
        at["count-villages-pilot-township-applied"] = src.add(
            f"乡镇（街道）申报创建示范村（{self.n_applied}个）")
        src.add("，")
        mark = src.mark()
        src.add("由各乡镇（街道）自行申报，")
        at["office"] = src.add("县委农办")
        src.add("制定评审细则进行评审择优确定。原则上实行一年一创，动态管理。")
        at["selection"] = src.since(mark)
        src.add("\n    ")
        self.n_key_villages = len(self.key_villages) + (1 if "count-mismatch" in e else 0)
        at["count-villages-key-assistance"] = src.add(f"重点帮扶类（{self.n_key_villages}个）")
        src.add("：")
        self._list(self.key_villages)
        src.add("。\n    积极推进类：除先行示范类、重点帮扶类外，")
        at["count-villages-active"] = src.add(f"其余{self.n_rest}个行政村")
        src.add("按积极推进类分步骤有序推进。\n")

    def _text_measures_and_funding(self) -> None:
        """三、重点举措: measures per category, the land quota, the five fund sentences."""
        src, at, rng = self.src, self.at, self.rng
        at["s3"] = src.add("三、重点举措")
        src.add("\n")
        headings = {s[0]: s[2] + s[3] for s in SECTIONS}
        for key, section in MEASURE_SECTIONS:
            at[section] = src.add(headings[section])
            src.add("。")
            pool = MEASURES[key]
            chosen = sorted(rng.sample(range(len(pool)), rng.randint(1, len(pool))))
            self.measures[key] = [src.add(pool[i]) for i in chosen]
            if key == "key-assistance":
                self.mu = rng.choice((300, 400, 500, 600, 800))
                at["quota"] = src.add("制定出台支持乡村振兴重点帮扶乡镇的政策措施，"
                                      f"强化统筹{self.mu}亩建设用地规划使用")
                src.add("。")
            src.add("\n")
        at["s3-4"] = src.add(headings["s3-4"])
        src.add("。")
        self.years_demo = rng.choice((2, 3, 3, 5))
        self.amounts = {k: rng.choice(v) for k, v in AMOUNTS.items()}
        years, wan = self.years_demo, self.amounts
        mark = src.mark()
        src.add("对市级乡村振兴示范村，")
        at["city-finance"] = src.add("市财政")
        src.add(f"连续{years}年每年安排{wan['municipal-demo-village']}万元")
        at["rule-municipal-demo-village"] = src.since(mark)
        src.add("；")
        mark = src.mark()
        at["interp-county-demo-towns"] = src.add("对县级乡村振兴示范镇")
        src.add("，")
        at["county-finance"] = src.add("县财政")
        src.add(f"连续{years}年每年分别安排专项资金{wan['county-demo-town']}万元")
        at["rule-county-demo-town"] = src.since(mark)
        src.add("。")
        at["rule-township-applied"] = src.add(
            "对乡镇（街道）申报被评为县级乡村振兴示范村的，县财政每个安排"
            f"{wan['township-applied']}万元奖补资金")
        src.add("。")
        mark = src.mark()
        src.add("在")
        at["transition-period"] = src.add(f"{TRANSITION_YEARS}年过渡期")
        src.add(f"内，对市级乡村振兴重点帮扶乡镇，市财政每年补助{wan['municipal-key']}万元")
        at["rule-municipal-key"] = src.since(mark)
        src.add("；")
        at["rule-county-key"] = src.add(
            f"对县级重点帮扶乡镇，县财政每年每个补助{wan['county-key']}万元，重点支持产业发展")
        src.add("。\n")

    def _text_safeguards(self) -> None:
        """四、保障措施: five paragraphs, three with a recurring activity."""
        src, at = self.src, self.at
        at["s4"] = src.add("四、保障措施")
        src.add("\n")
        for i, (local, _, number, title, _) in enumerate(SECTIONS[-5:], start=1):
            mark = src.mark()
            at[local] = src.add(number + title)
            src.add("。" + SAFEGUARD_TEXTS[local])
            if local in ACTIVITIES:
                activity, clause, rest = ACTIVITIES[local]
                at[f"activity-{activity}"] = src.add(clause)
                src.add(rest)
            at[f"safeguard-{i}"] = src.since(mark)
            src.add("\n")

    def _goal_sentence(self, key: str) -> tuple[Span, list[Span]]:
        """``力争到2025年，target，target。``: the sentence and each target's span."""
        src, pool = self.src, GOAL_TARGETS[key]
        chosen = sorted(self.rng.sample(range(len(pool)), self.rng.randint(3, len(pool))))
        mark = src.mark()
        src.add("力争到2025年，")
        targets = []
        for i, n in enumerate(chosen):
            if i:
                src.add("，")
            targets.append(src.add(pool[n]))
        src.add("。")
        return src.since(mark), targets

    def _list(self, units: Sequence[Township | Village]) -> None:
        """``甲、乙、丙``; a village is written after its township, as the real lists do."""
        for i, unit in enumerate(units):
            if i:
                self.src.add("、")
            name = unit.township.name + unit.name if isinstance(unit, Village) else unit.name
            self.at[unit.local] = self.src.add(name)

