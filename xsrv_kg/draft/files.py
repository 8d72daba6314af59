"""draft_file(): what `xsrv-kg draft TEXT_FILE --id ID [--area NAME]` does, for the CLI to
call: read the text, draft it, write the folder, with a clear error for bad input.

A draft never overwrites a folder that already holds Turtle: curated data is not replaced
by a draft by accident.
"""

from __future__ import annotations

import re
from pathlib import Path

from xsrv_kg.draft.codes import ROOT, load_tables
from xsrv_kg.draft.engine import draft
from xsrv_kg.draft.model import Draft
from xsrv_kg.draft.write import defined_terms, write_draft
from xsrv_kg.errors import BadInput

DOC_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def draft_file(
    source: Path, *, doc_id: str, folder: Path, area: str | None = None, home: Path | None = None
) -> tuple[Draft, list[Path]]:
    """Draft `source` (a UTF-8 text file) as document `doc_id` into `folder`; `home` is the
    project home whose reference tables and ontology are used (the CLI passes config.home)."""
    if not DOC_ID.fullmatch(doc_id):
        raise BadInput(
            f"document id {doc_id!r}: use lowercase letters, digits and dashes "
            "(e.g. xiushan-plan); it becomes part of every IRI of the draft"
        )
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{source}: no such file") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source}: not UTF-8 text (byte {exc.start}); convert it first") from None
    if not text.strip():
        raise BadInput(f"{source}: the file is empty")
    if folder.exists() and any(folder.glob("*.ttl")):
        raise BadInput(
            f"{folder} already holds Turtle files; a draft does not overwrite them "
            "(choose another folder or move them away)"
        )
    root = home or ROOT
    result = draft(text, doc_id=doc_id, area=area, codes=load_tables(root))
    return result, write_draft(result, folder, terms=defined_terms(root))
