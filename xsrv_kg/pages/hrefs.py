"""Where a link to an IRI goes on this server: the one mapping from minted IRIs to paths.

The IRI ``<base>PATH#frag`` is served at ``/PATH#frag``; other http(s) IRIs link to
themselves; anything else (``javascript:``, ``urn:``, blank nodes) links nowhere.
"""

from __future__ import annotations


def href(iri: str | None, base_iri: str, *, root: str = "", lang: str | None = None) -> str | None:
    """The link for ``iri``; ``lang`` is kept on local links (``?lang=en``)."""
    if not iri:
        return None
    if iri.startswith(base_iri):
        path, hash_, fragment = iri[len(base_iri):].partition("#")
        url = f"{root}/{path}" + (f"?lang={lang}" if lang else "")
        return url + (f"#{fragment}" if hash_ else "")
    if iri.startswith(("http://", "https://")):
        return iri
    return None
