"""Drafting a document's graph from its text (issue 17)."""
