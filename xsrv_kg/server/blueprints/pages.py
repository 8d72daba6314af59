"""What every HTML page shares: the language, the layout, and its machine-readable twin.

Every page has a JSON or RDF twin (Datasette's rule): :func:`page` renders the HTML with a
``Link: <twin>; rel="alternate"`` header and the same link on the page, or returns the twin
when the client prefers it (``Accept``) or asked for it (a ``.json`` URL).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify, render_template, request

from ...query.negotiation import prefers
from ..i18n import HTML_LANG, WORDS, other_lang, request_lang


def wants_json() -> bool:
    """The client prefers JSON to HTML (a browser sends text/html first)."""
    return prefers(request.headers.get("Accept"), ["text/html", "application/json"]) \
        == "application/json"


def page(template: str, *, twin: str, twin_type: str = "application/json",
         data: Callable[[], object] | None = None, **context: object) -> Response:
    """Render ``template`` (or the JSON twin when preferred) with the shared context."""
    if data is not None and wants_json():
        response = jsonify(data())
        response.vary.add("Accept")
        return response
    lang = request_lang()
    html = render_template(template, lang=lang, html_lang=HTML_LANG[lang], w=WORDS[lang],
                           other_lang=other_lang(lang), twin=twin, twin_type=twin_type,
                           **context)
    response = Response(html, 200, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="{twin_type}"'
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
