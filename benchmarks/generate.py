"""Synthetic national-scale data: many county plans shaped like the Xiushan plan.

    python benchmarks/generate.py --counties N [--seed S] [--errors K] --out DIR
    python benchmarks/generate.py --triples T  [--seed S] [--errors K] --out DIR

Why: the one real county plan is a few thousand triples; loading, querying and validating at
national scale (China has about 2 800 county-level units) needs data of the same shape, many
times over, reproducible from a seed, and, for testing the validator, with known errors.

**How it mirrors the real data** (``data/documents/xiushan-plan/``). Every county gets what
the Xiushan plan has, with the same classes and properties, so the shipped shapes apply:

- a ``source.txt`` written like the real text (title, 一、总体要求, 二、细化分类 with the
  township and village lists, 三、重点举措 with the fund sentences, 四、保障措施), and every
  fact cites ``xsrv:sourceSpan [ oa:hasSource …text ; oa:start ; oa:end ; oa:exact ]`` with
  offsets in Unicode code points counted while the text is written, so each quote matches;
- the document (``xsrv:PolicyDocument``, ELI title, sections ``eli:is_part_of``, status
  trial, ``dcterms:spatial`` the county, ``eli:based_on`` its municipality's plan), the
  bodies (县财政, 县委农办; 市财政 of the municipality), principles, an editorial note and an
  interpretation;
- the hierarchy: a municipality (``xsrv:ProvinceLevelDivision``, 40 counties each) > the
  county > 27 townships (镇/乡/街道) > 8–12 villages each (村/社区/居委会), with codes;
- the three categories 先行示范类 / 重点帮扶类 / 积极推进类 and five tiers as SKOS schemes of
  the document, one ``xsrv:CategoryAssignment`` per township and per named village, and the
  declared counts (concepts, townships with their partition, villages with theirs). The
  split varies (1–3 pilot, 4–7 key-assistance of which one municipal, the rest active; the
  real one is 2 + 6 + 19) and every count the text enumerates equals its members;
- the fund rules of 三（四） (payer, amount in yuan as ``xsd:decimal``, payment basis,
  ``time:hasDuration``, recipients by category, tier and level), the 5-year transition
  period, the land quota, goals with targets, measures, safeguards and recurring activities.

Like the real plan, four village counts are stated but not fully enumerated (pilot villages,
county demonstration villages, township-applied villages, the remaining administrative
villages): each county adds the same four ``sh:Info`` results the real plan adds
(``xsh:IncompleteAssignmentCountShape``). There are no violations and no warnings.

**What is synthetic**: everything. IRIs live under ``<base>id/synthetic/``
(``…/county-0001/t05``, ``…/municipality-01/division``); names are 合成市01, 合成县0001,
合成镇0001-05, 合成村0001-05-03 (English "Synthetic …"); statistical codes begin with 9, which
no real province code does (county ``9MMCCC``, township county + 3 digits); amounts, years
and splits are drawn from the seed. Each text says right after its title that it is made up.

**Layout** (each folder becomes its own named graph when DIR is given as a data path)::

    DIR/documents/synthetic-county-NNNN/{plan.ttl, divisions.ttl, source.txt}
        -> <base>graph/documents/synthetic-county-NNNN
    DIR/reference/synthetic-municipalities/municipalities.ttl
        -> <base>graph/reference/synthetic-municipalities
    DIR/errors.json   (the manifest of injected errors; not RDF, not loaded)

Give DIR as a whole (``xsrv-kg validate DIR``): a county folder alone lacks the municipal
plan its ``eli:based_on`` points at.

**Errors** (``--errors K``): K known violations of twelve kinds (see :data:`ERROR_KINDS`),
spread over the counties, each listed in ``errors.json`` with the results pySHACL reports for
it (focus node, named source shape, constraint component, path). Some kinds yield two
results; the manifest lists both.

``errors.json`` (written on every run; ``"errors": []`` without ``--errors``)::

    {"generator": "benchmarks/generate.py", "seed": 1, "counties": 2, "townships": 27,
     "villages": 10, "note": "…",
     "errors": [{"id": 1, "kind": "count-mismatch", "county": "synthetic-county-0001",
                 "focus": "<IRI of the node the error was put on>", "description": "…",
                 "expected": [{"severity": "Violation", "focus": "<sh:focusNode IRI>",
                               "shape": "https://w3id.org/xsrv-kg/shapes#AssignmentCountShape",
                               "component": "http://www.w3.org/ns/shacl#SPARQLConstraintComponent",
                               "path": null}]}, …]}

``shape`` is the named shape a result belongs to (the node shape of a property shape or
SPARQL constraint, as the validation report names it); ``path`` the ``sh:resultPath`` IRI
or null. The violations of a validation, as a multiset of (focus, shape, component, path),
equal the union of the ``expected`` lists. Two results come from ``two-categories`` (the
township: ``OneCategoryPerDocumentShape``; the pilot count: ``AssignmentCountShape``),
``unclassified`` (the township: ``EveryTownshipClassifiedShape``; the active count:
``AssignmentCountShape``) and ``partition-mismatch`` (the township count:
``DivisionCountShape`` and ``PartitionSumShape``); the focus of ``span-mismatch`` is the
county's source text (``SpanMatchesTextShape`` checks spans per text).

**Triples** are counted while the Turtle is written (each predicate-object pair, each span's
four), plus one ``cnt:chars`` per source text that the loader adds, plus the ontology and
shapes; that is the number of quads ``xsrv-kg validate DIR`` loads. Output is byte-identical
for the same arguments. Writing 10^6 triples (332 counties) takes a few seconds; validating
them with pySHACL does not scale the same way (about 2-3 CPU seconds per default county), so
validate a few counties, and load or query the many.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from xsrv_kg import loader, vocab  # noqa: E402
from xsrv_kg.config import Config  # noqa: E402
from xsrv_kg.store import open_store  # noqa: E402

SYNTHETIC = vocab.ID + "synthetic/"
SH = "http://www.w3.org/ns/shacl#"
XSH = vocab.SHAPES
XSRV = vocab.XSRV
COUNTIES_PER_MUNICIPALITY = 40
MAX_MUNICIPALITIES = 99
MAX_COUNTIES = COUNTIES_PER_MUNICIPALITY * MAX_MUNICIPALITIES
MIN_TOWNSHIPS = 9
#: Up to 7 key-assistance and 10 pilot villages are named; two more stay unnamed.
MIN_VILLAGES = 19
#: Municipality and county files are written with these prefixes (the real files' set).
PREFIXES = {
    "xsrv": XSRV,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "freq": "http://purl.org/cld/freq/",
}

#: The kinds of injected error, in the order they are handed out.
ERROR_KINDS = (
    "count-mismatch",      # a complete village count declares one more than its members
    "two-categories",      # a township assigned to a second category
    "unclassified",        # a township with no assignment
    "span-mismatch",       # a span's offsets one character off its quote
    "missing-kind",        # a village without xsrv:divisionKind
    "wrong-datatype",      # a goal's target year as xsd:string, not xsd:gYear
    "no-payer",            # a fund rule without xsrv:payer
    "partition-mismatch",  # the township total disagrees with the townships and its parts
    "no-duration",         # a yearly fund rule without time:hasDuration
    "zero-amount",         # a fund rule of 0 yuan
    "two-townships",       # a village contained in two townships
    "concept-count",       # "分为四类" with three categories in the scheme
)


# --------------------------------------------------------------------------------------
# Writing Turtle and text, counting as we go
# --------------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def zh(text: str) -> str:
    return f'"{_esc(text)}"@zh'


def en(text: str) -> str:
    return f'"{_esc(text)}"@en'


def plain(text: str) -> str:
    return f'"{_esc(text)}"'


def dec(value: int) -> str:
    return f'"{value}"^^xsd:decimal'


@dataclass(frozen=True)
class Blank:
    """An anonymous node written inline, with the number of triples inside it."""

    text: str
    triples: int


@dataclass(frozen=True)
class Span:
    """A stretch of a source text: code-point offsets and the characters between them."""

    start: int
    end: int
    exact: str


def duration(years: int) -> Blank:
    return Blank(f"[ a time:Duration ; time:numericDuration {years} ; "
                 "time:unitType time:unitYear ]", 3)


class Turtle:
    """A Turtle document built from subject blocks; counts the triples it writes."""

    def __init__(self, comment: str, extra_prefixes: dict[str, str]) -> None:
        lines = [f"# {line}".rstrip() for line in comment.splitlines()]
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in {**PREFIXES, **extra_prefixes}.items()]
        self.parts: list[str] = ["\n".join(lines) + "\n\n"]
        self.triples = 0

    def node(self, subject: str, *pairs: tuple[str, object]) -> None:
        """``subject p1 o1 ; p2 o2a , o2b .``; an object may be a list or a :class:`Blank`."""
        rendered = []
        for predicate, obj in pairs:
            objects = obj if isinstance(obj, list) else [obj]
            if not objects:
                continue
            texts = []
            for item in objects:
                if isinstance(item, Blank):
                    texts.append(item.text)
                    self.triples += 1 + item.triples
                else:
                    texts.append(str(item))
                    self.triples += 1
            rendered.append(f"{predicate} {' , '.join(texts)}")
        self.parts.append(f"{subject} " + " ;\n    ".join(rendered) + " .\n")

    def heading(self, title: str) -> None:
        self.parts.append(f"\n# {title}\n")

    def text(self) -> str:
        return "".join(self.parts)


class SourceText:
    """The text being written; every piece added returns its span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, piece: str) -> Span:
        start = self.pos
        self.parts.append(piece)
        self.pos += len(piece)  # str length is in code points, as oa:start/oa:end are
        return Span(start, self.pos, piece)

    def mark(self) -> tuple[int, int]:
        return self.pos, len(self.parts)

    def since(self, mark: tuple[int, int]) -> Span:
        return Span(mark[0], self.pos, "".join(self.parts[mark[1]:]))

    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------------------
# The synthetic hierarchy
# --------------------------------------------------------------------------------------

TOWNSHIP_KINDS = {  # key: (name suffix, English, kind concept, code block)
    "subdistrict": ("街道", "Subdistrict", "xsrv:kind-subdistrict", 0),
    "town": ("镇", "Town", "xsrv:kind-town", 100),
    "township": ("乡", "Township", "xsrv:kind-township", 200),
}
VILLAGE_KINDS = {
    "village": ("村", "Village", "xsrv:kind-administrative-village"),
    "community": ("社区", "Community", "xsrv:kind-community"),
    "committee": ("居委会", "Residents' Committee", "xsrv:kind-residents-committee"),
}


@dataclass(eq=False)
class Village:
    """A 村, 社区 or 居委会: ``local`` is its IRI's last part (``t05-v03``)."""

    local: str
    kind: str
    name: str
    township: Township = field(repr=False)  # the parent; not in repr, which would loop


@dataclass(eq=False)
class Township:
    """A 镇, 乡 or 街道 of the county with its villages (compared by identity)."""

    number: int
    local: str
    kind: str
    name: str
    code: str
    villages: list[Village] = field(default_factory=list)


@dataclass
class Options:
    """What every county shares: the seed, and the size of a county."""

    seed: int = 1
    townships: int = 27
    villages: int = 10  # mean per township; each has villages-2 … villages+2


@dataclass
class CountyOutput:
    """One county's files (name -> text) and what they hold."""

    files: dict[str, str]
    triples: int
    townships: int
    villages: int
    injected: list[dict[str, object]]


def municipality_of(index: int) -> int:
    return (index - 1) // COUNTIES_PER_MUNICIPALITY + 1


def county_code(index: int) -> str:
    within = (index - 1) % COUNTIES_PER_MUNICIPALITY + 1
    return f"9{municipality_of(index):02d}{within:03d}"


def _hierarchy(rng: random.Random, num: str, code: str, opts: Options) -> list[Township]:
    """27 townships (街道 first, as in the code tables, then 镇 and 乡) and their villages."""
    subdistricts = min(rng.randint(1, 4), opts.townships)
    kinds = ["subdistrict"] * subdistricts
    kinds += ["town" if rng.random() < 0.7 else "township"
              for _ in range(opts.townships - subdistricts)]
    kinds.sort(key=list(TOWNSHIP_KINDS).index)
    next_code = {k: v[3] + 1 for k, v in TOWNSHIP_KINDS.items()}
    townships = []
    for n, kind in enumerate(kinds, start=1):
        suffix = TOWNSHIP_KINDS[kind][0]
        t = Township(n, f"t{n:02d}", kind, f"合成{suffix}{num}-{n:02d}",
                     f"{code}{next_code[kind]:03d}")
        next_code[kind] += 1
        low, high = max(1, opts.villages - 2), max(1, opts.villages + 2)
        for v in range(1, rng.randint(low, high) + 1):
            roll = rng.random()
            if kind == "subdistrict":
                vkind = "community" if roll < 0.5 else "committee" if roll < 0.6 else "village"
            else:
                vkind = "community" if roll < 0.1 else "committee" if roll < 0.15 else "village"
            t.villages.append(Village(f"{t.local}-v{v:02d}", vkind,
                                      f"合成{VILLAGE_KINDS[vkind][0]}{num}-{n:02d}-{v:02d}", t))
        townships.append(t)
    return townships


def _en_township(t: Township, num: str) -> str:
    return f"Synthetic {TOWNSHIP_KINDS[t.kind][1]} {num}-{t.number:02d}"


def _en_village(v: Village, num: str) -> str:
    n = v.local.split("-v")[1]
    return f"Synthetic {VILLAGE_KINDS[v.kind][1]} {num}-{v.township.number:02d}-{n}"


# --------------------------------------------------------------------------------------
# One county
# --------------------------------------------------------------------------------------

GOAL_TARGETS = {
    "overall": ["建立健全农村低收入人口长效帮扶机制", "脱贫攻坚成果巩固拓展",
                "不发生规模性返贫致贫", "全县农村居民人均可支配收入增速高于全市平均水平"],
    "pilot": ["实现乡村产业全面升级", "乡村治理体系健全", "乡村环境生态宜居", "乡风文明大幅提升",
              "打造成为全市推进乡村振兴示范样板", "农村居民人均可支配收入增速高于全市平均水平"],
    "key-assistance": ["特色产业发展全面提质增效", "村庄环境得到明显改善", "脱贫攻坚成果巩固拓展",
                       "不发生规模性返贫致贫", "农村居民人均可支配收入增速高于全县平均水平"],
    "active": ["乡村振兴取得重大突破", "农业质量效益和竞争力显著增强", "乡村建设行动取得重大进展",
               "农村居民人均可支配收入增速高于全市平均水平", "基本实现农业强、农村美、农民富"],
}
MEASURES = {
    "pilot": ["进一步做大特色产业基地规模，强化农产品精深加工，不断增加产业附加值。",
              "加快提升农业现代化水平，打造一批现代农业示范地或产业园，持续推进农旅融合发展。",
              "加大改革创新政策支持力度，鼓励在深化农业农村改革上先行先试，重点壮大村集体经济。"],
    "key-assistance": ["用足用好帮扶政策，财政转移支付向重点帮扶类乡镇倾斜。",
                       "加大特色产业发展支持力度，推进产业扶贫向产业振兴提升。",
                       "进一步完善农业基础设施建设，为农业宜机化提供有效保障。"],
    "active": ["统筹规划乡镇（街道）产业发展，加快构建现代农业产业体系、生产体系、经营体系。",
               "推进乡镇（街道）域内城乡融合发展，加快农业农村现代化步伐。"],
}
CATEGORIES = (("pilot", "先行示范类", "pilot demonstration"),
              ("key-assistance", "重点帮扶类", "key assistance"),
              ("active", "积极推进类", "active advancement"))
CATEGORY_ZH = {key: name for key, name, _ in CATEGORIES}
CATEGORY_EN = {"pilot": "pilot-demonstration", "key-assistance": "key-assistance",
               "active": "active-advancement"}
SECTIONS = (  # local, parent, number, title, English label
    ("s1", None, "一", "总体要求", "1. General requirements"),
    ("s2", None, "二", "细化分类", "2. Detailed classification"),
    ("s2-1", "s2", "（一）", "乡镇（街道）分类", "2.1 Classification of townships"),
    ("s2-2", "s2", "（二）", "村分类", "2.2 Classification of villages"),
    ("s3", None, "三", "重点举措", "3. Key measures"),
    ("s3-1", "s3", "（一）", "先行示范类乡镇", "3.1 Pilot-demonstration townships"),
    ("s3-2", "s3", "（二）", "重点帮扶类乡镇", "3.2 Key-assistance townships"),
    ("s3-3", "s3", "（三）", "积极推进类乡镇", "3.3 Active-advancement townships"),
    ("s3-4", "s3", "（四）", "乡村振兴示范镇村和重点帮扶镇村",
     "3.4 Demonstration and key-assistance towns and villages"),
    ("s4", None, "四", "保障措施", "4. Safeguards"),
    ("s4-1", "s4", "（一）", "加强组织领导", "4.1 Strengthen organisation and leadership"),
    ("s4-2", "s4", "（二）", "广泛动员各方力量参与", "4.2 Mobilise all parties widely"),
    ("s4-3", "s4", "（三）", "注重典型引路、示范带动", "4.3 Lead by examples and demonstration"),
    ("s4-4", "s4", "（四）", "强化工作调度", "4.4 Strengthen work dispatching"),
    ("s4-5", "s4", "（五）", "强化考核评估", "4.5 Strengthen assessment and evaluation"),
)
MEASURE_SECTIONS = (("pilot", "s3-1"), ("key-assistance", "s3-2"), ("active", "s3-3"))
SAFEGUARD_TEXTS = {
    "s4-1": "落实党政一把手是第一责任人的工作要求。"
            "乡镇（街道）党委书记要当好乡村振兴“一线总指挥”。",
    "s4-2": "加强组织动员，构建政府、市场、社会协同推进的乡村振兴参与机制。"
            "持续深化农村金融改革，把更多金融资源配置到农业农村发展的重点领域。",
    "s4-3": "乡村振兴示范镇村要敢为人先、努力创新，加快形成一批可复制、可推广的典型经验。",
    "s4-4": "",
    "s4-5": "",
}
#: Safeguard section -> (activity, the clause that states it, the rest of the paragraph).
ACTIVITIES = {
    "s4-3": ("exchange", "建立乡村振兴工作学习交流平台，定期开展交流活动",
             "，总结推广分类推进乡村振兴的典型案例。"),
    "s4-4": ("dispatch-meeting",
             "县委农办要加强分类全面推进乡村振兴的工作调度，原则上每季度召开一次调度会，"
             "召集县级相关部门为重点帮扶、先行示范的镇村解决工作中存在的问题", "。"),
    "s4-5": ("assessment", "对各乡镇（街道）每年开展一次乡村振兴考核评估",
             "，根据考核评估结果进行动态调整。"),
}
TIERS = (  # local, zh, en, broader
    ("municipal", "市级", "municipal level", None),
    ("county", "县级", "county level", None),
    ("east-west", "东西部协作", "east-west cooperation", None),
    ("county-led", "县级主导", "county-led", "county"),
    ("township-applied", "乡镇申报创建", "township-applied", "county"),
)
#: Amounts in 万元 a county draws from.
AMOUNTS = {"municipal-demo-village": (300, 400, 500, 600), "county-demo-town": (300, 500, 800),
           "township-applied": (100, 150, 200, 300), "municipal-key": (500, 800, 1000, 1200),
           "county-key": (100, 150, 200, 300)}
TRANSITION_YEARS = 5
FUND_RULES = (  # local, recipients as stated, level, category, tier, payer, basis, period, kind
    ("municipal-demo-village", "市级乡村振兴示范村", "xsrv:VillageLevelDivision", "pilot",
     "municipal", "m:finance", "xsrv:basis-per-year", "demo", None),
    ("county-demo-town", "县级乡村振兴示范镇", "xsrv:TownshipLevelDivision", "pilot", None,
     "c:finance", "xsrv:basis-per-recipient-per-year", "demo", "专项资金"),
    ("township-applied", "乡镇（街道）申报被评为县级乡村振兴示范村的",
     "xsrv:VillageLevelDivision", "pilot", "township-applied", "c:finance",
     "xsrv:basis-per-recipient-once", None, "奖补资金"),
    ("municipal-key", "市级乡村振兴重点帮扶乡镇", "xsrv:TownshipLevelDivision", "key-assistance",
     "municipal", "m:finance", "xsrv:basis-per-year", "transition", "补助"),
    ("county-key", "县级重点帮扶乡镇", "xsrv:TownshipLevelDivision", "key-assistance", "county",
     "c:finance", "xsrv:basis-per-recipient-per-year", "transition", "补助"),
)
STATED = (("xsrv:statedBy", "c:plan"),)
PRINCIPLES = (("统筹谋划", "overall planning"), ("因地制宜", "suit measures to local conditions"),
              ("分类施策", "policies by category"),
              ("点面结合", "combine key points with the whole area"))
CHINESE_NUMBERS = "零一二三四五六七八九十"


def _expect(focus: str, shape: str, component: str, path: str | None = None) -> dict[str, object]:
    return {"severity": "Violation", "focus": focus, "shape": XSH + shape,
            "component": SH + component, "path": path}


class County:
    """Writes one county's text, divisions and plan; records the errors it injects."""

    def __init__(self, index: int, opts: Options, errors: Sequence[str] = ()) -> None:
        self.index = index
        self.opts = opts
        self.errors = set(errors)
        self.rng = random.Random(f"xsrv-kg synthetic:{opts.seed}:{index}")
        self.num = f"{index:04d}"
        self.slug = f"synthetic-county-{self.num}"
        self.ns = f"{SYNTHETIC}county-{self.num}/"
        self.mun = municipality_of(index)
        self.mns = f"{SYNTHETIC}municipality-{self.mun:02d}/"
        self.name = f"合成县{self.num}"
        self.mname = f"合成市{self.mun:02d}"
        self.code = county_code(index)
        self.injected: list[dict[str, object]] = []
        self.src = SourceText()
        #: Spans of the text by name: sections, list entries (by unit), rules, counts, …
        self.at: dict[str, Span] = {}
        self.goals: dict[str, tuple[Span, list[Span]]] = {}
        self.measures: dict[str, list[Span]] = {}
        comment = (f"SYNTHETIC DATA generated by benchmarks/generate.py (seed {opts.seed}): "
                   f"{self.name} and everything in it are made up.")
        extra = {"c": self.ns, "m": self.mns}
        self.plan = Turtle(comment + "\nThe plan, its classification, funding, goals and "
                           "safeguards; spans point into source.txt.", extra)
        self.divs = Turtle(comment + "\nThe county, its townships and villages.", extra)

    # -- helpers ------------------------------------------------------------------------

    def iri(self, local: str) -> str:
        return self.ns + local

    def span(self, s: Span, shift: int = 0) -> Blank:
        return Blank(f"[ oa:hasSource c:text ; oa:start {s.start + shift} ; "
                     f"oa:end {s.end + shift} ; oa:exact {plain(s.exact)} ]", 4)

    def inject(self, kind: str, focus_local: str, description: str,
               expected: list[dict[str, object]]) -> None:
        self.injected.append({"kind": kind, "county": self.slug,
                              "focus": self.iri(focus_local), "description": description,
                              "expected": expected})

    # -- the whole county ---------------------------------------------------------------

    def build(self) -> CountyOutput:
        self.townships = _hierarchy(self.rng, self.num, self.code, self.opts)
        self._choose()
        self._write_text()
        self._plan_document()
        self._plan_classification()
        self._plan_assignments()
        self._plan_funding()
        self._plan_goals_and_safeguards()
        self._divisions()
        files = {"plan.ttl": self.plan.text(), "divisions.ttl": self.divs.text(),
                 "source.txt": self.src.text()}
        villages = sum(len(t.villages) for t in self.townships)
        # + 1: the loader adds the text itself as cnt:chars.
        return CountyOutput(files, self.plan.triples + self.divs.triples + 1,
                            len(self.townships), villages, self.injected)

    def _choose(self) -> None:
        """Categories of townships and the named villages, drawn from the seed."""
        rng, ts = self.rng, self.townships
        n_pilot = rng.randint(1, 3)
        # At least two active townships: two kinds of error pick the first and the last.
        n_key = min(rng.randint(4, 7), len(ts) - n_pilot - 2)
        order = ts[:]
        rng.shuffle(order)
        self.pilot = sorted(order[:n_pilot], key=lambda t: t.number)
        key = order[n_pilot:n_pilot + n_key]
        self.key_municipal = key[0]
        self.key_county = sorted(key[1:], key=lambda t: t.number)
        self.key = sorted(key, key=lambda t: t.number)
        self.active = sorted(order[n_pilot + n_key:], key=lambda t: t.number)
        self.members = {"pilot": self.pilot, "key-assistance": self.key, "active": self.active}
        # Villages: one key-assistance village in each of some key townships; pilot villages
        # anywhere else (municipal 1, east-west 1-3, county-led 3-6), none chosen twice.
        n_key_villages = rng.randint(3, len(key))
        self.key_villages = sorted(
            (rng.choice(t.villages) for t in rng.sample(key, n_key_villages)),
            key=lambda v: v.local)
        taken = {v.local for v in self.key_villages}
        pool = [v for t in ts for v in t.villages if v.local not in taken]
        n_east_west, n_led = rng.randint(1, 3), rng.randint(3, 6)
        picked = rng.sample(pool, 1 + n_east_west + n_led)
        self.village_municipal = picked[0]
        self.village_east_west = sorted(picked[1:1 + n_east_west], key=lambda v: v.local)
        self.village_led = sorted(picked[1 + n_east_west:], key=lambda v: v.local)
        self.n_applied = rng.randint(3, 6)
        named = {v.local for v in picked} | taken
        self.unnamed = [v for t in ts for v in t.villages if v.local not in named]
        admin_named = sum(v.kind == "village" for t in ts for v in t.villages
                          if v.local in named)
        admin = sum(v.kind == "village" for t in ts for v in t.villages)
        self.n_rest = max(0, admin - admin_named - self.n_applied)

    # -- divisions.ttl ------------------------------------------------------------------

    def _divisions(self) -> None:
        d, num = self.divs, self.num
        d.node("c:county", ("a", "xsrv:CountyLevelDivision"),
               ("rdfs:label", [zh(self.name), en(f"Synthetic County {num}")]),
               ("xsrv:divisionKind", "xsrv:kind-county"),
               ("schema:containedInPlace", "m:division"),
               ("xsrv:divisionCode", plain(self.code)))
        missing_kind = self.unnamed[0] if "missing-kind" in self.errors else None
        two_townships = self.unnamed[-1] if "two-townships" in self.errors else None
        for t in self.townships:
            d.heading(t.name)
            d.node(f"c:{t.local}", ("a", "xsrv:TownshipLevelDivision"),
                   ("rdfs:label", [zh(t.name), en(_en_township(t, num))]),
                   ("xsrv:divisionKind", TOWNSHIP_KINDS[t.kind][2]),
                   ("schema:containedInPlace", "c:county"),
                   ("xsrv:divisionCode", plain(t.code)))
            for v in t.villages:
                places = [f"c:{t.local}"]
                if v is two_townships:
                    other = self.townships[t.number % len(self.townships)]
                    places.append(f"c:{other.local}")
                    self.inject("two-townships", v.local,
                                f"{v.name} is contained in {t.name} and {other.name}",
                                [_expect(self.iri(v.local), "VillageShape",
                                         "MaxCountConstraintComponent",
                                         "https://schema.org/containedInPlace")])
                kind = [] if v is missing_kind else [VILLAGE_KINDS[v.kind][2]]
                if v is missing_kind:
                    self.inject("missing-kind", v.local, f"{v.name} has no xsrv:divisionKind",
                                [_expect(self.iri(v.local), "DivisionShape",
                                         "MinCountConstraintComponent", XSRV + "divisionKind")])
                d.node(f"c:{v.local}", ("a", "xsrv:VillageLevelDivision"),
                       ("rdfs:label", [zh(v.name), en(_en_village(v, num))]),
                       ("xsrv:divisionKind", kind),
                       ("schema:containedInPlace", places))

    # -- source.txt and plan.ttl, written together so spans are counted as text grows ----

    # -- source.txt: written first, every piece a fact cites kept in self.at --------------

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

    # -- plan.ttl -----------------------------------------------------------------------

    def _plan_document(self) -> None:
        """The document, its text, the synthetic notice, bodies, sections, principles."""
        p, at = self.plan, self.at
        title = f"{self.name}分类全面推进乡村振兴实施方案（试行）"
        p.heading("The plan")
        p.node("c:plan", ("a", "xsrv:PolicyDocument"), ("eli:title", zh(title)),
               ("rdfs:label", [zh(title), en(f"Synthetic County {self.num} plan for "
                                             "comprehensively advancing rural revitalization "
                                             "by category (trial; synthetic)")]),
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
                   ("rdfs:label", [zh(_section_label(local, number, title_)), en(en_label)]),
                   ("xsrv:sourceSpan", self.span(at[local])))
        for i, (name, en_name) in enumerate(PRINCIPLES, start=1):
            p.node(f"c:principle-{i}", ("a", "xsrv:Principle"), ("skos:notation", plain(str(i))),
                   ("rdfs:label", [zh(name), en(en_name)]), *STATED, ("xsrv:statedIn", "c:s1"),
                   ("xsrv:sourceSpan", self.span(at[f"principle-{i}"])))

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
                        [_expect(self.iri("count-categories"), "ConceptCountShape",
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
                        [_expect(self.iri("count-townships"), "DivisionCountShape",
                                 "SPARQLConstraintComponent"),
                         _expect(self.iri("count-townships"), "PartitionSumShape",
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
                        [_expect(self.iri("count-villages-key-assistance"),
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
                            [_expect(self.iri(t.local), "EveryTownshipClassifiedShape",
                                     "SPARQLConstraintComponent"),
                             _expect(self.iri("count-townships-active"), "AssignmentCountShape",
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
                            [_expect(self.iri("text"), "SpanMatchesTextShape",
                                     "SPARQLConstraintComponent")])
            self._assignment(f"assign-{t.local}", t.local, cat, tier, "s2-1", shift)
            if t is second:
                self.inject("two-categories", t.local,
                            f"{t.name} is assigned to 积极推进类 and to 先行示范类",
                            [_expect(self.iri(t.local), "OneCategoryPerDocumentShape",
                                     "SPARQLConstraintComponent"),
                             _expect(self.iri("count-townships-pilot"), "AssignmentCountShape",
                                     "SPARQLConstraintComponent")])
                self._assignment(f"assign-{t.local}-second", t.local, "pilot", None, "s2-1")
        p.heading("Village assignments")
        for v, cat, tier in ([(self.village_municipal, "pilot", "municipal")]
                             + [(v, "pilot", "east-west") for v in self.village_east_west]
                             + [(v, "pilot", "county-led") for v in self.village_led]
                             + [(v, "key-assistance", None) for v in self.key_villages]):
            self._assignment(f"assign-{v.local}", v.local, cat, tier, "s2-2")

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
                            [_expect(self.iri(rule), "AllocationShape",
                                     "MinExclusiveConstraintComponent", XSRV + "amount")])
            payer_pairs = [("xsrv:payer", payer)]
            if local == "county-key" and "no-payer" in e:
                payer_pairs = []
                self.inject("no-payer", rule, "the fund rule has no xsrv:payer",
                            [_expect(self.iri(rule), "FundRuleShape",
                                     "MinCountConstraintComponent", XSRV + "payer")])
            years = {"demo": self.years_demo, "transition": TRANSITION_YEARS}.get(period or "")
            duration_pairs: list[tuple[str, object]] = []
            if years:
                duration_pairs = [("time:hasDuration", duration(years))]
                if local == "municipal-demo-village" and "no-duration" in e:
                    duration_pairs = []
                    self.inject("no-duration", rule, "a yearly fund rule has no time:hasDuration",
                                [_expect(self.iri(rule), "FundRuleShape",
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
                            [_expect(self.iri(goal), "GoalShape", "DatatypeConstraintComponent",
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

    # -- pieces of text and plan ----------------------------------------------------------

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


def _section_label(local: str, number: str, title: str) -> str:
    """``二（一）乡镇（街道）分类`` for a subsection, ``二、细化分类`` for a section."""
    if "-" not in local:
        return f"{number}、{title}"
    parent = next(s[2] for s in SECTIONS if s[0] == local.split("-")[0])
    return f"{parent}{number}{title}"


def municipalities_file(n_counties: int, seed: int) -> tuple[str, int]:
    """The municipalities the counties lie in, each with its plan and its finance body."""
    t = Turtle(f"SYNTHETIC DATA generated by benchmarks/generate.py (seed {seed}): the "
               "municipalities of the synthetic counties,\nthe plans the county plans are "
               "based on, and the municipal finance that pays some fund rules.", {})
    for m in range(1, municipality_of(n_counties) + 1):
        ns = f"<{SYNTHETIC}municipality-{m:02d}/"
        name = f"合成市{m:02d}"
        title = f"{name}分层分类全面推进乡村振兴实施方案（试行）"
        t.heading(name)
        t.node(ns + "division>", ("a", "xsrv:ProvinceLevelDivision"),
               ("rdfs:label", [zh(name), en(f"Synthetic Municipality {m:02d}")]),
               ("xsrv:divisionKind", "xsrv:kind-municipality"))
        t.node(ns + "plan>", ("a", "xsrv:PolicyDocument"), ("eli:title", zh(title)),
               ("rdfs:label", [zh(title), en(f"Synthetic Municipality {m:02d} plan (synthetic)")]),
               ("xsrv:documentStatus", "xsrv:status-trial"),
               ("dcterms:spatial", ns + "division>"))
        t.node(ns + "finance>", ("a", "org:Organization"),
               ("rdfs:label", [zh("市财政"), en(f"municipal public finance (Synthetic "
                                              f"Municipality {m:02d})")]))
    return t.text(), t.triples


# --------------------------------------------------------------------------------------
# The whole output
# --------------------------------------------------------------------------------------

def plan_errors(n_counties: int, k: int) -> list[tuple[int, str]]:
    """(county, kind) for each of ``k`` errors: spread evenly over the counties, kinds in
    turn, no kind twice in one county (so no two injections touch the same node)."""
    if k > n_counties * len(ERROR_KINDS):
        raise ValueError(f"at most {len(ERROR_KINDS)} errors per county "
                         f"({n_counties * len(ERROR_KINDS)} for {n_counties} counties)")
    used: dict[int, set[str]] = {}
    planned = []
    for j in range(k):
        county = (j * n_counties) // k + 1 if k <= n_counties else j % n_counties + 1
        taken = used.setdefault(county, set())
        kind = next(ERROR_KINDS[(j + i) % len(ERROR_KINDS)] for i in range(len(ERROR_KINDS))
                    if ERROR_KINDS[(j + i) % len(ERROR_KINDS)] not in taken)
        taken.add(kind)
        planned.append((county, kind))
    return planned


def base_triples(config: Config | None = None) -> int:
    """Quads of the project's ontology and shapes, as the loader loads them."""
    store = open_store("memory")
    loader.load_project(store, config or Config(), parts=("ontology", "shapes"))
    return len(store)


@dataclass
class Summary:
    """What a run wrote, for the one-line report."""

    counties: int
    townships: int
    villages: int
    triples: int
    data_triples: int
    base_triples: int
    errors: int
    seconds: float
    target: int | None = None

    def line(self) -> str:
        target = f" (target {self.target})" if self.target else ""
        return (f"counties={self.counties} townships={self.townships} villages={self.villages} "
                f"triples={self.triples}{target} [data {self.data_triples} + ontology/shapes "
                f"{self.base_triples}] errors={self.errors} seconds={self.seconds:.2f}")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _prepare(out: Path, force: bool) -> None:
    """An empty output folder; with ``force``, what an earlier run wrote is removed first."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use --force to replace generated data)")
        for old in sorted((out / "documents").glob("synthetic-county-*")):
            shutil.rmtree(old)
        shutil.rmtree(out / "reference" / "synthetic-municipalities", ignore_errors=True)
        (out / "errors.json").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def counties_for_triples(target: int, opts: Options, base: int) -> int:
    """The number of counties whose output comes nearest ``target`` quads in all."""
    per_municipality = municipalities_file(1, opts.seed)[1]
    total, n = base, 0
    while n < MAX_COUNTIES:
        extra = County(n + 1, opts).build().triples
        if n % COUNTIES_PER_MUNICIPALITY == 0:
            extra += per_municipality  # the county opens a new municipality
        if n and abs(total + extra - target) >= abs(total - target):
            break
        total += extra
        n += 1
    return max(n, 1)


def generate(out: Path, counties: int | None = None, *, triples: int | None = None,
             seed: int = 1, errors: int = 0, townships: int = 27, villages: int = 10,
             force: bool = False, config: Config | None = None) -> Summary:
    """Write the synthetic data to ``out`` and say what was written."""
    started = time.perf_counter()
    opts = Options(seed=seed, townships=townships, villages=villages)
    if townships < MIN_TOWNSHIPS:
        raise ValueError(f"--townships must be at least {MIN_TOWNSHIPS} (3 pilot, 4 "
                         "key-assistance, 2 active)")
    if villages < 1 or townships * max(1, villages - 2) < MIN_VILLAGES:
        raise ValueError(f"too few villages: a county names up to {MIN_VILLAGES - 2} and "
                         "two more must stay unnamed (raise --villages)")
    if errors < 0 or (triples is not None and triples < 1):
        raise ValueError("--errors must be 0 or more and --triples 1 or more")
    base = base_triples(config)
    if triples is not None:
        counties = counties_for_triples(triples, opts, base)
    if not counties or counties < 1 or counties > MAX_COUNTIES:
        raise ValueError(f"--counties must be 1 … {MAX_COUNTIES}")
    planned = plan_errors(counties, errors)
    by_county: dict[int, list[str]] = {}
    for county, kind in planned:
        by_county.setdefault(county, []).append(kind)
    _prepare(out, force)
    total_t = total_v = data = 0
    injected: dict[tuple[int, str], dict[str, object]] = {}
    for index in range(1, counties + 1):
        result = County(index, opts, by_county.get(index, ())).build()
        folder = out / "documents" / f"synthetic-county-{index:04d}"
        for name, text in result.files.items():
            _write(folder / name, text)
        total_t += result.townships
        total_v += result.villages
        data += result.triples
        for entry in result.injected:
            injected[(index, str(entry["kind"]))] = entry
    text, mun_triples = municipalities_file(counties, seed)
    _write(out / "reference" / "synthetic-municipalities" / "municipalities.ttl", text)
    data += mun_triples
    manifest = {
        "generator": "benchmarks/generate.py",
        "seed": seed, "counties": counties, "townships": townships, "villages": villages,
        "note": "Each entry lists the SHACL results (severity Violation) its injection yields; "
                "'shape' is the named shape (the node shape a property shape or SPARQL "
                "constraint belongs to), 'path' the sh:resultPath or null.",
        "errors": [{"id": j + 1, **injected[(county, kind)]}
                   for j, (county, kind) in enumerate(planned)],
    }
    _write(out / "errors.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return Summary(counties, total_t, total_v, data + base, data, base, errors,
                   time.perf_counter() - started, triples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--counties", type=int, help="number of county plans")
    size.add_argument("--triples", type=int,
                      help="about this many quads in all, ontology and shapes included")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=int, default=0, metavar="K",
                        help="inject K known violations (listed in DIR/errors.json)")
    parser.add_argument("--townships", type=int, default=27, help="townships per county")
    parser.add_argument("--villages", type=int, default=10,
                        help="mean villages per township (each has N-2 … N+2)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--force", action="store_true",
                        help="replace what an earlier run wrote in DIR")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.out, args.counties, triples=args.triples, seed=args.seed,
                           errors=args.errors, townships=args.townships,
                           villages=args.villages, force=args.force)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
