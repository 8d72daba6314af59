"""The query workbench at ``/`` and its twin ``/queries.json`` (HTTP level, no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from xsrv_kg.config import DEFAULT_HOME
from xsrv_kg.server.blueprints.workbench import YASGUI, curated_queries, parse_header
from xsrv_kg.vocab import PREFIXES

WEB = DEFAULT_HOME / "web"
VENDOR = WEB / YASGUI


def settings_of(html: str) -> dict:
    """The JSON in ``#workbench[data-settings]`` (how the page passes data to its script)."""
    import html as html_lib

    match = re.search(r'id="workbench" data-settings="([^"]*)"', html)
    assert match, "no #workbench[data-settings]"
    return json.loads(html_lib.unescape(match[1]))


def test_parse_header_reads_titles_comments_and_the_body():
    meta, body = parse_header("# title@zh: 甲\n# title@en: A\n# comment@zh: 说明\n"
                              "# comment@en: About A\nSELECT * WHERE { ?s ?p ?o }\n")
    assert meta == {"title": {"zh": "甲", "en": "A"}, "comment": {"zh": "说明", "en": "About A"}}
    assert body == "SELECT * WHERE { ?s ?p ?o }\n"


def test_parse_header_stops_at_the_first_other_line():
    meta, body = parse_header("# title@en: A\n# a plain comment\n# title@zh: 不是标题\nASK {}\n")
    assert meta["title"] == {"en": "A"}
    assert body.startswith("# a plain comment\n")


def test_page_is_html_with_csp_and_the_link_to_its_twin(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Link"] == '</queries.json>; rel="alternate"; type="application/json"'
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert '<link rel="alternate" type="application/json" href="/queries.json">' in html
    assert 'id="yasgui"' in html


def test_page_loads_only_our_own_scripts_and_styles(client):
    html = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
    assert f"/static/{YASGUI}/yasgui.min.js" in sources
    assert "/static/workbench.js" in sources
    assert f"/static/{YASGUI}/yasgui.min.css" in sheets
    assert "/static/workbench.css" in sheets
    for url in sources + sheets:
        assert url.startswith("/") and not url.startswith("//"), url
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)
    # No inline script: the CSP would block it.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_static_assets_are_served(client):
    for path in (f"/static/{YASGUI}/yasgui.min.js", f"/static/{YASGUI}/yasgui.min.css",
                 "/static/workbench.js", "/static/workbench.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


@pytest.mark.parametrize("lang, title", [("zh", "各类乡镇（街道）"), ("en", "Townships by category")])
def test_gallery_titles_follow_the_page_language(client, lang, title):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert html.count('class="wb-query"') == len(list((DEFAULT_HOME / "queries").glob("*.rq")))
    assert f">{title}</a>" in html
    assert f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">' in html


def test_language_from_accept_language(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "Curated queries" in html and ">Townships by category</a>" in html


def test_gallery_links_carry_the_query_as_a_permalink(client):
    html = client.get("/").get_data(as_text=True)
    hrefs = re.findall(r'class="wb-query" data-name="townships-by-category"\s+href="([^"]+)"', html)
    assert len(hrefs) == 1 and hrefs[0].startswith("/?query=")
    # The query after its title lines: its parameter lines (comments: in the workbench $doc is
    # left free, every document), then the SELECT.
    from urllib.parse import parse_qs, urlsplit

    [query] = parse_qs(urlsplit(hrefs[0].replace("&amp;", "&")).query)["query"]
    assert query.startswith("# param: doc document *\n") and "\nSELECT " in query


def test_page_settings_for_the_script(client):
    settings = settings_of(client.get("/?lang=en").get_data(as_text=True))
    assert settings["endpoint"] == "/sparql"
    assert settings["lang"] == "en"
    assert settings["prefixes"] == PREFIXES
    assert "VALUES ?iri { }" in settings["labelsQuery"]
    assert "graph:ontology" in settings["termsQuery"]
    assert settings["words"]["download_csv"] == "Download CSV"
    assert "xsrv:" in settings["defaultQuery"]


def test_the_page_sparql_runs(client):
    """The labels, terms and default queries the page sends are valid and answer."""
    settings = settings_of(client.get("/").get_data(as_text=True))
    labels = settings["labelsQuery"].replace(
        "VALUES ?iri { }", "VALUES ?iri { <https://w3id.org/xsrv-kg/id/division/xiushan-yongdong> }")
    for query in (labels, settings["termsQuery"], settings["defaultQuery"]):
        response = client.post("/sparql", data={"query": query},
                               headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        rows = response.get_json()["results"]["bindings"]
        assert rows
    label_rows = client.post("/sparql", data={"query": labels},
                             headers={"Accept": "application/sparql-results+json"}).get_json()
    assert "涌洞乡" in {b["label"]["value"] for b in label_rows["results"]["bindings"]}


def test_twin_lists_every_curated_query(client):
    response = client.get("/queries.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    queries = response.get_json()["queries"]
    assert len(queries) >= 20
    files = {q["file"] for q in queries}
    assert files == {p.name for p in (DEFAULT_HOME / "queries").glob("*.rq")}
    for q in queries:
        assert q["title"]["zh"] and q["title"]["en"], q["file"]
        assert q["comment"]["zh"] and q["comment"]["en"], q["file"]
        assert not q["query"].lstrip().startswith("# title@"), q["file"]
        assert re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", q["query"]), q["file"]
    townships = next(q for q in queries if q["name"] == "townships-by-category")
    assert townships["title"] == {"zh": "各类乡镇（街道）", "en": "Townships by category"}


def test_page_negotiates_to_its_twin(client):
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    assert response.get_json() == client.get("/queries.json").get_json()


def test_curated_queries_reads_any_folder(tmp_path: Path):
    (tmp_path / "b.rq").write_text("# title@en: B\nASK {}\n", encoding="utf-8")
    (tmp_path / "a.rq").write_text("ASK {}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a query", encoding="utf-8")
    got = curated_queries(tmp_path)
    assert [q["file"] for q in got] == ["a.rq", "b.rq"]
    assert got[0]["title"] == {} and got[1]["title"] == {"en": "B"}


def test_vendored_yasgui_with_version_and_licence():
    assert VENDOR.name == "yasgui-4.6.2"
    js, css = VENDOR / "yasgui.min.js", VENDOR / "yasgui.min.css"
    assert js.stat().st_size > 500_000 and css.stat().st_size > 10_000
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    readme = (WEB / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "@zazuko/yasgui" in readme and "4.6.2" in readme and "MIT" in readme
    assert "sha512-" in readme and "zazuko-yasgui-4.6.2.tgz" in readme


def test_no_cdn_in_our_page_code():
    for path in (WEB / "workbench.js", WEB / "workbench.css",
                 DEFAULT_HOME / "xsrv_kg" / "templates" / "workbench.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path
        for cdn in ("unpkg", "jsdelivr", "cdnjs", "googleapis"):
            assert cdn not in text, (path, cdn)
