"""``xsrv-kg draft TEXT_FILE --id ID``: the command over :func:`xsrv_kg.draft.draft_file`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.draft import draft_file

from .conftest import Runner

FIXTURES = Path(__file__).parent / "fixtures" / "draft"
NOTICE = FIXTURES / "designation-notice" / "source.txt"
AWARDS = FIXTURES / "award-list" / "source.txt"
FILES = ["classification.ttl", "divisions.ttl", "document.ttl", "funding.ttl", "goals.ttl",
         "source.txt"]
XSRV = "https://w3id.org/xsrv-kg/ontology#"


@pytest.fixture
def home(tmp_path: Path) -> Config:
    """A project home with the ontology (the terms a draft may write) and data/documents/."""
    shutil.copytree(DEFAULT_HOME / "ontology", tmp_path / "ontology")
    (tmp_path / "data" / "documents").mkdir(parents=True)
    return Config(home=tmp_path)


def test_draft_writes_the_new_document_layout_under_the_home(runner: Runner,
                                                             home: Config) -> None:
    result = runner.invoke(args=["draft", str(NOTICE), "--id", "demo-notice"], obj=home)
    assert result.exit_code == 0, result.output
    folder = home.data_dir / "documents" / "demo-notice"
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert (folder / "source.txt").read_bytes() == NOTICE.read_bytes()
    drafted, _ = draft_file(NOTICE, doc_id="demo-notice", folder=home.home / "again",
                            home=home.home)
    # What it prints is what it drafted: the total and each kind's count.
    assert f"drafted {len(drafted.facts)} facts into {folder}" in result.output
    assert f"{len(drafted.of('member')):4d} list members" in result.output
    assert f"{len(drafted.of('place')):4d} places" in result.output
    assert "next: xsrv-kg validate" in result.output
    assert "/documents/demo-notice/draft" in result.output
    # Every resource the files describe with a rule is marked as a draft.
    graph = ox.Store()
    for name in FILES[:-1]:
        graph.load(path=str(folder / name), format=ox.RdfFormat.TURTLE)
    ruled = {q.subject for q in graph.quads_for_pattern(None, ox.NamedNode(XSRV + "draftRule"),
                                                         None)}
    statuses = {q.object.value for s in ruled for q in graph.quads_for_pattern(
        s, ox.NamedNode(XSRV + "reviewStatus"), None)}
    assert ruled and statuses == {XSRV + "review-draft"}


def test_draft_prints_the_checks_of_the_text(runner: Runner, home: Config,
                                             tmp_path: Path) -> None:
    result = runner.invoke(args=["draft", str(AWARDS), "--id", "demo-awards", "--out",
                                 str(tmp_path / "out")], obj=home)
    assert result.exit_code == 0, result.output
    drafted, _ = draft_file(AWARDS, doc_id="demo-awards", folder=tmp_path / "again",
                            home=home.home)
    assert drafted.checks  # the award list states a total
    for check in drafted.checks:
        assert f"check: {check}" in result.output
    assert (tmp_path / "out" / "funding.ttl").exists()


def test_draft_refuses_a_folder_that_holds_turtle(runner: Runner, home: Config,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "document.ttl").write_text("# curated\n", encoding="utf-8")
    result = runner.invoke(args=["draft", str(NOTICE), "--id", "demo", "--out", str(out)],
                           obj=home)
    assert result.exit_code == 2
    assert "already holds Turtle files" in result.output
    assert (out / "document.ttl").read_text(encoding="utf-8") == "# curated\n"
    assert not (out / "source.txt").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["missing.txt", "--id", "demo"], "missing.txt: no such file"),
    ([str(NOTICE), "--id", "Not An Id"], "use lowercase letters, digits and dashes"),
    ([str(NOTICE), "--id", "demo", "--area", "999999"], "no division-code table here holds"),
])
def test_draft_bad_input_exits_2_with_the_message(runner: Runner, home: Config, tmp_path: Path,
                                                  args: list[str], message: str) -> None:
    result = runner.invoke(args=["draft", *args, "--out", str(tmp_path / "x")], obj=home)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x").exists()


def test_draft_bad_encoding_exits_2(runner: Runner, home: Config, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(NOTICE.read_text(encoding="utf-8").encode("gbk"))
    result = runner.invoke(args=["draft", str(gbk), "--id", "demo", "--out",
                                 str(tmp_path / "x")], obj=home)
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.output


def test_area_given_as_a_division_code_is_the_tables_name(runner: Runner,
                                                          tmp_path: Path) -> None:
    """The project's own home: its Chongqing county table prints 500241 as 秀山's name."""
    out = tmp_path / "coded"
    result = runner.invoke(args=["draft", str(NOTICE), "--id", "demo", "--out", str(out),
                                 "--area", "500241"])
    assert result.exit_code == 0, result.output
    assert "area: 500241 is 秀山土家族苗族自治县" in result.output
    assert '"秀山土家族苗族自治县"@zh' in (out / "divisions.ttl").read_text(encoding="utf-8")
