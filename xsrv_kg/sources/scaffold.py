"""A new document's folder, scaffolded from ``templates/document/`` (``xsrv-kg new-document``).

The template's placeholders are words in CAPITALS. The ones a command can fill are filled
here: ``DOC-SLUG`` (the document's id, so its namespace ``plan:`` is its own and its text
``plan:text`` the source ``xsrv-kg span`` finds by default), ``COUNTY-SLUG`` (the area), the
title (and its span, when the text is given and holds it once), the issuer and the date. The
rest stay in CAPITALS for the researcher, and validation lists every one of them that is left
(a placeholder span or count is a violation). A folder that exists is never touched: a
scaffold is the start of a document, not a way to reset one.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from ..config import Config
from ..errors import BadInput
from ..turtle import string
from .spans import locate, node_turtle

#: The kinds of document a scaffold is made for, and the template files each one gets: a
#: notice or a list names places but assigns no money, so it gets no fund rules.
KINDS: dict[str, tuple[str, ...]] = {
    "plan": ("document.ttl", "divisions.ttl", "classification.ttl", "funding.ttl", "README.md"),
    "notice": ("document.ttl", "divisions.ttl", "classification.ttl", "README.md"),
    "list": ("document.ttl", "divisions.ttl", "classification.ttl", "README.md"),
}
#: The document type (eli:type_document) each kind states; the template's line is the plan's.
TYPES = {"plan": "xsrv:type-plan", "notice": "xsrv:type-notice", "list": "xsrv:type-list"}
TYPE_LINE = "    eli:type_document xsrv:type-plan ;"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_NAME = "source.txt"


@dataclass(frozen=True)
class Scaffold:
    """What :func:`new_document` wrote."""

    folder: Path
    files: tuple[str, ...]
    #: Spans left at offsets 0, and why (no text given, or the quote not found once in it).
    notes: tuple[str, ...] = ()


def _slug(value: str, what: str) -> str:
    if not SLUG.fullmatch(value):
        raise BadInput(f"{what} {value!r} must be a slug: lower-case ASCII letters and digits "
                       "joined by single dashes (pinyin, e.g. example-plan)")
    return value


def _replace(text: str, old: str, new: str, *, file: str) -> str:
    """``text`` with ``old`` replaced, which must be there: a template that changed under the
    scaffold must fail its tests, not leave a placeholder quietly."""
    if old not in text:
        raise AssertionError(f"templates/document/{file} no longer has {old!r}")
    return text.replace(old, new)


def new_document(config: Config, doc_id: str, *, title: str | None = None,
                 issuer: str | None = None, area: str | None = None,
                 date: str | None = None, kind: str = "plan",
                 text_file: Path | None = None) -> Scaffold:
    """Create ``data/documents/DOC_ID/`` from the template, filled with what is given.

    ``area`` is the slug of the division the document covers (``div:AREA``); ``issuer`` the
    issuing body as the text names it (a body ``body:DOC_ID-issuer``); ``date`` an ISO date
    (``eli:date_document``); ``text_file`` is copied byte for byte to ``source.txt``.
    """
    _slug(doc_id, "the document id")
    if area is not None:
        area = _slug(area.removeprefix("div:"), "the area")
    if kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if date is not None:
        try:
            Date.fromisoformat(date)
        except ValueError:
            raise BadInput(f"the date {date!r} is not an ISO date (YYYY-MM-DD)") from None
    for value, what in ((title, "title"), (issuer, "issuer")):
        if value is not None and not value.strip():
            raise BadInput(f"the {what} is empty")
    template = config.home / "templates" / "document"
    if not template.is_dir():
        raise BadInput(f"no document template at {template}")
    documents = config.data_dir / "documents"
    folder = documents / doc_id
    if folder.exists():
        raise BadInput(f"{folder} already exists: new-document never overwrites a document; "
                       "edit it, or remove it first")
    text = None
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{text_file} is not UTF-8 text: {exc}") from None
        except OSError as exc:
            raise BadInput(f"cannot read {text_file}: {exc.strerror}") from None

    filled = {}
    notes: list[str] = []
    for name in KINDS[kind]:
        content = (template / name).read_text(encoding="utf-8")
        content = content.replace("DOC-SLUG", doc_id)
        if area is not None:
            content = content.replace("COUNTY-SLUG", area)
        if name == "document.ttl":
            content = _replace(content, TYPE_LINE, TYPE_LINE.replace("xsrv:type-plan",
                                                                     TYPES[kind]), file=name)
            content = _fill_document(content, doc_id, title=title, issuer=issuer, date=date,
                                     text=text, notes=notes)
        elif name == "README.md":
            if title is not None:
                content = _replace(content, "# TITLE\n", f"# {title}\n", file=name)
            if "funding.ttl" not in KINDS[kind]:
                content = "".join(line for line in content.splitlines(keepends=True)
                                  if "`funding.ttl`" not in line)
        filled[name] = content

    # Written in a scratch folder beside the target and renamed: no half-made document.
    documents.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{doc_id}-", dir=documents))
    try:
        for name, content in filled.items():
            (scratch / name).write_text(content, encoding="utf-8")
        if text_file is not None:
            shutil.copyfile(text_file, scratch / SOURCE_NAME)
        scratch.rename(folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    written = (*filled, *((SOURCE_NAME,) if text_file is not None else ()))
    return Scaffold(folder, tuple(sorted(written)), tuple(notes))


def _span(text: str | None, quote: str, what: str, notes: list[str]) -> str:
    """The span node of ``quote`` in ``text``, or one at offsets 0 (which validation reports)
    with a note saying why."""
    if text is not None:
        try:
            return node_turtle("plan:text", *locate(
                text, quote, hint="place it with xsrv-kg span … --within PASSAGE"), quote)
        except BadInput as exc:
            notes.append(f"the {what}'s span is left at 0: {exc}")
    else:
        notes.append(f"the {what}'s span is left at 0: no text given")
    return node_turtle("plan:text", 0, 0, quote)


def _fill_document(content: str, doc_id: str, *, title: str | None, issuer: str | None,
                   date: str | None, text: str | None, notes: list[str]) -> str:
    """document.ttl with the title, issuer and date written in (``notes`` gets the spans
    that could not be placed)."""
    file = "document.ttl"
    if title is not None:
        literal = string(title)
        content = _replace(content, '"TITLE"@zh', f"{literal}@zh", file=file)
        content = _replace(content, "《TITLE》", f"《{literal[1:-1]}》", file=file)
        content = _replace(
            content, '[ oa:hasSource plan:text ; oa:start 0 ; oa:end 0 ; oa:exact "TITLE" ]',
            _span(text, title, "title", notes), file=file)
        # The template's status line says "if the title says （试行）; else delete": done here.
        status = re.search(r"^( {4}xsrv:documentStatus xsrv:status-trial ;).*\n", content, re.M)
        if status is None:
            raise AssertionError(f"templates/document/{file} no longer has the trial status")
        kept = status.group(1) + "\n" if "（试行）" in title else ""
        content = content[:status.start()] + kept + content[status.end():]
    stated = '    dcterms:language "zh" ;\n'
    if date is not None:
        content = _replace(content, stated,
                           f'{stated}    eli:date_document "{date}"^^xsd:date ;\n', file=file)
    if issuer is not None:
        body = f"body:{doc_id}-issuer"
        content = _replace(content, stated, f"{stated}    eli:passed_by {body} ;\n", file=file)
        issuer_span = _span(text, issuer, "issuer", notes)
        block = ("# The issuer, as the text names it (if the body has an IRI already, found with\n"
                 "# xsrv-kg search NAME, use that one instead).\n"
                 f"{body} a org:Organization ;\n"
                 f"    rdfs:label {string(issuer, lang='zh')} , \"ENGLISH NAME\"@en ;\n"
                 f"    xsrv:sourceSpan {issuer_span} .\n\n")
        content = _insert_before_first(content, "\nbody:", block, file=file)
    return _fill_note(content, issuer=issuer is not None, date=date is not None)


def _insert_before_first(content: str, anchor: str, block: str, *, file: str) -> str:
    at = content.find(anchor)
    if at == -1:
        raise AssertionError(f"templates/document/{file} no longer has {anchor!r}")
    return content[:at + 1] + block + content[at + 1:]


#: The editorial note on what the text leaves open, by what the scaffold was given.
_NOTES = {
    (True, False): ('"印发日期未载明"@zh , "Date not stated"@en',
                    '"正文未写明本文件的印发日期，故数据不断言。"@zh ,\n'
                    '        "The text does not give the document\'s date, so the data asserts '
                    'none."@en .'),
    (False, True): ('"发文机关未载明"@zh , "Issuer not stated"@en',
                    '"正文未写明本文件的发文机关，故数据不断言。"@zh ,\n'
                    '        "The text does not name the document\'s issuing body, so the data '
                    'asserts none."@en .'),
}


def _fill_note(content: str, *, issuer: bool, date: bool) -> str:
    """The template's note "issuer and date not stated", narrowed to what was not given, or
    gone when both were."""
    start = content.find("plan:note-issuer a xsrv:Ambiguity ;")
    if start == -1:
        raise AssertionError("templates/document/document.ttl no longer has plan:note-issuer")
    end = content.index(" .\n", start) + 3
    if not issuer and not date:
        return content
    if issuer and date:
        return content[:start] + "# (None yet: the issuer and the date are stated above.)\n" \
            + content[end:]
    label, comment = _NOTES[(issuer, date)]
    doc = re.search(r"xsrv:concerns (doc:\S+) ;", content[start:end])
    assert doc is not None
    note = (f"plan:note-issuer a xsrv:Ambiguity ;\n    rdfs:label {label} ;\n"
            f"    xsrv:concerns {doc.group(1)} ;\n    rdfs:comment {comment}\n")
    return content[:start] + note + content[end:]
