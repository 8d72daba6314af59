"""Every draft invents nothing, and its Turtle loads with the ontology, marked as a draft."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF

from xsrv_kg.draft import draft, unstated, write_draft

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures/draft"
XSRV = rdflib.Namespace("https://w3id.org/xsrv-kg/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SNIPPETS = [
    "先行示范类（2个）：隘口镇、洪安镇",
    "全镇共有26个村。",
    "市财政每年安排500万元",
    "对示范村，县财政连续3年每年安排100万元。",
    "在5年过渡期内，对重点乡镇，市财政每年补助1000万元；对其他乡镇，县财政每年每个补助200万元。",
    "每季度召开一次",
    "某县人民政府\n2021年10月21日",
    "渝委农组〔2021〕9号",
    "每个乡镇补助100万元",
    "合计2000万元",
    "甲区：乙镇丙村",
    "将东山、西河2个镇列为示范镇",
]


def _texts() -> list[tuple[str, str, str | None]]:
    out = [
        (
            "xiushan-plan",
            (ROOT / "data/documents/xiushan-plan/source.txt").read_text(encoding="utf-8"),
            "秀山土家族苗族自治县",
        ),
        (
            "chongqing-plan",
            (ROOT / "data/documents/chongqing-plan/source.txt").read_text(encoding="utf-8"),
            "重庆市",
        ),
    ]
    for folder in sorted(p for p in FIXTURES.iterdir() if (p / "source.txt").exists()):
        area = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["area"]
        out.append((folder.name, (folder / "source.txt").read_text(encoding="utf-8"), area))
    notice = ROOT / "tests/fixtures/example-notice/source.txt"
    out.append(("example-notice", notice.read_text(encoding="utf-8"), "青禾市"))
    out += [(f"snippet-{i}", text, None) for i, text in enumerate(SNIPPETS)]
    return out


TEXTS = _texts()


@pytest.mark.parametrize(("name", "text", "area"), TEXTS, ids=[t[0] for t in TEXTS])
def test_every_fact_of_a_draft_is_in_the_text_of_its_spans(
    name: str, text: str, area: str | None
) -> None:
    d = draft(text, doc_id=name, area=area)
    assert d.facts
    for fact in d.facts:
        assert fact.spans and all(text[s.start : s.end] == s.exact for s in fact.spans), fact
        assert unstated(fact) == [], fact
        assert fact.stated, fact
    # draft() drops a fact that would invent; none of these texts needs it to.
    assert [c for c in d.checks if c.startswith("dropped")] == []


def _ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@pytest.mark.parametrize(("name", "text", "area"), TEXTS[:7], ids=[t[0] for t in TEXTS[:7]])
def test_the_written_draft_parses_and_uses_only_terms_the_ontology_defines(
    tmp_path: Path, name: str, text: str, area: str | None
) -> None:
    paths = write_draft(draft(text, doc_id=name, area=area), tmp_path)
    assert {p.name for p in paths} == {
        "document.ttl",
        "divisions.ttl",
        "classification.ttl",
        "funding.ttl",
        "goals.ttl",
    }
    assert (tmp_path / "source.txt").read_text(encoding="utf-8") == text
    data = rdflib.Graph()
    for path in paths:
        list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))  # the store's own parser
        data.parse(path, format="turtle")
    ontology = _ontology()
    defined = set(ontology.subjects())
    used = {
        t
        for triple in data
        for t in triple
        if isinstance(t, rdflib.URIRef) and t.startswith(str(XSRV))
    }
    assert used - defined == set()
    spanned = set(data.subjects(XSRV.sourceSpan, None))
    assert spanned and all((s, XSRV.reviewStatus, XSRV["review-draft"]) in data for s in spanned)
    for span in data.objects(None, XSRV.sourceSpan):
        start, end = int(data.value(span, OA.start)), int(data.value(span, OA.end))
        assert text[start:end] == str(data.value(span, OA.exact))
    assert (
        rdflib.URIRef(f"https://w3id.org/xsrv-kg/id/doc/{name}"),
        RDF.type,
        XSRV.PolicyDocument,
    ) in data


def test_the_xiushan_draft_writes_its_fund_rules_in_the_projects_vocabulary(tmp_path: Path) -> None:
    text = (ROOT / "data/documents/xiushan-plan/source.txt").read_text(encoding="utf-8")
    write_draft(draft(text, doc_id="xiushan-draft", area="秀山土家族苗族自治县"), tmp_path)
    g = rdflib.Graph().parse(tmp_path / "funding.ttl", format="turtle")
    amounts = sorted(int(g.value(r, XSRV.amount)) for r in g.subjects(RDF.type, XSRV.FundRule))
    assert amounts == [2000000, 2000000, 5000000, 5000000, 10000000]
    g = rdflib.Graph().parse(tmp_path / "classification.ttl", format="turtle")
    assert len(set(g.subjects(RDF.type, XSRV.CategoryAssignment))) == 40


def test_draft_file_writes_a_folder_and_refuses_bad_input_with_a_clear_message(tmp_path: Path) -> None:
    from xsrv_kg.draft import draft_file
    from xsrv_kg.errors import BadInput

    source = FIXTURES / "grouped-plan" / "source.txt"
    result, paths = draft_file(source, doc_id="grouped", folder=tmp_path / "out", area="江岸县")
    assert result.facts and all(p.exists() for p in paths)
    with pytest.raises(BadInput, match="already holds Turtle"):
        draft_file(source, doc_id="grouped", folder=tmp_path / "out")
    with pytest.raises(BadInput, match="lowercase letters"):
        draft_file(source, doc_id="Grouped Plan", folder=tmp_path / "x")
    (tmp_path / "gbk.txt").write_bytes("秀山".encode("gbk"))
    with pytest.raises(BadInput, match="not UTF-8"):
        draft_file(tmp_path / "gbk.txt", doc_id="g", folder=tmp_path / "y")
    with pytest.raises(BadInput, match="no such file"):
        draft_file(tmp_path / "missing.txt", doc_id="g", folder=tmp_path / "z")


def test_drafting_fragments_and_noise_never_fails_and_never_needs_to_drop_a_fact() -> None:
    import random

    rng = random.Random(17)
    noise = "一二两十百千万零〇个村镇乡区县市（）：、，。；年月日每连续万元亿元合计对财政类奖《》〔〕号\n甲乙丙"
    for i in range(300):
        _, text, _ = rng.choice(TEXTS[:7])
        start = rng.randrange(len(text))
        piece = (text[start:start + rng.randrange(300)] if i % 2 else
                 "".join(rng.choice(noise) for _ in range(rng.randrange(60))))
        d = draft(piece, doc_id="noise", area=rng.choice([None, "秀山土家族苗族自治县"]))
        assert [c for c in d.checks if c.startswith("dropped")] == [], piece
        assert all(unstated(f) == [] for f in d.facts), piece
