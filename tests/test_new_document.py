"""``xsrv-kg new-document``: a document's folder scaffolded from ``templates/document/``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg.config import DEFAULT_HOME, Config

from .conftest import Runner

EXAMPLE_TEXT = DEFAULT_HOME / "tests" / "fixtures" / "example-plan" / "source.txt"
TITLE = "示例自治县分类推进乡村振兴实施方案（虚构示例）"
ELI = "http://data.europa.eu/eli/ontology#"
DOC = "https://w3id.org/xsrv-kg/id/doc/"


@pytest.fixture
def home(tmp_path: Path) -> Config:
    """A project home with the templates and an empty data/documents/."""
    shutil.copytree(DEFAULT_HOME / "templates", tmp_path / "templates")
    (tmp_path / "data" / "documents").mkdir(parents=True)
    return Config(home=tmp_path)


def scaffold(runner: Runner, config: Config, *args: str):
    return runner.invoke(args=["new-document", *args], obj=config)


def triples(path: Path) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


def test_a_scaffold_has_its_own_prefix_title_area_and_text(runner: Runner, home: Config,
                                                            tmp_path: Path) -> None:
    result = scaffold(runner, home, "example-plan", "--title", TITLE, "--area",
                      "example-county", "--text", str(EXAMPLE_TEXT))
    assert result.exit_code == 0, result.stderr
    folder = home.data_dir / "documents" / "example-plan"
    assert result.stdout.splitlines()[0] == (
        f"created {folder}: README.md classification.ttl divisions.ttl document.ttl "
        "funding.ttl source.txt")
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "classification.ttl", "divisions.ttl", "document.ttl", "funding.ttl",
        "source.txt"]
    assert (folder / "source.txt").read_bytes() == EXAMPLE_TEXT.read_bytes()
    for path in folder.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        assert "DOC-SLUG" not in text and "COUNTY-SLUG" not in text, path.name
        assert f"@prefix plan:    <{DOC}example-plan/> ." in text, path.name
        triples(path)  # parses
    document = triples(folder / "document.ttl")
    assert (f"{DOC}example-plan", f"{ELI}title", TITLE) in document
    assert (f"{DOC}example-plan", "http://purl.org/dc/terms/spatial",
            "https://w3id.org/xsrv-kg/id/division/example-county") in document
    # The title's span is computed from the text; no （试行） in the title, so no trial status.
    text = (folder / "document.ttl").read_text(encoding="utf-8")
    start = EXAMPLE_TEXT.read_text(encoding="utf-8").index(TITLE)
    assert (f'[ oa:hasSource plan:text ; oa:start {start} ; oa:end {start + len(TITLE)} ; '
            f'oa:exact "{TITLE}" ]') in text
    assert "status-trial" not in text
    assert (folder / "README.md").read_text(encoding="utf-8").startswith(f"# {TITLE}\n")
    # The new folder's text is its own default source for `span`.
    span = runner.invoke(args=["span", str(folder / "source.txt"), "甲镇", "--within", "甲镇。"])
    assert span.stdout.strip() == (
        '[ oa:hasSource plan:text ; oa:start 168 ; oa:end 170 ; oa:exact "甲镇" ]')


def test_what_is_not_given_stays_a_placeholder(runner: Runner, home: Config) -> None:
    result = scaffold(runner, home, "bare")
    assert result.exit_code == 0, result.stderr
    folder = home.data_dir / "documents" / "bare"
    assert not (folder / "source.txt").exists()
    assert f"next: put the document's text (UTF-8) in {folder / 'source.txt'}" in result.stdout
    text = (folder / "document.ttl").read_text(encoding="utf-8")
    assert 'eli:title "TITLE"@zh' in text and "dcterms:spatial div:COUNTY-SLUG" in text
    assert "xsrv:documentStatus xsrv:status-trial ;     # if the title says" in text
    assert 'rdfs:label "发文机关与日期未载明"@zh' in text
    assert "eli:passed_by" not in text.split("# Document: the plan itself")[1].split(
        "plan:text a")[0]


def test_a_trial_title_keeps_the_trial_status_and_an_absent_title_says_why(
        runner: Runner, home: Config) -> None:
    result = scaffold(runner, home, "trial", "--title", "某县方案（试行）", "--text",
                      str(EXAMPLE_TEXT))
    assert result.exit_code == 0, result.stderr
    assert "note: the title's span is left at 0: quote '某县方案（试行）' occurs 0 times" \
        in result.stdout
    text = (home.data_dir / "documents" / "trial" / "document.ttl").read_text(encoding="utf-8")
    assert "    xsrv:documentStatus xsrv:status-trial ;\n" in text
    assert 'oa:start 0 ; oa:end 0 ; oa:exact "某县方案（试行）" ]' in text


@pytest.mark.parametrize(("given", "note"), [
    (["--issuer", "示例自治县人民政府", "--date", "2024-05-01"], None),
    (["--issuer", "示例自治县人民政府"], "Date not stated"),
    (["--date", "2024-05-01"], "Issuer not stated")])
def test_issuer_and_date_are_stated_and_the_note_says_only_what_is_missing(
        runner: Runner, home: Config, given: list[str], note: str | None) -> None:
    result = scaffold(runner, home, "issued", "--area", "x", *given)
    assert result.exit_code == 0, result.stderr
    path = home.data_dir / "documents" / "issued" / "document.ttl"
    found = triples(path)
    doc = f"{DOC}issued"
    issuer = "https://w3id.org/xsrv-kg/id/body/issued-issuer"
    assert ((doc, f"{ELI}passed_by", issuer) in found) is ("--issuer" in given)
    if "--issuer" in given:
        assert (issuer, "http://www.w3.org/2000/01/rdf-schema#label", "示例自治县人民政府") in found
    dates = [q for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
             if q.predicate.value == f"{ELI}date_document"]
    assert [(d.object.value, d.object.datatype.value) for d in dates] == (
        [("2024-05-01", "http://www.w3.org/2001/XMLSchema#date")] if "--date" in given else [])
    labels = {o for s, p, o in found if s == f"{doc}/note-issuer" and p.endswith("#label")}
    assert labels == {None: set(), "Date not stated": {"印发日期未载明", "Date not stated"},
                      "Issuer not stated": {"发文机关未载明", "Issuer not stated"}}[note]
    assert "Issuer and date not stated" not in path.read_text(encoding="utf-8")


def test_a_notice_or_list_gets_designations_and_no_fund_rules(runner: Runner,
                                                              home: Config) -> None:
    for kind in ("notice", "list"):
        result = scaffold(runner, home, f"a-{kind}", "--kind", kind)
        assert result.exit_code == 0, result.stderr
        folder = home.data_dir / "documents" / f"a-{kind}"
        assert sorted(p.name for p in folder.iterdir()) == [
            "README.md", "designations.ttl", "divisions.ttl", "document.ttl"]
        assert "funding.ttl" not in (folder / "README.md").read_text(encoding="utf-8")
        document = (folder / "document.ttl").read_text(encoding="utf-8")
        assert f"eli:type_document xsrv:type-{kind} ;" in document
        assert "dcterms:spatial div:AREA-SLUG ;" in document
        # No title given: the statuses and the notice period stay, with what to do with them.
        assert "xsrv:documentStatus xsrv:status-public-notice ;     # if the title says 公示" \
            in document
        assert "xsrv:noticePeriod plan:notice-period ;     # if the text dates" in document
        found = triples(folder / "divisions.ttl") | triples(folder / "designations.ttl")
        xsrv = "https://w3id.org/xsrv-kg/ontology#"
        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        assert ("https://w3id.org/xsrv-kg/id/division/AREA-SLUG", rdf_type,
                f"{xsrv}PrefectureLevelDivision") in found
        assert (f"{DOC}a-{kind}/assign-VILLAGE", f"{xsrv}designationStatus",
                f"{xsrv}designation-proposed") in found


@pytest.mark.parametrize(("title", "public", "status"), [
    ("关于示例市拟评定示范村名单的公示", True, "proposed"),
    ("示例市拟命名示范村名单", False, "proposed"),
    ("示例市乡村振兴示范村名单", False, "final")])
def test_a_list_s_title_decides_its_notice_status_and_its_designations_status(
        runner: Runner, home: Config, title: str, public: bool, status: str) -> None:
    result = scaffold(runner, home, "listed", "--kind", "list", "--title", title,
                      "--area", "example-city")
    assert result.exit_code == 0, result.stderr
    folder = home.data_dir / "documents" / "listed"
    document = (folder / "document.ttl").read_text(encoding="utf-8")
    assert ("    xsrv:documentStatus xsrv:status-public-notice ;\n" in document) is public
    assert ("    xsrv:noticePeriod plan:notice-period ;\n" in document) is public
    assert ("plan:notice-period a time:ProperInterval" in document) is public
    assert "status-trial" not in document and "# if the title says" not in document
    assert "dcterms:spatial div:example-city ;" in document
    designations = (folder / "designations.ttl").read_text(encoding="utf-8")
    assert f"xsrv:designationStatus xsrv:designation-{status} ;" in designations
    assert "div:example-city-COUNTY-TOWNSHIP-VILLAGE" in designations
    assert "AREA-SLUG" not in designations + document + (
        folder / "divisions.ttl").read_text(encoding="utf-8")


def test_an_existing_folder_is_never_overwritten(runner: Runner, home: Config) -> None:
    folder = home.data_dir / "documents" / "taken"
    folder.mkdir()
    (folder / "document.ttl").write_text("# mine\n", encoding="utf-8")
    result = scaffold(runner, home, "taken", "--title", "T")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"xsrv-kg: error: {folder} already exists: new-document never "
                             "overwrites a document; edit it, or remove it first\n")
    assert [p.name for p in folder.iterdir()] == ["document.ttl"]
    assert (folder / "document.ttl").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(("args", "message"), [
    (["Example Plan"], "the document id 'Example Plan' must be a slug"),
    (["ok", "--area", "Xiu Shan"], "the area 'Xiu Shan' must be a slug"),
    (["ok", "--date", "2024-13-01"], "the date '2024-13-01' is not an ISO date"),
    (["ok", "--title", " "], "the title is empty"),
    (["ok", "--text", "LATIN1"], "is not UTF-8 text"),
    (["ok", "--kind", "award"], "'award' is not one of 'plan', 'notice', 'list'")])
def test_bad_input_is_refused_and_leaves_nothing(runner: Runner, home: Config, tmp_path: Path,
                                                 args: list[str], message: str) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("示例".encode("gb18030"))
    args = [str(latin1) if a == "LATIN1" else a for a in args]
    result = scaffold(runner, home, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list((home.data_dir / "documents").iterdir()) == []


def test_the_issuers_span_is_placed_when_the_text_names_it_once(runner: Runner, home: Config,
                                                                  tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    text.write_text("某县方案\n某县人民政府办公室\n2024年5月1日\n某县人民政府", encoding="utf-8")
    once = scaffold(runner, home, "once", "--issuer", "某县人民政府办公室", "--text", str(text))
    assert once.exit_code == 0, once.stderr
    assert "note:" not in once.stdout
    body = (home.data_dir / "documents" / "once" / "document.ttl").read_text(encoding="utf-8")
    assert ('[ oa:hasSource plan:text ; oa:start 5 ; oa:end 14 ; oa:exact "某县人民政府办公室" ]'
            in body)
    twice = scaffold(runner, home, "twice", "--issuer", "某县人民政府", "--text", str(text))
    assert twice.exit_code == 0, twice.stderr
    assert ("note: the issuer's span is left at 0: quote '某县人民政府' occurs 2 times in the "
            "text (at 5, 25); place it with xsrv-kg span … --within PASSAGE") in twice.stdout
