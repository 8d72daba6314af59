"""write_draft(): a draft as Turtle in a document folder (data/documents/<id>/ layout).

Every resource is marked xsrv:reviewStatus xsrv:review-draft with the rule that drafted
it and its spans. Terms are written only where the ontology defines them (a kind or a
status it lacks is kept as xsrv:wordAsStated), so a draft always loads with the ontology.
"""

from __future__ import annotations

import re
from pathlib import Path

from xsrv_kg.draft.codes import ROOT
from xsrv_kg.draft.model import Draft
from xsrv_kg.draft.places import kind_of
from xsrv_kg.draft.rules import load_rules
from xsrv_kg.draft.write_document import document_turtle
from xsrv_kg.draft.writer import Writer
from xsrv_kg.turtle import string

PREFIXES = """@prefix xsrv:    <https://w3id.org/xsrv-kg/ontology#> .
@prefix doc:     <https://w3id.org/xsrv-kg/id/doc/> .
@prefix plan:    <https://w3id.org/xsrv-kg/id/doc/{id}/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix schema:  <https://schema.org/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix freq:    <http://purl.org/cld/freq/> .
"""


def defined_terms(root: Path = ROOT) -> set[str]:
    """Local names the ontology files define (``xsrv:name a …``)."""
    names: set[str] = set()
    for path in (root / "ontology").glob("*.ttl"):
        names |= set(
            re.findall(r"^xsrv:([A-Za-z][\w-]*) a ", path.read_text(encoding="utf-8"), re.M)
        )
    return names


def _divisions(w: Writer) -> str:
    d, text = w.d, []
    if d.area:
        props = [
            f"rdfs:label {string(d.area, lang='zh')}",
            "xsrv:reviewStatus xsrv:review-draft",
            f"rdfs:comment {string('给定的地区（--area），非由原文起草。', lang='zh')}",
        ]
        kind = kind_of(d.area, load_rules())
        level = (
            w.term(kind.level, "xsrv:AdministrativeDivision")
            if kind
            else "xsrv:AdministrativeDivision"
        )
        if kind and w.term(kind.kind):
            props.append(f"xsrv:divisionKind {w.term(kind.kind)}")
        text.append(f"plan:area a {level} ;\n    " + " ;\n    ".join(props) + " .\n")
    for f in d.of("place"):
        level = w.term(
            f.data["level"],
            "schema:Place" if f.data["level"] == "ZoneArea" else "xsrv:AdministrativeDivision",
        )
        props = [
            f"rdfs:label {string(f.data['name'], lang='zh')}",
            f"xsrv:divisionKind {w.term(f.data['kind'])}" if w.term(f.data["kind"]) else "",
            f"xsrv:wordAsStated {string(f.data.get('suffix_from_heading') or f.data['suffix'])}",
        ]
        parent = w.place_iri(f.data["parent"])
        if parent:
            props.append(f"schema:containedInPlace {parent}")
        if "code" in f.data:
            props.append(f"xsrv:divisionCode {string(f.data['code'])}")
        text.append(w.block(w.sid(f, "place"), level, props, f))
    return "\n".join(text)


def _classification(w: Writer) -> str:
    d, text = w.d, []
    # "拟评定…" makes every listed unit a proposed designation, not a classification.
    proposed = any(s.data["status"] == "designation-proposed" for s in d.of("status")) \
        and "DesignationAssignment" in w.terms
    kind = "xsrv:DesignationAssignment" if proposed else "xsrv:CategoryAssignment"
    for f in d.of("member"):
        cat = f.data["category"]
        tier = f.data["list"]
        props = [f"xsrv:assignedUnit {w.ids.get(f.data['unit']) or w.place_iri(f.data['name'])}"]
        if cat:
            props.append(f"xsrv:assignedCategory {w.concept('cat', cat, f.spans[-1])}")
        if tier:
            key, prop = ("tier", "assignedTier") if cat else ("cat", "assignedCategory")
            props.append(f"xsrv:{prop} {w.concept(key, tier, f.spans[1])}")
        if proposed:
            props.append("xsrv:designationStatus xsrv:designation-proposed")
        text.append(w.block(w.sid(f, "assign"), kind, props, f))
    for f in d.of("count"):
        data = f.data
        subject = w.sid(f, "count")  # named before its parts (partitionedInto) are
        if data.get("counts") == "categories":
            types, props = "xsrv:ConceptCount", ["xsrv:countedScheme plan:categories"]
        elif data.get("label") or data.get("list"):
            types, props = "xsrv:AssignmentCount", []
            if data.get("label"):
                props.append(f"xsrv:countedCategory {w.concept('cat', data['label'])}")
            if data.get("list") and data["list"] != data.get("label"):
                scheme = "tier" if data.get("label") else "cat"
                props.append(f"xsrv:countedTier {w.concept(scheme, data['list'])}")
                if data.get("broader_list") and data["broader_list"] != data.get("label"):
                    narrower = w.concept(scheme, data["list"])
                    w.broader[narrower] = w.concept(scheme, data["broader_list"])
        else:
            types, props = "xsrv:DivisionCount", []
        props.insert(0, f"xsrv:declaredValue {data['value']}")
        # A count with no list after it is not an enumeration: complete false until a
        # reviewer says the members are listed elsewhere.
        props.append(f"xsrv:enumerationComplete {'true' if data.get('complete') else 'false'}")
        if data.get("level"):
            props.append(
                f"xsrv:countedLevel {w.term(data['level'], 'xsrv:AdministrativeDivision')}"
            )
        if data.get("kind") and w.term(data["kind"]):
            props.append(f"xsrv:countedKind {w.term(data['kind'])}")
        within = w.place_iri(data.get("within"))
        if within:
            props.append(f"xsrv:countedWithin {within}")
        if data.get("parts"):
            parts = " , ".join(w.sid(p, "count") for p in data["parts"])
            props.append(f"xsrv:partitionedInto {parts}")
        text.append(w.block(subject, types, props, f))
    head = [
        f"plan:categories a skos:ConceptScheme ; xsrv:reviewStatus xsrv:review-draft ;\n"
        f"    dcterms:source doc:{d.doc_id} ;\n"
        f"    rdfs:label {string('起草的类别与名单', lang='zh')} .\n"
    ]
    for key, iri_ in w.concepts.items():
        where = w.concept_spans.get(key)
        top = " skos:topConceptOf plan:categories ;" if key[0] == "cat" else ""
        if iri_ in w.broader:
            top += f" skos:broader {w.broader[iri_]} ;"
        head.append(
            f"{iri_} a skos:Concept ; skos:inScheme plan:categories ;{top}\n"
            f"    skos:prefLabel {string(key[1], lang='zh')} ; xsrv:reviewStatus xsrv:review-draft"
            + (f" ;\n    xsrv:sourceSpan {w.spans([where])} .\n" if where else " .\n")
        )
    return "\n".join(head + text)


def _amount(value: object) -> str:
    """Yuan as xsd:decimal in canonical form (5000000, never 5E+6)."""
    return f'xsrv:amount "{value.normalize():f}"^^xsd:decimal ; xsrv:unit xsrv:unit-yuan'


def _funding(w: Writer) -> str:
    text = []
    for f in w.d.of("fund"):
        data = f.data
        props = [
            f"rdfs:label {string(f.spans[0].exact, lang='zh')}",
            _amount(data["amount"]),
            f"xsrv:amountAsStated {string(data['as_stated'], lang='zh')}",
        ]
        if data.get("payer"):
            props.append(f"xsrv:payer {w.body(data['payer'])}")
        if data.get("basis") and w.term(data["basis"]):
            props.append(f"xsrv:paymentBasis {w.term(data['basis'])}")
        if data.get("recipients"):
            props.append(f"xsrv:recipientDescription {string(data['recipients'], lang='zh')}")
            if data.get("recipients_from") == "heading":
                props.append(f"xsrv:recipientCategory {w.concept('cat', data['recipients'])}")
            elif data.get("recipient_category"):
                props.append(
                    f"xsrv:recipientCategory {w.concept('cat', data['recipient_category'])}")
            if data.get("recipient_level") and not data.get("recipient_place"):
                props.append(f"xsrv:recipientLevel xsrv:{data['recipient_level']}")
            unit = w.place_named_once(data["recipients"]) if data.get("recipient_place") else None
            if unit:  # "双溪村30万元": an award to that place
                props.append(f"xsrv:recipientUnit {unit}")
        if data.get("period_years"):
            props.append(
                "time:hasDuration [ a time:Duration ; time:numericDuration "
                f"{data['period_years']} ; time:unitType time:unitYear ]"
            )
            props.append(f"xsrv:durationAsStated {string(data['period_as_stated'], lang='zh')}")
        if data.get("fund_kind"):
            props.append(f"xsrv:fundKind {string(data['fund_kind'], lang='zh')}")
        text.append(w.block(w.sid(f, "rule"), "xsrv:FundRule", props, f))
    for name, iri_ in list(w.bodies.items()):
        fact = next((f for f in w.d.of("fund") if f.data.get("payer") == name), None)
        if fact is not None:
            text.append(
                f"{iri_} a org:Organization ; rdfs:label {string(name, lang='zh')} ;\n"
                "    xsrv:reviewStatus xsrv:review-draft .\n"
            )
    for f in w.d.of("total"):
        props = [
            _amount(f.data["amount"]),
            f"xsrv:amountAsStated {string(f.data['as_stated'], lang='zh')}",
            f"xsrv:totalCheck {string(f.data.get('check', 'not checked'))}",
        ]
        text.append(w.block(w.sid(f, "total"), "xsrv:StatedTotal", props, f))
    return "\n".join(text)


def _goals(w: Writer) -> str:
    text = []
    for f in w.d.of("goal"):
        data = f.data
        goal = w.sid(f, "goal")
        targets = [f"{goal}-t{i + 1}" for i in range(len(data["targets"]))]
        applies = w.place_iri(data.get("applies_to")) or (
            w.concept("cat", data["applies_to"]) if data.get("applies_to") else None
        )
        props = [
            f'xsrv:targetYear "{data["year"]}"^^xsd:gYear',
            f"xsrv:appliesTo {applies}" if applies else "",
            f"xsrv:hasTarget {' , '.join(targets)}" if targets else "",
        ]
        text.append(w.block(goal, "xsrv:Goal", props, f))
        for iri_, s in zip(targets, data["targets"], strict=True):
            text.append(
                f"{iri_} a xsrv:Target ; xsrv:wording {string(s.exact, lang='zh')} ;\n"
                f"    xsrv:reviewStatus xsrv:review-draft ; xsrv:statedBy doc:{w.d.doc_id} ;\n"
                f"    xsrv:sourceSpan {w.spans([s])} .\n"
            )
    for f in w.d.of("activity"):
        data = f.data
        props = [
            f"rdfs:label {string(f.spans[0].exact[:40], lang='zh')}",
            f"xsrv:frequency freq:{data['freq']}" if data["freq"] else "",
            f"xsrv:frequencyAsStated {string(data['as_stated'], lang='zh')}",
            f"xsrv:qualifier {string(data['qualifier'], lang='zh')}"
            if data.get("qualifier")
            else "",
        ]
        text.append(w.block(w.sid(f, "activity"), "xsrv:RecurringActivity", props, f))
    return "\n".join(text)


HEADERS = {
    "document.ttl": "the document, its basis documents and the bodies the text names",
    "divisions.ttl": "the places the lists name, each nested in the place named before it",
    "classification.ttl": "categories and lists, every member (assignment), declared counts",
    "funding.ttl": "fund rules (payer, amount, basis, period, recipients) and stated totals",
    "goals.ttl": "goals with target years, recurring activities with their frequency",
}


def write_draft(draft: Draft, folder: Path, *, terms: set[str] | None = None) -> list[Path]:
    """Write `draft` into `folder` (source.txt and one Turtle file per concern)."""
    w = Writer(draft, terms if terms is not None else defined_terms())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.txt").write_text(draft.text, encoding="utf-8")
    parts = {
        "document.ttl": document_turtle(w),
        "divisions.ttl": _divisions(w),
        "funding.ttl": _funding(w),
        "goals.ttl": _goals(w),
        "classification.ttl": _classification(w),
    }
    prefixes = PREFIXES.format(id=draft.doc_id)
    text_block = (
        f'plan:text a xsrv:SourceText ; xsrv:sourceFile "source.txt" ;\n'
        f"    rdfs:label {string('草稿所据全文', lang='zh')} .\n"
    )
    written = []
    for name, body in parts.items():
        head = (
            f"# DRAFT of {draft.doc_id}: {HEADERS[name]}.\n"
            "# Written by `xsrv-kg draft` (xsrv_kg/draft/): every resource is xsrv:review-draft\n"
            "# until a person accepts it; spans are code points into source.txt (end exclusive).\n"
            "# Values not from the text (the --area, division codes) are xsrv:givenValue.\n\n"
        )
        extra = text_block if name == "document.ttl" else ""
        checks = "".join(f"# check: {c}\n" for c in draft.checks) if name == "document.ttl" else ""
        path = folder / name
        path.write_text(head + prefixes + "\n" + checks + extra + "\n" + body, encoding="utf-8")
        written.append(path)
    return written
