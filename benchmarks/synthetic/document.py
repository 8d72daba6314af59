"""The rest of ``plan.ttl``: the document, its text, bodies, sections and principles, the
fund rules (with the errors that break them), the land quota, goals, measures, safeguards
and their recurring activities."""

from __future__ import annotations

from xsrv_kg.vocab import XSRV

from .base import STATED, CountyBase
from .injection import expect
from .turtle import dec, duration, en, plain, zh
from .wording import (
    ACTIVITIES,
    CATEGORY_EN,
    CATEGORY_ZH,
    FUND_RULES,
    MEASURE_SECTIONS,
    PRINCIPLES,
    SECTIONS,
    TRANSITION_YEARS,
    section_label,
)


class DocumentWriting(CountyBase):
    """Writes the document, funding, goals and safeguards of a county's plan (part of
    :class:`~.county.County`)."""

    def _plan_document(self) -> None:
        """The document, its text, the synthetic notice, bodies, sections, principles."""
        p, at = self.plan, self.at
        title = f"{self.name}分类全面推进乡村振兴实施方案（试行）"
        p.heading("The plan")
        p.node("c:plan", ("a", "xsrv:PolicyDocument"), ("eli:title", zh(title)),
               ("rdfs:label", [zh(title), en(f"Synthetic County {self.num} plan for "
                                             "comprehensively advancing rural revitalization "
                                             "by category (trial; synthetic)")]),
               ("eli:type_document", "xsrv:type-plan"),
               ("xsrv:documentStatus", "xsrv:status-trial"), ("dcterms:language", plain("zh")),
               ("dcterms:spatial", "c:county"), ("eli:based_on", "m:plan"),
               ("xsrv:sourceText", "c:text"), ("xsrv:sourceSpan", self.span(at["title"])),
               ("xsrv:hasPrinciple",
                [f"c:principle-{i}" for i in range(1, len(PRINCIPLES) + 1)]))
        p.node("c:text", ("a", "xsrv:SourceText"),
               ("rdfs:label", [zh(f"《{title}》全文（合成）"),
                               en(f"Full text of the Synthetic County {self.num} plan")]),
               ("xsrv:sourceFile", plain("source.txt")),
               ("dcterms:source", plain("benchmarks/generate.py (synthetic)")))
        p.node("c:note-synthetic", ("a", "xsrv:EditorialNote"),
               ("rdfs:label", [zh("合成数据"), en("Synthetic data")]),
               ("xsrv:concerns", "c:plan"),
               ("rdfs:comment", [zh("本文件由基准测试生成器合成，"
                                    "其中的县、乡镇、村、机构和金额均不存在。"),
                                 en("Generated for benchmarks: its county, townships, villages, "
                                    "bodies and amounts do not exist.")]),
               ("xsrv:sourceSpan", self.span(at["note"])))
        p.heading("Bodies (the municipal finance is described in the municipalities' graph)")
        p.node("c:finance", ("a", "org:Organization"),
               ("rdfs:label", [zh("县财政"),
                               en(f"county public finance (Synthetic County {self.num})")]),
               ("xsrv:sourceSpan", self.span(at["county-finance"])))
        p.node("c:rural-work-office", ("a", "org:Organization"),
               ("rdfs:label", [zh("县委农办"), en("County Party Committee Rural Work Office")]),
               ("xsrv:sourceSpan", self.span(at["office"])))
        p.node("m:finance", ("xsrv:sourceSpan", self.span(at["city-finance"])))
        p.heading("Sections")
        for local, parent, number, title_, en_label in SECTIONS:
            p.node(f"c:{local}", ("a", "xsrv:DocumentSection"),
                   ("eli:is_part_of", f"c:{parent}" if parent else "c:plan"),
                   ("eli:number", plain(number)), ("eli:title", zh(title_)),
                   ("rdfs:label", [zh(section_label(local, number, title_)), en(en_label)]),
                   ("xsrv:sourceSpan", self.span(at[local])))
        for i, (name, en_name) in enumerate(PRINCIPLES, start=1):
            p.node(f"c:principle-{i}", ("a", "xsrv:Principle"), ("skos:notation", plain(str(i))),
                   ("rdfs:label", [zh(name), en(en_name)]), *STATED, ("xsrv:statedIn", "c:s1"),
                   ("xsrv:sourceSpan", self.span(at[f"principle-{i}"])))


    def _plan_funding(self) -> None:
        """The five fund rules of 三（四）, the transition period, the land quota."""
        p, at, e = self.plan, self.at, self.errors
        p.heading("Fund rules")
        p.node("c:transition-period", ("a", "time:ProperInterval"),
               ("rdfs:label", [zh(f"{TRANSITION_YEARS}年过渡期"),
                               en(f"{TRANSITION_YEARS}-year transition period")]),
               ("time:hasDuration", duration(TRANSITION_YEARS)),
               ("xsrv:durationAsStated", zh(f"{TRANSITION_YEARS}年过渡期")),
               ("xsrv:sourceSpan", self.span(at["transition-period"])))
        for local, desc, level, cat, tier, payer, basis, period, kind in FUND_RULES:
            rule = f"rule-{local}"
            wan = self.amounts[local]
            amount = wan * 10_000
            if local == "township-applied" and "zero-amount" in e:
                amount = 0
                self.inject("zero-amount", rule, "the fund rule's amount is 0 yuan",
                            [expect(self.iri(rule), "AllocationShape",
                                     "MinExclusiveConstraintComponent", XSRV + "amount")])
            payer_pairs = [("xsrv:payer", payer)]
            if local == "county-key" and "no-payer" in e:
                payer_pairs = []
                self.inject("no-payer", rule, "the fund rule has no xsrv:payer",
                            [expect(self.iri(rule), "FundRuleShape",
                                     "MinCountConstraintComponent", XSRV + "payer")])
            years = {"demo": self.years_demo, "transition": TRANSITION_YEARS}.get(period or "")
            duration_pairs: list[tuple[str, object]] = []
            if years:
                duration_pairs = [("time:hasDuration", duration(years))]
                if local == "municipal-demo-village" and "no-duration" in e:
                    duration_pairs = []
                    self.inject("no-duration", rule, "a yearly fund rule has no time:hasDuration",
                                [expect(self.iri(rule), "FundRuleShape",
                                         "SPARQLConstraintComponent")])
                as_stated = f"{years}年过渡期" if period == "transition" else f"连续{years}年"
                duration_pairs.append(("xsrv:durationAsStated", zh(as_stated)))
            p.node(f"c:{rule}", ("a", "xsrv:FundRule"),
                   ("rdfs:label", [zh(f"{desc}：{wan}万元"),
                                   en(f"Fund rule {local}: {wan * 10_000} yuan")]),
                   ("xsrv:recipientDescription", zh(desc)), ("xsrv:recipientLevel", level),
                   ("xsrv:recipientCategory", f"c:cat-{cat}"),
                   ("xsrv:recipientTier", f"c:tier-{tier}" if tier else []),
                   *payer_pairs,
                   ("xsrv:amount", dec(amount)), ("xsrv:unit", "xsrv:unit-yuan"),
                   ("xsrv:amountAsStated", zh(f"{wan}万元")),
                   ("xsrv:fundKind", zh(kind) if kind else []),
                   ("xsrv:paymentBasis", basis),
                   ("xsrv:withinPeriod", "c:transition-period" if period == "transition" else []),
                   *duration_pairs, *STATED, ("xsrv:statedIn", "c:s3-4"),
                   ("xsrv:sourceSpan", self.span(at[rule])))
        p.node("c:interp-county-demo-towns", ("a", "xsrv:Interpretation"),
               ("rdfs:label", [zh("“县级乡村振兴示范镇”即先行示范类乡镇"),
                               en("“County demonstration towns” read as the pilot townships")]),
               ("xsrv:concerns", "c:rule-county-demo-town"),
               ("xsrv:concernsProperty", "xsrv:recipientCategory"),
               ("rdfs:comment", [zh("原文未写明哪些镇是县级乡村振兴示范镇；"
                                    "数据认为即先行示范类乡镇。"),
                                 en("The text does not say which towns are the county "
                                    "demonstration towns; the data reads them as the pilot "
                                    "townships.")]),
               ("xsrv:sourceSpan", self.span(at["interp-county-demo-towns"])))
        mu = self.mu
        p.node("c:quota-key-assistance-land", ("a", "xsrv:LandQuota"),
               ("rdfs:label", [zh(f"重点帮扶乡镇统筹{mu}亩建设用地"),
                               en(f"{mu} mu of construction land for the key-assistance "
                                  "townships")]),
               ("xsrv:recipientDescription", zh("乡村振兴重点帮扶乡镇")),
               ("xsrv:recipientLevel", "xsrv:TownshipLevelDivision"),
               ("xsrv:recipientCategory", "c:cat-key-assistance"),
               ("xsrv:amount", dec(mu)), ("xsrv:unit", "xsrv:unit-mu"),
               ("xsrv:amountAsStated", zh(f"{mu}亩")), *STATED, ("xsrv:statedIn", "c:s3-2"),
               ("xsrv:sourceSpan", self.span(at["quota"])))

    def _plan_goals_and_safeguards(self) -> None:
        """Goals with their targets, measures, safeguards and their recurring activities."""
        p, at, e = self.plan, self.at, self.errors
        p.heading("Goals")
        for key, (sentence, targets) in self.goals.items():
            goal = f"goal-{key}"
            year = '"2025"^^xsd:gYear'
            if key == "overall" and "wrong-datatype" in e:
                year = plain("2025")
                self.inject("wrong-datatype", goal, "the target year is an xsd:string",
                            [expect(self.iri(goal), "GoalShape", "DatatypeConstraintComponent",
                                     XSRV + "targetYear")])
            label = "全县总体目标" if key == "overall" else f"{CATEGORY_ZH[key]}目标"
            p.node(f"c:{goal}", ("a", "xsrv:Goal"),
                   ("rdfs:label", [zh(f"{label}（2025年）"), en(f"Goal {key} (2025)")]),
                   ("xsrv:targetYear", year),
                   ("xsrv:appliesTo", "c:county" if key == "overall" else f"c:cat-{key}"),
                   ("xsrv:hasTarget", [f"c:{goal}-t{i}" for i in range(1, len(targets) + 1)]),
                   *STATED, ("xsrv:statedIn", "c:s1" if key == "overall" else "c:s2-1"),
                   ("xsrv:sourceSpan", self.span(sentence)))
            for i, s in enumerate(targets, start=1):
                income = "收入增速" in s.exact
                benchmark = "xsrv:benchmark-county-average" if "全县平均" in s.exact else \
                    "xsrv:benchmark-municipal-average"
                p.node(f"c:{goal}-t{i}", ("a", "xsrv:Target"), ("xsrv:wording", zh(s.exact)),
                       ("xsrv:indicator", "xsrv:indicator-rural-income-growth" if income else []),
                       ("xsrv:comparedTo", benchmark if income else []),
                       *STATED, ("xsrv:sourceSpan", self.span(s)))
        p.heading("Measures")
        for key, section in MEASURE_SECTIONS:
            for i, s in enumerate(self.measures[key], start=1):
                p.node(f"c:measure-{key}-{i}", ("a", "xsrv:Measure"),
                       ("rdfs:label", [zh(f"{CATEGORY_ZH[key]}乡镇举措{i}"),
                                       en(f"{CATEGORY_EN[key].capitalize()} township "
                                          f"measure {i}")]),
                       ("xsrv:wording", zh(s.exact)), ("xsrv:appliesTo", f"c:cat-{key}"),
                       *STATED, ("xsrv:statedIn", f"c:{section}"),
                       ("xsrv:sourceSpan", self.span(s)))
        p.heading("Safeguards")
        for i, (local, _, _, title, en_label) in enumerate(SECTIONS[-5:], start=1):
            activity = [f"c:activity-{ACTIVITIES[local][0]}"] if local in ACTIVITIES else []
            p.node(f"c:safeguard-{i}", ("a", "xsrv:Safeguard"),
                   ("rdfs:label", [zh(title), en(en_label.split(" ", 1)[1])]),
                   ("skos:notation", plain(str(i))), ("xsrv:hasActivity", activity),
                   *STATED, ("xsrv:statedIn", f"c:{local}"),
                   ("xsrv:sourceSpan", self.span(at[f"safeguard-{i}"])))
        p.node("c:activity-exchange", ("a", "xsrv:RecurringActivity"),
               ("rdfs:label", [zh("乡村振兴交流活动"),
                               en("Rural-revitalization exchange activities")]),
               ("xsrv:frequencyAsStated", zh("定期")), *STATED, ("xsrv:statedIn", "c:s4-3"),
               ("xsrv:sourceSpan", self.span(at["activity-exchange"])))
        p.node("c:activity-dispatch-meeting", ("a", "xsrv:RecurringActivity"),
               ("rdfs:label", [zh("分类推进乡村振兴调度会"),
                               en("Dispatch meeting on category-based rural revitalization")]),
               ("xsrv:responsibleBody", "c:rural-work-office"),
               ("xsrv:frequency", "freq:quarterly"),
               ("xsrv:frequencyAsStated", zh("每季度召开一次")), ("xsrv:qualifier", zh("原则上")),
               *STATED, ("xsrv:statedIn", "c:s4-4"),
               ("xsrv:sourceSpan", self.span(at["activity-dispatch-meeting"])))
        p.node("c:activity-assessment", ("a", "xsrv:RecurringActivity"),
               ("rdfs:label", [zh("乡镇（街道）乡村振兴考核评估"),
                               en("Yearly rural-revitalization assessment of each township")]),
               ("xsrv:frequency", "freq:annual"), ("xsrv:frequencyAsStated", zh("每年开展一次")),
               *STATED, ("xsrv:statedIn", "c:s4-5"),
               ("xsrv:sourceSpan", self.span(at["activity-assessment"])))
        p.node("c:interp-kinds", ("a", "xsrv:Interpretation"),
               ("rdfs:label", [zh("区划类型据名称后缀判定"),
                               en("Division kinds read from name suffixes")]),
               ("xsrv:concernsProperty", "xsrv:divisionKind"),
               ("rdfs:comment", [zh("数据按名称后缀判定区划类型"
                                    "（镇、乡、街道、村、社区、居委会）。"),
                                 en("The data reads each unit's kind from its name's suffix.")]))

