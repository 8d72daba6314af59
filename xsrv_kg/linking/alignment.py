"""Each county plan's categories aligned with the municipal plan's, by their shared names:
what ``xsrv-kg link --write`` generates into ``data/links/<plan>-chongqing/``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import vocab
from ..config import Config
from ..sparql import rq
from ..store import Store
from ..turtle import prefix_lines, prefixed, string
from .plan_links import GENERATED_MARK, MUNICIPAL_DOC, MUNICIPAL_SLUG, CountyPlan


@dataclass(frozen=True)
class Category:
    iri: str
    label: str
    scheme: str
    notation: str


@dataclass(frozen=True)
class Alignment:
    """A county plan's categories against the municipal plan's."""

    plan: CountyPlan
    #: (county category, municipal category of the same zh prefLabel), in the county's order
    pairs: tuple[tuple[Category, Category], ...]
    #: The county's categories with no (or no single) municipal namesake.
    unmatched: tuple[Category, ...]
    #: Why no file is generated for this plan (aligned by hand), else None.
    left_alone: str | None = None


def distinct_docs(plans: Sequence[CountyPlan]) -> list[CountyPlan]:
    seen, out = set(), []
    for plan in plans:
        if plan.doc not in seen:
            seen.add(plan.doc)
            out.append(plan)
    return out


def alignment_path(plan: CountyPlan) -> Path:
    """``data/links/<doc>-chongqing/links.ttl``."""
    return Path("data/links") / f"{plan.doc_slug}-{MUNICIPAL_SLUG}" / "links.ttl"


def alignment_base(plan: CountyPlan) -> str:
    return f"{vocab.ID}link/{plan.doc_slug}-{MUNICIPAL_SLUG}/"


def categories(store: Store) -> dict[str, list[Category]]:
    """document IRI -> its categories (see ``link-plan-categories.rq``), in scheme order."""
    out: dict[str, list[Category]] = {}
    for r in rq.rows(store, "link-plan-categories"):
        out.setdefault(r["doc"], []).append(
            Category(r["concept"], r["label"], r["scheme"], r.get("notation", "")))
    return {d: sorted(cs, key=lambda c: (c.notation, c.iri)) for d, cs in out.items()}


def compute_alignment(store: Store, plan: CountyPlan, config: Config | None = None) -> Alignment:
    """The county plan's categories aligned with the municipal plan's.

    The rule: every county plan of the family (not only one stated ``eli:based_on`` the
    municipal plan: that link rests on the texts, which a program cannot read, whereas a
    shared name it can check) gets, for each of its categories, ``skos:closeMatch`` to the
    municipal category with the same zh ``skos:prefLabel``, when exactly one category on each
    side has that name (otherwise nothing: no guessing). Categories are the concepts of a
    document's schemes used for ``xsrv:assignedCategory`` / ``xsrv:countedCategory``; tiers
    and levels are not aligned. When a graph other than the generated one already maps the
    plan's categories to the municipal plan's (Xiushan's, by hand), or the target file exists
    without the GENERATED line, the plan is left alone.
    """
    cats = categories(store)
    municipal = cats.get(MUNICIPAL_DOC, [])
    own = cats.get(plan.doc, [])
    by_label: dict[str, list[Category]] = {}
    for c in municipal:
        by_label.setdefault(c.label, []).append(c)
    own_labels = [c.label for c in own]
    pairs, unmatched = [], []
    for c in own:
        found = by_label.get(c.label, [])
        if len(found) == 1 and own_labels.count(c.label) == 1:
            pairs.append((c, found[0]))
        else:
            unmatched.append(c)
    left_alone = None
    if config is not None:
        target = config.graph_iri(alignment_path(plan).parent.relative_to("data").as_posix())
        by_hand = sorted({r["g"] for r in rq.rows(store, "link-category-mappings")
                          if r["doc"] == plan.doc and r["other"] == MUNICIPAL_DOC
                          and r["g"] != target})
        path = config.home / alignment_path(plan)
        if by_hand:
            left_alone = (f"categories of {plan.doc_slug} already mapped to the municipal plan's "
                          f"in {', '.join(by_hand)} (hand-written): left alone")
        elif path.exists() and not is_generated(path):
            left_alone = f"{path} is hand-written (no GENERATED line): left alone"
    return Alignment(plan, tuple(pairs), tuple(unmatched), left_alone)


def alignment_turtle(alignment: Alignment) -> str:
    """The alignment as Turtle, deterministic (in the county scheme's order)."""
    plan = alignment.plan
    ns = f"{vocab.PREFIXES['doc']}{plan.doc_slug}/"
    cp = f"{vocab.PREFIXES['doc']}chongqing-plan/"
    base = alignment_base(plan)

    curies = {"plan": ns, "cp": cp, "link": base}

    def c(iri: str) -> str:
        return prefixed(iri, curies)

    names = "、".join(a.label for a, _ in alignment.pairs)
    zh = (f"县方案的类别与市方案（doc:chongqing-plan）的类别中文名称相同（{names}），据此以 "
          "skos:closeMatch 对应（由 xsrv-kg link --write 按名称生成）。不用 exactMatch："
          "县方案分的是乡镇（街道）与村，市方案分的是区县，所分对象不同，概念不可互换，"
          "且 exactMatch 可传递，"
          "会使各县同名类别经市方案类别合而为一；不用 broadMatch/narrowMatch：名称相同不说明一方是"
          "另一方的下位。")
    en = ("The county plan's categories have the same zh names as the municipal plan's "
          f"(doc:chongqing-plan): {names}; hence skos:closeMatch (generated by name by xsrv-kg "
          "link --write). Not exactMatch: the county plan classifies townships and villages, the "
          "municipal plan districts and counties, so the concepts are not interchangeable, and "
          "exactMatch is transitive (every county's category of that name would merge through "
          "the municipal one); not broadMatch/narrowMatch: a shared name does not make one more "
          "specific than the other.")
    out = [
        f"# Links from the categories of doc:{plan.doc_slug} (data/documents/{plan.doc_slug}/) "
        "to the categories",
        "# of the municipal plan doc:chongqing-plan with the same zh name.",
        "#",
        f"# {GENERATED_MARK} (xsrv_kg/linking/alignment.py) from the two plans'",
        "# category schemes: do not edit; `xsrv-kg link --check` and the tests fail while it",
        "# differs from a regeneration. To state other links (relatedMatch, none, a reason of",
        "# your own), replace it by a hand-written file without the GENERATED line (pattern:",
        "# templates/links/links.ttl): `xsrv-kg link --write` then leaves it alone.",
        "#",
        "# Rule: a category skos:closeMatch the municipal category with the same zh",
        "# skos:prefLabel (exactly one on each side; otherwise no link). closeMatch, not",
        "# exactMatch: the schemes classify different units (townships and villages; districts",
        "# and counties), and exactMatch is transitive. Not broadMatch/narrowMatch: a shared",
        "# name does not make one a kind of the other.",
        "",
        *prefix_lines(("xsrv", "rdfs", "skos"), curies),
        "",
    ]
    for own, municipal in alignment.pairs:
        out.append(f"# {own.label}: same name in the municipal scheme {c(municipal.scheme)}")
        out.append(f"{c(own.iri)} skos:closeMatch {c(municipal.iri)} .")
    if alignment.unmatched:
        out.append("# Not aligned (no single municipal category of the same name): "
                   + "、".join(u.label for u in alignment.unmatched))
    out += [
        "",
        f"{c(base + 'categories')} a xsrv:Interpretation ;",
        '    rdfs:label "县、市类别同名而对象不同（按名称生成）"@zh , '
        '"County and municipal categories: same names, different units (generated)"@en ;',
        "    xsrv:concerns " + " , ".join(c(a.iri) for a, _ in alignment.pairs) + " ;",
        "    xsrv:concernsProperty skos:closeMatch ;",
        f"    rdfs:comment {string(zh, lang='zh')} ,",
        f"        {string(en, lang='en')} .",
        "",
    ]
    return "\n".join(out)


def is_generated(path: Path) -> bool:
    return GENERATED_MARK in path.read_text(encoding="utf-8")
