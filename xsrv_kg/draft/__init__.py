"""Drafting a document's graph from its text (issue 17): `draft` reads the facts, each with
its spans; `write_draft` writes them as Turtle in a document folder, marked as drafts."""

from xsrv_kg.draft.engine import draft
from xsrv_kg.draft.files import draft_file
from xsrv_kg.draft.model import Draft, Fact, Span, unstated
from xsrv_kg.draft.write import write_draft

__all__ = ["Draft", "Fact", "Span", "draft", "draft_file", "unstated", "write_draft"]
