"""``/documents``: every policy document of the dataset, from the data, with its overview."""

from __future__ import annotations

import re

from .conftest import rows


def test_the_index_lists_every_policy_document_the_data_holds(client, store) -> None:
    expected = {r["d"] for r in rows(store, "SELECT ?d { ?d a xsrv:PolicyDocument }")}
    model = client.get("/documents.json?lang=en").get_json()
    assert {d["iri"] for d in model["documents"]} == expected
    assert len(expected) >= 2  # the county plan and the municipal plan at least


def test_each_document_says_what_the_data_states_and_nothing_else(client, store) -> None:
    model = client.get("/documents.json?lang=zh").get_json()
    for doc in model["documents"]:
        issuers = {r["i"] for r in rows(store, f"SELECT ?i {{ <{doc['iri']}> eli:passed_by ?i }}")}
        assert {t["iri"] for t in doc["issuer"]} == issuers
        rules = rows(store, f"""SELECT (COUNT(DISTINCT ?r) AS ?n) {{
            ?r a xsrv:FundRule ; xsrv:statedBy <{doc['iri']}> }}""")
        assert doc["stated"]["rules"] == int(rows_value(rules))
        assert doc["date"] is None or re.match(r"\d{4}", doc["date"])


def rows_value(found: list[dict[str, str]]) -> str:
    return next(iter(found[0].values()))


def test_every_document_links_to_its_own_overview(client) -> None:
    html = client.get("/documents?lang=en", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    links = [h.replace("&amp;", "&")
             for h in re.findall(r'class="document-overview" href="([^"]+)"', html)]
    model = client.get("/documents.json").get_json()
    assert len(links) == len(model["documents"])
    for link, doc in zip(links, model["documents"], strict=True):
        overview = client.get(link.replace("/overview?", "/overview.json?")).get_json()
        assert overview["document"]["iri"] == doc["iri"]


def test_every_page_links_the_index(client) -> None:
    html = client.get("/overview", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/documents?lang=' in html
