"""document.ttl of a draft: the document, its status words, number, date, issuer, and the
basis documents it cites (write.py writes the other files)."""

from __future__ import annotations

from xsrv_kg.draft.writer import Writer
from xsrv_kg.turtle import string

#: Why a value of the document is a note, not a property, until review.
NOTE = "起草：原文所载的值，审核接受后写入文件本身。"
NOTE_EN = "Drafted: a value the text states, written onto the document itself once accepted."


def document_turtle(w: Writer) -> str:
    d = w.d
    facts = {f.kind: f for f in d.facts if f.kind in ("title", "number", "issuer", "date")}
    out = [
        f"doc:{d.doc_id} a xsrv:PolicyDocument ;\n    xsrv:reviewStatus xsrv:review-draft ;\n"
        f'    dcterms:language "zh" ;\n    xsrv:sourceText plan:text'
    ]
    if d.area:
        out.append("dcterms:spatial plan:area")
    if "title" in facts:
        out.append(f"eli:title {string(facts['title'].data['title'], lang='zh')}")
        out.append(f"rdfs:label {string(facts['title'].data['title'], lang='zh')}")
        out.append(f"xsrv:sourceSpan {w.spans(facts['title'].spans)}")
    for status in d.of("status"):  # a document's own status; a designation's is its own
        if status.data["status"].startswith("status-") and status.data["status"] in w.terms:
            out.append(f"xsrv:documentStatus xsrv:{status.data['status']}")
    for i, _ in enumerate(d.of("basis")):
        out.append(f"eli:based_on plan:basis-{i + 1}")
    text = [" ;\n    ".join(out) + " .\n"]
    text.append("# Each value below is a draft: a person accepts or rejects it in review.\n")
    if "number" in facts:
        f = facts["number"]
        text.append(
            w.block(
                "plan:fact-number",
                "xsrv:EditorialNote",
                [
                    f"rdfs:comment {string(NOTE, lang='zh')} , {string(NOTE_EN, lang='en')}",
                    f"rdfs:label {string('文号：' + f.data['number'], lang='zh')}",
                    f"xsrv:concerns doc:{d.doc_id} ; xsrv:concernsProperty eli:id_local",
                    f"xsrv:wordAsStated {string(f.data['number'])}",
                ],
                f,
            )
        )
    if "date" in facts:
        f = facts["date"]
        text.append(
            w.block(
                "plan:fact-date",
                "xsrv:EditorialNote",
                [
                    f"rdfs:comment {string(NOTE, lang='zh')} , {string(NOTE_EN, lang='en')}",
                    f"rdfs:label {string('成文日期：' + f.data['date'], lang='zh')}",
                    f"xsrv:concerns doc:{d.doc_id} ; xsrv:concernsProperty eli:date_document",
                    f'dcterms:date "{f.data["date"]}"^^xsd:date',
                ],
                f,
            )
        )
    if "issuer" in facts:
        f = facts["issuer"]
        text.append(
            w.block(
                w.body(f.data["issuer"]),
                "org:Organization",
                [
                    f"rdfs:label {string(f.data['issuer'], lang='zh')}",
                    f"rdfs:comment {string('起草：本文件的发文机关', lang='zh')}",
                ],
                f,
            )
        )
    for status in d.of("status"):
        text.append(
            w.block(
                f"plan:fact-{status.data['status']}",
                "xsrv:EditorialNote",
                [
                    f"rdfs:comment {string(NOTE, lang='zh')} , {string(NOTE_EN, lang='en')}",
                    f"rdfs:label {string('状态词：' + status.data['word'], lang='zh')}",
                    f"xsrv:concerns doc:{d.doc_id} ; xsrv:concernsProperty xsrv:documentStatus",
                    f"xsrv:wordAsStated {string(status.data['word'])}",
                ],
                status,
            )
        )
    for i, f in enumerate(d.of("basis")):
        props = [
            f"eli:title {string(f.data['title'], lang='zh')}",
            f"rdfs:label {string(f.data.get('number') or f.data['title'], lang='zh')}",
        ]
        if "number" in f.data:
            props.append(f"eli:id_local {string(f.data['number'])}")
        if "issuer" in f.data:
            props.append(f"eli:passed_by {w.body(f.data['issuer'])}")
        text.append(w.block(f"plan:basis-{i + 1}", "xsrv:PolicyDocument", props, f))
        if "issuer" in f.data:
            text.append(
                w.block(
                    w.body(f.data["issuer"]),
                    "org:Organization",
                    [f"rdfs:label {string(f.data['issuer'], lang='zh')}"],
                    f,
                )
            )
    return "\n".join(text)
