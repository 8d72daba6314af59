"""Statistical division codes over time, and the plan's townships linked to them.

Three jobs, each a pure function of its input, with the file writing kept apart:

- :func:`codes_turtle`: the code table CSV (``data/reference/xiushan-township-codes.csv``, six
  editions) as Turtle: one ``xsrv:CodeTableEdition`` per edition, one ``xsrv:CodeTableEntry``
  per row, all in one named graph ``<base>graph/reference/division-codes``.
- :func:`compute_links` / :func:`links_turtle`: each township of the plan linked to its entry
  in the edition whose names match the plan's, each link recorded with what it rests on,
  written to ``data/links/xiushan-codes/links.ttl`` (graph ``<base>graph/links/xiushan-codes``).
- :func:`code_report`: where the plan's names and each edition differ, as plain data, for
  :func:`render_report` (text, JSON, HTML).

Nothing here asserts that one unit succeeded another: the tables do not say so. The report
gives, at most, a *possible correspondence* with the observation it rests on (a shared name
stem, a shared code), marked as not asserted.

Run ``xsrv-kg link --write`` after changing the CSV or the plan's townships; ``xsrv-kg link
--check`` (and the tests) fail while the committed Turtle differs from what they give.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from . import rq, vocab
from .config import Config
from .errors import BadInput, NotFound
from .store import Store

#: Where the generated files live, relative to the project home.
CSV_PATH = Path("data/reference/xiushan-township-codes.csv")
CODES_PATH = Path("data/reference/division-codes/codes.ttl")
LINKS_PATH = Path("data/links/xiushan-codes/links.ttl")

CSV_COLUMNS = ("edition_cutoff", "edition_published", "code", "name", "county_code")
CODE_BASE = vocab.ID + "division-code/"
LINK_BASE = vocab.ID + "link/xiushan-codes/"
SOURCE_DATASET = "https://github.com/modood/Administrative-divisions-of-China"

#: The one rewriting applied before names are compared. Older editions print a subdistrict as
#: its office (中和街道办事处); the plan and later editions write 中和街道.
NORMALISATIONS: tuple[tuple[str, str], ...] = (("街道办事处", "街道"),)
#: Kind suffixes of township-level names, longest first (街道办事处 before 街道).
KIND_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"), ("街道", "街道"), ("镇", "镇"), ("乡", "乡"))


def normalise(name: str) -> str:
    """The name with :data:`NORMALISATIONS` applied to its end (中和街道办事处 -> 中和街道)."""
    for old, new in NORMALISATIONS:
        if name.endswith(old):
            return name[: -len(old)] + new
    return name


def stem_and_kind(name: str) -> tuple[str, str | None]:
    """Split a township-level name into stem and kind: 清溪场镇 -> (清溪场, 镇)."""
    for suffix, kind in KIND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], kind
    return name, None


def normalisation_text() -> str:
    return "; ".join(f"{old} → {new}" for old, new in NORMALISATIONS)


# --------------------------------------------------------------------------------------------
# The code table CSV -> Turtle
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeRow:
    """One row of the code table CSV, as printed."""

    cutoff: str
    published: str
    code: str
    name: str
    county_code: str


def read_code_table(path: Path) -> list[CodeRow]:
    """The CSV's rows, checked for the columns and values the Turtle needs."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
                raise BadInput(f"{path}: expected columns {','.join(CSV_COLUMNS)}, "
                               f"found {','.join(reader.fieldnames or ())}")
            rows = [CodeRow(*(r[c].strip() for c in CSV_COLUMNS)) for r in reader]
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    for n, row in enumerate(rows, start=2):
        for value in (row.cutoff, row.published):
            try:
                date.fromisoformat(value)
            except ValueError:
                raise BadInput(f"{path}:{n}: {value!r} is not a date (YYYY-MM-DD)") from None
        if not (row.code.isascii() and row.code.isdigit() and len(row.code) == 9):
            raise BadInput(f"{path}:{n}: code {row.code!r} is not 9 digits")
        if not row.name:
            raise BadInput(f"{path}:{n}: no name")
    return rows


def edition_iri(cutoff: str) -> str:
    return f"{CODE_BASE}{cutoff}"


def entry_iri(cutoff: str, code: str) -> str:
    return f"{CODE_BASE}{cutoff}/{code}"


def _edition_prefix(cutoff: str) -> str:
    """The Turtle prefix of an edition's entries: c2020-06-30."""
    return f"c{cutoff}"


def _lit(text: str) -> str:
    """A Turtle string literal."""
    return json.dumps(text, ensure_ascii=False)


def codes_turtle(rows: Sequence[CodeRow]) -> str:
    """The code table as Turtle, deterministic: editions by cut-off date, entries by code."""
    editions: dict[tuple[str, str], list[CodeRow]] = {}
    for row in rows:
        editions.setdefault((row.cutoff, row.published), []).append(row)
    cutoffs = [c for c, _ in editions]
    if len(set(cutoffs)) != len(cutoffs):
        raise BadInput("an edition cut-off date appears with two publication dates")
    out = [
        "# Statistical division codes (统计用区划代码) of the townships of 秀山县,",
        "# every edition in ../xiushan-township-codes.csv: which code and name each",
        "# edition prints.",
        "#",
        "# GENERATED by `xsrv-kg link --write` from the CSV (xsrv_kg/linking.py): do not edit;",
        "# tests/test_linking.py checks that regenerating gives this file byte for byte.",
        "#",
        "# Names are kept as printed (中和街道办事处 in 2017 and 2018, 中和街道 later).",
        "# An entry is a row of one edition, not a unit: entries of different editions are",
        "# not linked to each other, because the tables do not say which unit became which.",
        "",
        "@prefix xsrv:    <https://w3id.org/xsrv-kg/ontology#> .",
        "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
    ]
    ordered = sorted(editions.items())
    out.append(f"@prefix code:    <{CODE_BASE}> .")
    for (cutoff, _), _ in ordered:
        out.append(f"@prefix {_edition_prefix(cutoff)}: <{CODE_BASE}{cutoff}/> .")
    out.append("")
    for (cutoff, published), members in ordered:
        members = sorted(members, key=lambda r: r.code)
        codes = [r.code for r in members]
        if len(set(codes)) != len(codes):
            raise BadInput(f"edition {cutoff}: a code appears twice")
        ed = f"code:{cutoff}"
        out += [
            f"{ed} a xsrv:CodeTableEdition ;",
            f'    rdfs:label "统计用区划代码（截至{cutoff}）"@zh , '
            f'"Statistical division codes as of {cutoff}"@en ;',
            f'    xsrv:cutoffDate "{cutoff}"^^xsd:date ; dcterms:issued "{published}"^^xsd:date ;',
            f"    xsrv:entryCount {len(members)} ; dcterms:source <{SOURCE_DATASET}> .",
            "",
        ]
        for row in members:
            out.append(
                f"{_edition_prefix(cutoff)}:{row.code} a xsrv:CodeTableEntry ; xsrv:edition {ed} ; "
                f'skos:notation "{row.code}" ;\n    rdfs:label {_lit(row.name)}@zh ; '
                f'xsrv:countyCode "{row.county_code}" .')
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Reading the store
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Township:
    unit: str
    name: str


@dataclass(frozen=True)
class Entry:
    iri: str
    code: str
    name: str


@dataclass(frozen=True)
class Edition:
    iri: str
    cutoff: str
    published: str | None
    entry_count: int | None
    entries: tuple[Entry, ...]


def _select(store: Store, name: str) -> list[dict[str, str]]:
    result = store.query(rq.load(name), union_default_graph=True, prefixes=vocab.PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def plan_townships(store: Store) -> tuple[list[Township], str | None]:
    """The plan's townships (by zh name) and the county's code, if the reference gives it."""
    found = _select(store, "link-plan-townships")
    county = next((r["countyCode"] for r in found if "countyCode" in r), None)
    return sorted({Township(r["unit"], r["name"]) for r in found},
                  key=lambda t: t.unit), county


def editions(store: Store, county_code: str | None) -> list[Edition]:
    """Every edition loaded, with its entries for the county (all entries if unknown)."""
    by_iri: dict[str, dict] = {}
    for r in _select(store, "link-code-entries"):
        if county_code and r["countyCode"] != county_code:
            continue
        e = by_iri.setdefault(r["edition"], {
            "iri": r["edition"], "cutoff": r["cutoff"], "published": r.get("issued"),
            "entry_count": int(r["entryCount"]) if "entryCount" in r else None, "entries": []})
        e["entries"].append(Entry(r["entry"], r["code"], r["name"]))
    return [Edition(**{**e, "entries": tuple(sorted(e["entries"], key=lambda x: x.code))})
            for e in sorted(by_iri.values(), key=lambda e: e["cutoff"])]


# --------------------------------------------------------------------------------------------
# Linking
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EditionMatch:
    """How one edition's names compare with the plan's."""

    edition: Edition
    #: plan township -> entry with the identical name / the same name after normalisation
    exact: dict[Township, Entry]
    normalised: dict[Township, Entry]
    plan_only: tuple[Township, ...]
    edition_only: tuple[Entry, ...]

    @property
    def verdict(self) -> str:
        """``exact``, ``normalised`` (all names match, some only after normalisation) or
        ``differs``."""
        if self.plan_only or self.edition_only:
            return "differs"
        return "normalised" if self.normalised else "exact"


def compare(townships: Sequence[Township], edition: Edition) -> EditionMatch:
    """Compare the plan's names with one edition's, by name (the plan gives no codes)."""
    by_name: dict[str, list[Entry]] = {}
    for entry in edition.entries:
        by_name.setdefault(normalise(entry.name), []).append(entry)
    plan_names: dict[str, list[Township]] = {}
    for t in townships:
        plan_names.setdefault(normalise(t.name), []).append(t)
    exact, normalised, plan_only = {}, {}, []
    for t in townships:
        candidates = by_name.get(normalise(t.name), [])
        # A name that occurs twice on either side matches nothing: no guessing which.
        if len(candidates) == 1 and len(plan_names[normalise(t.name)]) == 1:
            entry = candidates[0]
            (exact if entry.name == t.name else normalised)[t] = entry
        else:
            plan_only.append(t)
    matched = {e.iri for e in [*exact.values(), *normalised.values()]}
    edition_only = tuple(e for e in edition.entries if e.iri not in matched)
    return EditionMatch(edition, exact, normalised, tuple(plan_only), edition_only)


@dataclass(frozen=True)
class Linking:
    """The edition chosen and, for every township of the plan, its entry in that edition."""

    chosen: EditionMatch
    #: Every edition compared, oldest first.
    matches: tuple[EditionMatch, ...]

    @property
    def links(self) -> list[tuple[Township, Entry, str]]:
        """(township, entry, method) with method ``exact`` or ``normalised``, by code."""
        pairs = [(t, e, "exact") for t, e in self.chosen.exact.items()]
        pairs += [(t, e, "normalised") for t, e in self.chosen.normalised.items()]
        return sorted(pairs, key=lambda p: p[1].code)

    @property
    def matching(self) -> list[EditionMatch]:
        """The editions all of whose names match the plan's (exactly or normalised)."""
        return [m for m in self.matches if m.verdict != "differs"]


def compute_links(store: Store) -> Linking:
    """Link each township of the plan to its entry in the edition that matches the plan.

    The plan states no date and no codes, so the choice rests on names alone: among the
    editions whose names equal the plan's one for one, prefer those that need no
    normalisation, then the latest cut-off date. Raises :class:`BadInput` when no edition
    matches (a link would then be a guess).
    """
    townships, county = plan_townships(store)
    if not townships:
        raise BadInput("no townships of 秀山县 (div:xiushan) in the data: nothing to link")
    found = editions(store, county)
    if not found:
        raise BadInput("no code table entries in the data (data/reference/division-codes/): "
                       "nothing to link to")
    matches = tuple(compare(townships, e) for e in found)
    candidates = [m for m in matches if m.verdict != "differs"]
    if not candidates:
        raise BadInput("no edition of the code table lists exactly the plan's "
                       f"{len(townships)} township names: nothing linked")
    chosen = max(candidates, key=lambda m: (m.verdict == "exact", m.edition.cutoff))
    return Linking(chosen, matches)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def links_turtle(linking: Linking) -> str:
    """The links as Turtle, deterministic (by code)."""
    chosen = linking.chosen.edition
    others = [m for m in linking.matching if m is not linking.chosen]
    also = ", ".join(f"{m.edition.cutoff} ({m.verdict})" for m in others) or "none"
    same_codes = all(
        {t: e.code for t, e, _ in _pairs(m)} == {t: e.code for t, e, _ in _pairs(linking.chosen)}
        for m in others)
    activity = LINK_BASE + "linking"
    curies = {vocab.PREFIXES["div"]: "div:", vocab.PREFIXES["doc"]: "doc:", LINK_BASE: "link:",
             f"{CODE_BASE}{chosen.cutoff}/": f"{_edition_prefix(chosen.cutoff)}:",
             CODE_BASE: "code:"}

    def c(iri: str) -> str:
        """A prefixed name where the local part is plain, else the full IRI."""
        for ns, prefix in curies.items():
            local = iri[len(ns):]
            if iri.startswith(ns) and local.replace("-", "").isalnum() and local.isascii():
                return prefix + local
        return f"<{iri}>"

    rule_zh = ("方案未载明日期与代码，故仅按名称对应："
               f"在名称与方案{len(linking.links)}个乡镇（街道）名称一一相同的版本中，"
               f"优先取无需规范化的版本，其中取统计截止日期最晚者，即 {chosen.cutoff}。"
               f"名称比较前作规范化：{normalisation_text()}。其他名称一致的版本：{also}；"
               + ("各乡镇（街道）在这些版本中的代码相同，故所选版本不改变任何代码。"
                  if same_codes else "其中有乡镇（街道）的代码不同。"))
    rule_en = (f"The plan states no date and no codes, so the link rests on names alone: among "
               f"the editions whose names equal the plan's township names one for one, those "
               f"needing no normalisation are preferred, then the latest cut-off date: "
               f"{chosen.cutoff}. Names are normalised before comparison: "
               f"{normalisation_text()}. Other editions that match: {also}; "
               + ("they give every township the same code, so the choice changes no code."
                  if same_codes else "they give some township a different code."))
    out = [
        "# Links from the plan's townships to their entries in the statistical division code",
        f"# table, edition as of {chosen.cutoff}.",
        "#",
        "# GENERATED by `xsrv-kg link --write` (xsrv_kg/linking.py) from the plan's townships",
        "# (data/documents/xiushan-plan/divisions.ttl) and the code table",
        "# (data/reference/division-codes/codes.ttl): do not edit. tests/test_linking.py checks",
        "# that recomputing the links gives this file byte for byte.",
        "",
        "@prefix xsrv:    <https://w3id.org/xsrv-kg/ontology#> .",
        "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix prov:    <http://www.w3.org/ns/prov#> .",
        "@prefix div:     <https://w3id.org/xsrv-kg/id/division/> .",
        "@prefix doc:     <https://w3id.org/xsrv-kg/id/doc/> .",
        f"@prefix code:    <{CODE_BASE}> .",
        f"@prefix {_edition_prefix(chosen.cutoff)}: <{CODE_BASE}{chosen.cutoff}/> .",
        f"@prefix link:    <{LINK_BASE}> .",
        "",
        f"{c(activity)} a prov:Activity ;",
        '    rdfs:label "乡镇（街道）与统计用区划代码条目的对应"@zh , '
        '"Linking the townships to code table entries"@en ;',
        "    prov:used doc:xiushan-plan , "
        + " , ".join(c(m.edition.iri) for m in linking.matches) + " ;",
        f"    xsrv:matchedEdition {c(chosen.iri)} ;",
        f"    xsrv:normalisation {_lit(normalisation_text())} ;",
        f"    rdfs:comment {_lit(rule_zh)}@zh ,",
        f"        {_lit(rule_en)}@en .",
        "",
    ]
    for township, entry, method in linking.links:
        link = LINK_BASE + _local(township.unit)
        names = sorted({township.name, entry.name})
        out += [
            f"{c(township.unit)} xsrv:codeTableEntry {c(entry.iri)} .",
            f"{c(link)} a xsrv:CodeEntryLink ;",
            f"    xsrv:linkedUnit {c(township.unit)} ; xsrv:linkedEntry {c(entry.iri)} ;",
            f"    xsrv:matchedEdition {c(chosen.iri)} ; xsrv:matchMethod "
            + ("xsrv:match-exact-name" if method == "exact" else "xsrv:match-normalised-name")
            + " ;",
            "    xsrv:comparedName " + " , ".join(f"{_lit(n)}@zh" for n in names) + " ;",
            *([f"    xsrv:normalisation {_lit(normalisation_text())} ;"]
              if method == "normalised" else []),
            f"    prov:wasGeneratedBy {c(activity)} .",
        ]
    out.append("")
    return "\n".join(out)


def _pairs(match: EditionMatch) -> list[tuple[Township, Entry, str]]:
    return [(t, e, "exact") for t, e in match.exact.items()] + \
        [(t, e, "normalised") for t, e in match.normalised.items()]


# --------------------------------------------------------------------------------------------
# Files: generate, write, check
# --------------------------------------------------------------------------------------------

def generate_codes(config: Config) -> str:
    return codes_turtle(read_code_table(config.home / CSV_PATH))


def generate_links(config: Config) -> str:
    """The links Turtle, computed from the project's plan and the *regenerated* code table
    (so that ``--write`` gives the same result whatever the committed files hold)."""
    from .loader import data_sources, load
    from .store import open_store

    store = open_store("memory")
    # The plan's townships, and the county's code (div:xiushan xsrv:divisionCode, in the
    # 2020-06-30 graph) that picks the county's rows.
    folders = [config.data_dir / "documents" / "xiushan-plan",
               *sorted((config.data_dir / "reference").glob("division-codes-*"))]
    load(store, data_sources(config, folders))
    codes = ox.parse(generate_codes(config).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(config.graph_iri("reference/division-codes"))
    store.add([ox.Quad(t.subject, t.predicate, t.object, graph) for t in codes])
    return links_turtle(compute_links(store))


def generated_files(config: Config) -> dict[Path, str]:
    """Each generated file (absolute path) and the text it should hold."""
    return {config.home / CODES_PATH: generate_codes(config),
            config.home / LINKS_PATH: generate_links(config)}


def stale_files(config: Config) -> list[Path]:
    """The generated files whose committed text differs from a regeneration."""
    return [path for path, text in generated_files(config).items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_files(config: Config) -> list[tuple[Path, bool]]:
    """Regenerate the code table and the links; (path, changed) for each file."""
    done = []
    for path, text in generated_files(config).items():
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        done.append((path, changed))
    return done


# --------------------------------------------------------------------------------------------
# The report: the plan's names against every edition
# --------------------------------------------------------------------------------------------

def recorded_links(store: Store) -> dict[str, dict[str, str]]:
    """unit IRI -> the recorded link (code, edition cut-off, method)."""
    return {r["unit"]: r for r in _select(store, "link-recorded-links")}


def _hints(plan_only: Sequence[dict], edition_only: Sequence[dict]) -> list[dict]:
    """Possible correspondences between a plan-only and an edition-only name, each with the
    observation it rests on. Not asserted: a hint is a reason to look, not a succession."""
    hints = []
    for p in plan_only:
        p_stem, p_kind = stem_and_kind(normalise(p["name"]))
        for e in edition_only:
            e_stem, e_kind = stem_and_kind(normalise(e["name"]))
            basis = {}
            if p_stem == e_stem:
                basis["same_stem"] = p_stem
                if p_kind != e_kind:
                    basis["kind_in_plan"], basis["kind_in_edition"] = p_kind, e_kind
            if p.get("code") and p["code"] == e["code"]:
                basis["same_code"] = e["code"]
            if basis:
                hints.append({"plan": p, "edition": e, "basis": basis, "asserted": False})
    return hints


def code_report(store: Store) -> dict:
    """Where the plan's township names and each edition of the code table differ.

    A plain structure (for JSON as is): per edition, oldest first, the plan's names the
    edition does not list (``plan_only``, with the code of the linked entry when a link is
    recorded), the edition's entries whose names the plan does not have (``edition_only``),
    the names that match only after normalisation, and possible correspondences between the
    two lists with the observation each rests on, marked ``asserted: false``.
    """
    townships, county = plan_townships(store)
    found = editions(store, county)
    recorded = recorded_links(store)
    out_editions = []
    for edition in found:
        m = compare(townships, edition)
        plan_only = [{"unit": t.unit, "name": t.name,
                      "code": recorded.get(t.unit, {}).get("code"),
                      "code_edition": recorded.get(t.unit, {}).get("cutoff")}
                     for t in sorted(m.plan_only, key=lambda t: (
                         recorded.get(t.unit, {}).get("code", ""), t.name))]
        edition_only = [{"entry": e.iri, "name": e.name, "code": e.code}
                        for e in m.edition_only]
        out_editions.append({
            "edition": edition.iri, "cutoff": edition.cutoff, "published": edition.published,
            "entries": len(edition.entries), "stated_entry_count": edition.entry_count,
            "verdict": m.verdict,
            "linked": any(r.get("edition") == edition.iri for r in recorded.values()),
            "normalised": [{"plan_name": t.name, "edition_name": e.name, "code": e.code}
                           for t, e in sorted(m.normalised.items(), key=lambda p: p[1].code)],
            "plan_only": plan_only,
            "edition_only": edition_only,
            "possible_correspondences": _hints(plan_only, edition_only),
        })
    linked_editions = sorted({r["cutoff"] for r in recorded.values()})
    return {
        "county": vocab.PREFIXES["div"] + "xiushan",
        "county_code": county,
        "plan": vocab.PREFIXES["doc"] + "xiushan-plan",
        "plan_townships": len(townships),
        "compared_by": "name",
        "normalisation": [{"from": a, "to": b} for a, b in NORMALISATIONS],
        "linked_edition": linked_editions[0] if len(linked_editions) == 1 else linked_editions,
        "links": len(recorded),
        "successions_asserted": 0,
        "editions": out_editions,
    }


# --------------------------------------------------------------------------------------------
# Renderers (pure functions of the report)
# --------------------------------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "方案乡镇（街道）名称与各版统计用区划代码的比较",
        "intro": "按名称比较（方案不载代码）；比较前规范化：{norm}。方案列 {n} 个乡镇（街道）；"
                 "对应链接取自 {linked} 版（{links} 条）。",
        "edition": "截至 {cutoff} 版（{published} 发布），{entries} 条",
        "exact": "与方案名称逐一相同。", "normalised": "规范化后与方案名称逐一相同。",
        "differs": "与方案名称不同：",
        "norm_only": "仅规范化后相同：", "plan_only": "方案有、本版无：",
        "edition_only": "本版有、方案无：", "none": "无",
        "hints": "可能的对应（仅为提示，数据未断言承继关系）：",
        "same_stem": "名称词干相同“{stem}”", "kind": "类型 方案为{a}、本版为{b}",
        "same_code": "代码相同 {code}",
        "no_hint": "以下条目在数据中找不到对应线索：",
        "footer": "本报告只列出各版本的出现与消失；代码表并未说明哪个新单位承继哪个旧单位，"
                  "故不断言任何承继、更名或合并关系。",
        "code_from": "代码取自 {cutoff} 版的对应条目",
        "linked": "（对应所用版本）",
    },
    "en": {
        "title": "The plan's township names against each edition of the division codes",
        "intro": "Compared by name (the plan gives no codes); names normalised first: {norm}. "
                 "The plan names {n} townships; links recorded to the {linked} edition "
                 "({links} links).",
        "edition": "Edition as of {cutoff} (published {published}), {entries} entries",
        "exact": "Same names as the plan, one for one.",
        "normalised": "Same names as the plan after normalisation.",
        "differs": "Differs from the plan:",
        "norm_only": "equal only after normalisation:",
        "plan_only": "in the plan, not in this edition:",
        "edition_only": "in this edition, not in the plan:", "none": "none",
        "hints": "possible correspondences (hints only; no succession is asserted):",
        "same_stem": "same name stem “{stem}”", "kind": "kind {a} in the plan, {b} here",
        "same_code": "same code {code}",
        "no_hint": "no clue in the data for:",
        "footer": "This report lists appearances and disappearances per edition only. The code "
                  "tables do not say which new unit succeeds which old one, so no succession, "
                  "renaming or merger is asserted.",
        "code_from": "code of the linked entry, edition {cutoff}",
        "linked": " (the edition linked)",
    },
}


def _check_lang(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise BadInput(f"unknown language {lang!r}: use one of {', '.join(WORDS)}")
    return WORDS[lang]


def _item(d: dict) -> str:
    return f"{d['name']} ({d['code']})" if d.get("code") else d["name"]


def _basis(hint: dict, w: dict[str, str]) -> str:
    b = hint["basis"]
    parts = []
    if "same_stem" in b:
        parts.append(w["same_stem"].format(stem=b["same_stem"]))
    if "kind_in_plan" in b:
        parts.append(w["kind"].format(a=b["kind_in_plan"], b=b["kind_in_edition"]))
    if "same_code" in b:
        parts.append(w["same_code"].format(code=b["same_code"]))
    return "; ".join(parts)


def _unhinted(edition: dict) -> list[dict]:
    hinted = {id(h["plan"]) for h in edition["possible_correspondences"]} | \
        {id(h["edition"]) for h in edition["possible_correspondences"]}
    return [d for d in edition["plan_only"] + edition["edition_only"] if id(d) not in hinted]


def render_text(report: dict, lang: str = "zh") -> str:
    w = _check_lang(lang)
    linked = report["linked_edition"] or w["none"]
    lines = [w["title"], w["intro"].format(norm=normalisation_text(), n=report["plan_townships"],
                                           linked=linked, links=report["links"]), ""]
    for e in report["editions"]:
        head = w["edition"].format(cutoff=e["cutoff"], published=e["published"] or "?",
                                   entries=e["entries"])
        lines.append(f"== {head}{w['linked'] if e['linked'] else ''} ==")
        lines.append(w[e["verdict"]])
        if e["normalised"]:
            lines.append(f"  {w['norm_only']} " + "、".join(
                f"{n['edition_name']} = {n['plan_name']} ({n['code']})" for n in e["normalised"]))
        if e["verdict"] == "differs":
            lines.append(f"  {w['plan_only']} "
                         + ("、".join(_item(d) for d in e["plan_only"]) or w["none"]))
            lines.append(f"  {w['edition_only']} "
                         + ("、".join(_item(d) for d in e["edition_only"]) or w["none"]))
            if e["possible_correspondences"]:
                lines.append(f"  {w['hints']}")
                for h in e["possible_correspondences"]:
                    lines.append(f"    ? {_item(h['plan'])} ~ {_item(h['edition'])}: "
                                 f"{_basis(h, w)}")
            rest = _unhinted(e)
            if rest:
                lines.append(f"  {w['no_hint']} " + "、".join(_item(d) for d in rest))
        lines.append("")
    if any(d.get("code") for e in report["editions"] for d in e["plan_only"]):
        lines.append("(" + w["code_from"].format(cutoff=linked) + ")")
    lines.append(w["footer"])
    return "\n".join(lines) + "\n"


def render_json(report: dict, lang: str = "zh") -> str:
    _check_lang(lang)
    return json.dumps({**report, "lang": lang}, ensure_ascii=False, indent=2) + "\n"


def render_html(report: dict, lang: str = "zh") -> str:
    """A standalone page in the style of the validation report (one <main> fragment inside)."""
    w = _check_lang(lang)
    esc = html.escape
    linked = report["linked_edition"] or w["none"]
    body = [f"<h1>{esc(w['title'])}</h1>",
            f"<p>{esc(w['intro'].format(norm=normalisation_text(), n=report['plan_townships'], linked=linked, links=report['links']))}</p>"]  # noqa: E501
    for e in report["editions"]:
        head = w["edition"].format(cutoff=e["cutoff"], published=e["published"] or "?",
                                   entries=e["entries"])
        body.append(f'<section class="edition {esc(e["verdict"])}" '
                    f'id="edition-{esc(e["cutoff"])}">')
        body.append(f"<h2>{esc(head)}{esc(w['linked']) if e['linked'] else ''}</h2>")
        body.append(f"<p>{esc(w[e['verdict']])}</p>")
        rows = []
        if e["normalised"]:
            rows.append((w["norm_only"], "、".join(
                f"{n['edition_name']} = {n['plan_name']} ({n['code']})" for n in e["normalised"])))
        if e["verdict"] == "differs":
            rows.append((w["plan_only"], "、".join(_item(d) for d in e["plan_only"]) or w["none"]))
            rows.append((w["edition_only"],
                         "、".join(_item(d) for d in e["edition_only"]) or w["none"]))
        if rows:
            body.append("<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
                        + "</dl>")
        if e["possible_correspondences"]:
            body.append(f'<div class="hints"><p><strong>{esc(w["hints"])}</strong></p><ul>')
            for h in e["possible_correspondences"]:
                body.append(f"<li>{esc(_item(h['plan']))} ~ {esc(_item(h['edition']))}: "
                            f"<em>{esc(_basis(h, w))}</em></li>")
            body.append("</ul></div>")
        rest = _unhinted(e) if e["verdict"] == "differs" else []
        if rest:
            body.append(f"<p>{esc(w['no_hint'])} {esc('、'.join(_item(d) for d in rest))}</p>")
        body.append("</section>")
    body.append(f'<p class="footer">{esc(w["footer"])}</p>')
    return f"""<!doctype html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(w['title'])}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB",
         "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
         max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }}
  section.edition {{ border-left: 4px solid #ccc; padding: .25rem .75rem; margin: .75rem 0; }}
  section.exact {{ border-color: #2e7d32; }} section.normalised {{ border-color: #1d5c8a; }}
  section.differs {{ border-color: #d08a00; }}
  .hints {{ background: #fff8e1; padding: .25rem .75rem; }} .footer {{ color: #555; }}
  dt {{ font-weight: bold; }} dd {{ margin: 0 0 .5rem 1rem; }}
</style>
</head>
<body>
<main>
{chr(10).join(body)}
</main>
</body>
</html>
"""


RENDERERS: dict[str, Callable[[dict, str], str]] = {
    "text": render_text, "json": render_json, "html": render_html}


def render_report(report: dict, fmt: str, lang: str) -> str:
    if fmt not in RENDERERS:
        raise BadInput(f"unknown report format {fmt!r}: use one of {', '.join(RENDERERS)}")
    return RENDERERS[fmt](report, lang)


def render_links(linking: Linking, lang: str = "zh") -> str:
    """A short text summary of the links ``xsrv-kg link`` computes."""
    chosen = linking.chosen.edition
    w_zh = lang == "zh"
    lines = [(f"对应版本：截至 {chosen.cutoff}（{linking.chosen.verdict}）；名称一致的版本："
              if w_zh else f"Edition linked: as of {chosen.cutoff} ({linking.chosen.verdict}); "
              "editions whose names match the plan: ")
             + ", ".join(f"{m.edition.cutoff} ({m.verdict})" for m in linking.matching)]
    for township, entry, method in linking.links:
        lines.append(f"  {entry.code}  {township.name}  <{township.unit}>  {method}")
    return "\n".join(lines) + "\n"
