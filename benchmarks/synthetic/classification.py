"""The classification part of ``plan.ttl``: the category and tier schemes, the declared
counts (with the errors that falsify them) and one assignment per township and named
village."""

from __future__ import annotations

from .base import STATED, CountyBase
from .injection import expect
from .turtle import en, plain, zh
from .wording import CATEGORIES, CATEGORY_EN, CHINESE_NUMBERS, TIERS


class ClassificationWriting(CountyBase):
    """Writes the classification of a county's plan (part of :class:`~.county.County`)."""

    def _plan_classification(self) -> None:
        """The category and tier schemes and the declared counts."""
        p, at, e = self.plan, self.at, self.errors
        p.heading("Categories and tiers")
        p.node("c:categories", ("a", "skos:ConceptScheme"),
               ("rdfs:label", [zh(f"{self.name}乡村振兴分类"),
                               en(f"Synthetic County {self.num} categories")]),
               ("dcterms:source", "c:plan"),
               ("xsrv:classificationCriterion",
                [zh(c) for c in ("区位条件", "资源禀赋", "产业基础", "发展水平")]),
               ("xsrv:sourceSpan", self.span(at["criteria"])),
               ("skos:hasTopConcept", [f"c:cat-{k}" for k, _, _ in CATEGORIES]))
        for n, (key, name, en_name) in enumerate(CATEGORIES, start=1):
            p.node(f"c:cat-{key}", ("a", "skos:Concept"), ("skos:inScheme", "c:categories"),
                   ("skos:topConceptOf", "c:categories"), ("skos:notation", plain(str(n))),
                   ("skos:prefLabel", [zh(name), en(en_name)]),
                   ("xsrv:sourceSpan", self.span(at[f"cat-{key}"])))
        p.node("c:tiers", ("a", "skos:ConceptScheme"),
               ("rdfs:label", [zh(f"{self.name}乡村振兴分类层级"),
                               en(f"Synthetic County {self.num} category tiers")]),
               ("dcterms:source", "c:plan"),
               ("skos:hasTopConcept", [f"c:tier-{t[0]}" for t in TIERS if not t[3]]))
        for local, name, en_name, broader in TIERS:
            top = [("skos:broader", f"c:tier-{broader}")] if broader else \
                [("skos:topConceptOf", "c:tiers")]
            p.node(f"c:tier-{local}", ("a", "skos:Concept"), ("skos:inScheme", "c:tiers"), *top,
                   ("skos:prefLabel", [zh(name), en(en_name)]))

        p.heading("Declared counts")
        n_cat, n_town = self.n_cat, self.n_town
        if "concept-count" in e:
            self.inject("concept-count", "count-categories",
                        "the text says 四类; the scheme has three top concepts",
                        [expect(self.iri("count-categories"), "ConceptCountShape",
                                 "SPARQLConstraintComponent")])
        p.node("c:count-categories", ("a", "xsrv:ConceptCount"),
               ("rdfs:label", [zh(f"分类数：{CHINESE_NUMBERS[n_cat]}类"),
                               en(f"Number of categories: {n_cat}")]),
               ("xsrv:declaredValue", str(n_cat)), ("xsrv:enumerationComplete", "true"),
               ("xsrv:countedScheme", "c:categories"), *STATED, ("xsrv:statedIn", "c:s2"),
               ("xsrv:sourceSpan", [self.span(at["n-categories"]), self.span(at["cat-list"])]))
        if "partition-mismatch" in e:
            self.inject("partition-mismatch", "count-townships",
                        f"{n_town} townships declared; the data has {len(self.townships)} and "
                        "the category counts add up to that",
                        [expect(self.iri("count-townships"), "DivisionCountShape",
                                 "SPARQLConstraintComponent"),
                         expect(self.iri("count-townships"), "PartitionSumShape",
                                 "SPARQLConstraintComponent")])
        p.node("c:count-townships", ("a", "xsrv:DivisionCount"),
               ("rdfs:label", [zh(f"全县乡镇（街道）数：{n_town}"),
                               en(f"Township-level units of the county: {n_town}")]),
               ("xsrv:declaredValue", str(n_town)), ("xsrv:enumerationComplete", "true"),
               ("xsrv:countedLevel", "xsrv:TownshipLevelDivision"),
               ("xsrv:countedWithin", "c:county"),
               ("xsrv:partitionedInto", [f"c:count-townships-{k}" for k, _, _ in CATEGORIES]),
               *STATED, ("xsrv:statedIn", "c:s2"),
               ("xsrv:sourceSpan", self.span(at["count-townships"])))
        for key, name, _ in CATEGORIES:
            n = len(self.members[key])
            self._count(f"townships-{key}", f"{name}乡镇（街道）：{n}个",
                        f"{CATEGORY_EN[key].capitalize()} townships: {n}", n, True,
                        "xsrv:TownshipLevelDivision", key, None, "s2-1")
        n_pilot, n_ew, n_county, n_led, n_applied = (
            self.n_pilot_villages, self.n_east_west, self.n_county_villages, self.n_led,
            self.n_applied)
        village = "xsrv:VillageLevelDivision"
        self._count("villages-pilot", f"先行示范类村：{n_pilot}个",
                    f"Pilot-demonstration villages: {n_pilot}", n_pilot, False, village,
                    "pilot", None, "s2-2", parts=["villages-pilot-municipal",
                                                 "villages-pilot-east-west",
                                                 "villages-pilot-county"])
        self._count("villages-pilot-municipal", "市级示范村：1个",
                    "Municipal demonstration villages: 1", 1, True, village, "pilot",
                    "municipal", "s2-2")
        self._count("villages-pilot-east-west", f"东西部协作示范村：{n_ew}个",
                    f"East-west cooperation demonstration villages: {n_ew}", n_ew, True,
                    village, "pilot", "east-west", "s2-2")
        self._count("villages-pilot-county", f"县级示范村：{n_county}个",
                    f"County demonstration villages: {n_county}", n_county, False, village,
                    "pilot", "county", "s2-2",
                    parts=["villages-pilot-county-led", "villages-pilot-township-applied"])
        self._count("villages-pilot-county-led", f"县级主导示范村：{n_led}个",
                    f"County-led demonstration villages: {n_led}", n_led, True, village,
                    "pilot", "county-led", "s2-2")
        self._count("villages-pilot-township-applied",
                    f"乡镇（街道）申报创建示范村：{n_applied}个（未列名）",
                    f"Township-applied demonstration villages: {n_applied} (not named)",
                    n_applied, False, village, "pilot", "township-applied", "s2-2",
                    extra=[("xsrv:hasActivity", "c:activity-demo-village-selection")])
        n_key = self.n_key_villages
        if "count-mismatch" in e:
            self.inject("count-mismatch", "count-villages-key-assistance",
                        f"{n_key} key-assistance villages declared (complete), "
                        f"{len(self.key_villages)} named",
                        [expect(self.iri("count-villages-key-assistance"),
                                 "AssignmentCountShape", "SPARQLConstraintComponent")])
        self._count("villages-key-assistance", f"重点帮扶类村：{n_key}个",
                    f"Key-assistance villages: {n_key}", n_key, True, village,
                    "key-assistance", None, "s2-2")
        self._count("villages-active", f"积极推进类行政村：{self.n_rest}个（未列名）",
                    f"Active-advancement administrative villages: {self.n_rest} (not named)",
                    self.n_rest, False, village, "active", None, "s2-2",
                    extra=[("xsrv:countedKind", "xsrv:kind-administrative-village")])
        p.node("c:activity-demo-village-selection", ("a", "xsrv:RecurringActivity"),
               ("rdfs:label", [zh("乡镇申报县级示范村评审"),
                               en("Selection of township-applied county demonstration villages")]),
               ("xsrv:responsibleBody", "c:rural-work-office"), ("xsrv:frequency", "freq:annual"),
               ("xsrv:frequencyAsStated", zh("一年一创")), ("xsrv:qualifier", zh("原则上")),
               *STATED, ("xsrv:statedIn", "c:s2-2"),
               ("xsrv:sourceSpan", self.span(at["selection"])))

    def _plan_assignments(self) -> None:
        """One assignment per township and per named village (fewer or more if an error
        says so)."""
        p, e = self.plan, self.errors
        p.heading("Township assignments")
        unclassified = self.active[-1] if "unclassified" in e else None
        second = self.active[0] if "two-categories" in e else None
        broken_span = self.key_county[0] if "span-mismatch" in e else None
        for t in self.townships:
            if t is unclassified:
                self.inject("unclassified", t.local, f"{t.name} has no category assignment",
                            [expect(self.iri(t.local), "EveryTownshipClassifiedShape",
                                     "SPARQLConstraintComponent"),
                             expect(self.iri("count-townships-active"), "AssignmentCountShape",
                                     "SPARQLConstraintComponent")])
                continue
            cat = next(k for k, ms in self.members.items() if t in ms)
            tier = "municipal" if t is self.key_municipal else \
                "county" if cat == "key-assistance" else None
            shift = 0
            if t is broken_span:
                shift = 1
                self.inject("span-mismatch", "text",
                            f"the span of {t.name}'s assignment is one character off",
                            [expect(self.iri("text"), "SpanMatchesTextShape",
                                     "SPARQLConstraintComponent")])
            self._assignment(f"assign-{t.local}", t.local, cat, tier, "s2-1", shift)
            if t is second:
                self.inject("two-categories", t.local,
                            f"{t.name} is assigned to 积极推进类 and to 先行示范类",
                            [expect(self.iri(t.local), "OneCategoryPerDocumentShape",
                                     "SPARQLConstraintComponent"),
                             expect(self.iri("count-townships-pilot"), "AssignmentCountShape",
                                     "SPARQLConstraintComponent")])
                self._assignment(f"assign-{t.local}-second", t.local, "pilot", None, "s2-1")
        p.heading("Village assignments")
        for v, cat, tier in ([(self.village_municipal, "pilot", "municipal")]
                             + [(v, "pilot", "east-west") for v in self.village_east_west]
                             + [(v, "pilot", "county-led") for v in self.village_led]
                             + [(v, "key-assistance", None) for v in self.key_villages]):
            self._assignment(f"assign-{v.local}", v.local, cat, tier, "s2-2")


    def _count(self, local: str, label_zh: str, label_en: str, value: int, complete: bool,
               level: str, category: str, tier: str | None, section: str,
               parts: list[str] | None = None,
               extra: list[tuple[str, object]] | None = None) -> None:
        spans = [self.at[k] for k in (f"count-{local}", f"count-{local}-2") if k in self.at]
        self.plan.node(f"c:count-{local}", ("a", "xsrv:AssignmentCount"),
                       ("rdfs:label", [zh(label_zh), en(label_en)]),
                       ("xsrv:declaredValue", str(value)),
                       ("xsrv:enumerationComplete", "true" if complete else "false"),
                       ("xsrv:countedLevel", level), ("xsrv:countedCategory", f"c:cat-{category}"),
                       ("xsrv:countedTier", f"c:tier-{tier}" if tier else []),
                       ("xsrv:partitionedInto", [f"c:count-{x}" for x in parts or []]),
                       *(extra or []), *STATED, ("xsrv:statedIn", f"c:{section}"),
                       ("xsrv:sourceSpan", [self.span(s) for s in spans]))

    def _assignment(self, local: str, unit: str, category: str, tier: str | None,
                    section: str, shift: int = 0) -> None:
        """The span is the unit's name where its category's list names it."""
        self.plan.node(f"c:{local}", ("a", "xsrv:CategoryAssignment"),
                       ("xsrv:assignedUnit", f"c:{unit}"),
                       ("xsrv:assignedCategory", f"c:cat-{category}"),
                       ("xsrv:assignedTier", f"c:tier-{tier}" if tier else []),
                       *STATED, ("xsrv:statedIn", f"c:{section}"),
                       ("xsrv:sourceSpan", self.span(self.at[unit], shift)))

