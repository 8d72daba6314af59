"""The README's guide "Adding a document · 添加文件" works exactly as written.

The guide's shell blocks are read from the README and run in a scratch copy of the project
(``XSRV_HOME`` points there, so ``data/`` is the copy's): scaffold the folder with
``xsrv-kg new-document``, fill it (here: a filled fictional fixture of ``tests/fixtures/``
stands for the researcher's editing), place its quotes with ``xsrv-kg span --batch``,
validate, link and query. The steps run for each fixture document of :data:`CASES`: the
example plan with the commands as written, and a document of another kind and place, the
notice of ``tests/fixtures/example-notice/`` (a list of designations of a prefecture-level
city, scaffolded with ``--kind list``), with its own words put in them; the notice must then
show on its own overview (``/overview.json?doc=example-notice``), served from the scratch
project. Broken variants of the example must fail validation with a message that says where.

示例自治县, 青禾市 and everything in their texts are fictional: see the fixtures' README.md.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.server.app import create_app
from xsrv_kg.sources.loader import data_sources
from xsrv_kg.sources.scaffold import KINDS
from xsrv_kg.sources.spans import node_turtle

pytestmark = pytest.mark.slow

README = DEFAULT_HOME / "README.md"
TEMPLATE = DEFAULT_HOME / "templates" / "document"
LINKS_TEMPLATE = DEFAULT_HOME / "templates" / "links" / "links.ttl"
EXAMPLE = DEFAULT_HOME / "tests" / "fixtures" / "example-plan"
NOTICE = DEFAULT_HOME / "tests" / "fixtures" / "example-notice"
DESIGNATIONS = TEMPLATE / "designations"
SECTION = "## Adding a document · 添加文件"
TURTLE_FILES = ("document.ttl", "divisions.ttl", "classification.ttl", "funding.ttl")
LIST_FILES = ("document.ttl", "divisions.ttl", "designations.ttl")
OA = "http://www.w3.org/ns/oa#"


# --------------------------------------------------------------------------------------------
# Reading the guide
# --------------------------------------------------------------------------------------------

def guide() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start:end if end != -1 else None]


def shell_blocks() -> list[str]:
    """The ```sh blocks of the guide, in order."""
    return re.findall(r"```sh\n(.*?)```", guide(), re.S)


def commands(block: str) -> list[str]:
    """The commands of a block (comment lines dropped)."""
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def block_headings(path: Path) -> list[str]:
    """The titles of the ``#####`` banners of a Turtle file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [lines[i] for i in range(1, len(lines) - 1)
            if lines[i - 1].startswith("#####") and lines[i + 1].startswith("#####")]


# --------------------------------------------------------------------------------------------
# A scratch project where the guide's commands run
# --------------------------------------------------------------------------------------------

class Project:
    def __init__(self, root: Path, bin_dir: Path) -> None:
        self.root = root
        self.env = {**os.environ, "XSRV_HOME": str(root),
                    "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=self.root, env=self.env,
                              capture_output=True, text=True, timeout=300)

    def run_ok(self, command: str) -> str:
        done = self.run(command)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done.stdout


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the checkout's sources with ``xsrv-kg`` on PATH running this package."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("ontology", "shapes", "queries", "data", "templates"):
        shutil.copytree(DEFAULT_HOME / name, root / name)
    shutil.copytree(DEFAULT_HOME / "tests" / "fixtures", root / "tests" / "fixtures")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "xsrv-kg"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m xsrv_kg "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return Project(root, bin_dir)


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------

def test_the_template_parses_and_is_never_loaded_as_data() -> None:
    for path in [*(TEMPLATE / name for name in TURTLE_FILES),
                 *(DESIGNATIONS / name for name in LIST_FILES), LINKS_TEMPLATE]:
        list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    loaded = {s.path.resolve() for s in data_sources(Config())}
    assert not any(TEMPLATE.parent in p.parents for p in loaded)
    assert not any(EXAMPLE in p.parents or NOTICE in p.parents for p in loaded)


TEMPLATE_BLOCKS = {
    # The plan's template and its filled example.
    (TEMPLATE, EXAMPLE): {
        "document.ttl": ["Document", "Sections", "Bodies", "Editorial notes"],
        "divisions.ttl": ["Divisions: the county", "Divisions: township-level units",
                          "Divisions: villages"],
        "classification.ttl": ["Categories", "Tiers", "Assignments", "Declared counts"],
        "funding.ttl": ["Fund rules"],
    },
    # The list's (or notice's) template and the filled notice.
    (DESIGNATIONS, NOTICE): {
        "document.ttl": ["Document", "Sections", "Bodies", "Editorial notes"],
        "divisions.ttl": ["Divisions: the province and the area",
                          "Divisions: county-level units", "Divisions: township-level units",
                          "Divisions: villages"],
        "designations.ttl": ["Titles", "Designations", "Declared counts"],
    },
}


@pytest.mark.parametrize(("template", "example"), list(TEMPLATE_BLOCKS),
                         ids=["plan", "designations"])
def test_the_template_explains_each_block_and_the_example_keeps_them(
        template: Path, example: Path) -> None:
    for name, starts in TEMPLATE_BLOCKS[(template, example)].items():
        headings = block_headings(template / name)
        assert [h for h in headings for s in starts if h.startswith(f"# {s}")] == headings, name
        assert len(headings) == len(starts), (name, headings)
        text = (template / name).read_text(encoding="utf-8")
        # Each block has a comment under its banner saying how to fill it.
        for heading in headings:
            after = text.split(heading, 1)[1].split("\n", 2)[2]
            assert after.lstrip("\n").startswith("#"), (name, heading)
        # The filled example keeps the template's blocks, in the same order.
        assert block_headings(example / name) == headings, name


def test_the_example_is_marked_fictional_and_stays_out_of_data() -> None:
    source = (EXAMPLE / "source.txt").read_text(encoding="utf-8")
    assert "虚构" in source.splitlines()[0]
    assert "虚构文本" in source
    assert "fictional" in (EXAMPLE / "README.md").read_text(encoding="utf-8").lower()
    for name in (*TURTLE_FILES, "quotes.txt"):
        assert (EXAMPLE / name).read_text(encoding="utf-8").startswith("# FICTIONAL TEST DATA")
    for name in (*LIST_FILES, "quotes.txt"):
        assert (NOTICE / name).read_text(encoding="utf-8").startswith("# FICTIONAL TEST DATA")
    assert "虚构文本" in (NOTICE / "source.txt").read_text(encoding="utf-8")
    assert "**This notice is fictional.**" in (NOTICE / "README.md").read_text(encoding="utf-8")
    for path in (DEFAULT_HOME / "data").rglob("*"):
        if path.is_file() and path.suffix in {".ttl", ".txt", ".md", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert "example-county" not in text and "示例自治县" not in text, path
            assert "example-qinghe" not in text and "青禾市" not in text, path


def test_every_span_of_the_example_quotes_the_text_at_its_offsets() -> None:
    text = (EXAMPLE / "source.txt").read_text(encoding="utf-8")
    spans = 0
    for name in TURTLE_FILES:
        quads = list(ox.parse(path=str(EXAMPLE / name), format=ox.RdfFormat.TURTLE))
        nodes: dict[object, dict[str, str]] = {}
        for q in quads:
            if q.predicate.value.startswith(OA):
                nodes.setdefault(q.subject, {})[q.predicate.value[len(OA):]] = q.object.value
        for node in nodes.values():
            if "exact" in node:
                assert text[int(node["start"]):int(node["end"])] == node["exact"], node
                spans += 1
    assert spans == 27  # 7 in document.ttl, 17 in classification.ttl, 3 in funding.ttl


# --------------------------------------------------------------------------------------------
# The guide, step by step, on each fixture document
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GuideCase:
    """A fixture document put in by the guide's steps: ``tests/fixtures/NAME/`` holds its
    ``source.txt``, its filled Turtle files, a ``README.md`` and ``quotes.txt``, the quotes of
    all its spans for ``span --batch``.

    The guide's commands are written for the first case, the example plan; another case
    runs the same commands with the example's words in them replaced by its own
    (``substitutions``, in order), and says what each step must show for it.
    """

    name: str
    #: (the guide's words, this case's words): its name, title, area, --kind …
    substitutions: tuple[tuple[str, str], ...]
    #: The kind given to new-document, which says what files the scaffold makes.
    kind: str
    #: The Turtle files of the filled fixture (the scaffold's others are removed in step 2).
    files: tuple[str, ...]
    #: Lines the report of the unfilled scaffold must hold (besides "Conforms: no").
    unfilled: tuple[str, ...]
    #: Lines the report of the filled folder, validated alone (--lang en), must hold.
    report: tuple[str, ...]
    #: Lines `xsrv-kg link --write` must print.
    linked: tuple[str, ...]
    #: The links file it generates (under data/), and lines it must hold; None: none.
    links: tuple[str, tuple[str, ...]] | None
    #: The rows of the guide's query, or None where it is not this kind's question.
    rows: tuple[tuple[str, ...], ...] | None
    #: Its own overview (/overview.json?doc=NAME, served from the scratch project): the
    #: hierarchy as :func:`drawn` lines, and the declared counts as (label, declared, named).
    #: None: not checked here (the shipped plans' overviews are tests/test_overview.py's).
    overview: tuple[tuple[str, ...], tuple[tuple[str, int, int], ...]] | None = None

    def commands(self, block: str) -> list[str]:
        found = []
        for command in commands(block):
            for old, new in self.substitutions:
                command = command.replace(old, new)
            found.append(command)
        return found


def drawn(model: dict) -> tuple[str, ...]:
    """An overview's hierarchy as lines, one per unit it draws: the places from the top down
    (the path above the area, the area, the unit directly in it, the places between) joined by
    " > ", then ": " and the title (category) the document gives the unit, if any."""
    lines = []
    for top in model["hierarchy"]:
        above = [p["label"] for p in top["path"]]
        for area in top["counties"]:
            for group in area["groups"]:
                for unit in group["townships"]:
                    at = [*above, area["label"], unit["label"]]
                    given = group["category"]
                    lines.append(" > ".join(at) + (f": {given['label']}" if given else ""))
                    for v in unit["villages"]:
                        lines.append(" > ".join([*at, *(w["label"] for w in v["within"]),
                                                 v["label"]]) + f": {v['category']['label']}")
    return tuple(lines)


NOTICE_TITLE = "关于青禾市2026年度乡村振兴先进县级市、先进乡镇和示范村拟评定名单的公示"
#: The notice's overview: 青禾市 in 示例省; the county-level city it designates first (its
#: title's list comes first in the text), with the township and villages it names inside it;
#: then the districts, which the notice gives no title (places, by IRI), each with its
#: designated township and its villages under their townships, in the order of the text.
NOTICE_OVERVIEW = (
    "示例省 > 青禾市 > 青山市: 乡村振兴先进县级市",
    "示例省 > 青禾市 > 青山市 > 云台街道: 乡村振兴先进乡镇",
    "示例省 > 青禾市 > 青山市 > 云台街道 > 翠屏村: 乡村振兴示范村",
    "示例省 > 青禾市 > 青山市 > 云台街道 > 莲花村: 乡村振兴示范村",
    "示例省 > 青禾市 > 青山市 > 龙门镇 > 龙门村: 乡村振兴示范村",
    "示例省 > 青禾市 > 青山市 > 龙门镇 > 古渡村: 乡村振兴示范村",
    "示例省 > 青禾市 > 青山市 > 黄岭镇 > 黄岭村: 乡村振兴示范村",
    "示例省 > 青禾市 > 青山市 > 黄岭镇 > 樱桃村: 乡村振兴示范村",
    "示例省 > 青禾市 > 东湖区",
    "示例省 > 青禾市 > 东湖区 > 桃源镇: 乡村振兴先进乡镇",
    "示例省 > 青禾市 > 东湖区 > 桃源镇 > 花溪村: 乡村振兴示范村",
    "示例省 > 青禾市 > 东湖区 > 桃源镇 > 杏林村: 乡村振兴示范村",
    "示例省 > 青禾市 > 东湖区 > 白沙镇 > 渔港村: 乡村振兴示范村",
    "示例省 > 青禾市 > 东湖区 > 白沙镇 > 芦荡村: 乡村振兴示范村",
    "示例省 > 青禾市 > 东湖区 > 湖滨街道 > 新港社区: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县",
    "示例省 > 青禾市 > 南溪县 > 柳河乡: 乡村振兴先进乡镇",
    "示例省 > 青禾市 > 南溪县 > 柳河乡 > 柳河村: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县 > 柳河乡 > 金沙村: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县 > 双井镇 > 双井村: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县 > 双井镇 > 稻香村: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县 > 平川镇 > 平川村: 乡村振兴示范村",
    "示例省 > 青禾市 > 南溪县 > 平川镇 > 瓦窑村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区",
    "示例省 > 青禾市 > 西岭区 > 石桥镇: 乡村振兴先进乡镇",
    "示例省 > 青禾市 > 西岭区 > 石桥镇 > 石桥村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 石桥镇 > 枫林村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 石桥镇 > 松坪村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 云雾乡 > 茶园村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 云雾乡 > 高山村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 云雾乡 > 龙潭村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 青岗镇 > 青岗村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 青岗镇 > 梨花村: 乡村振兴示范村",
    "示例省 > 青禾市 > 西岭区 > 青岗镇 > 竹园村: 乡村振兴示范村",
)

CASES = [
    GuideCase(
        name="example-plan", substitutions=(), kind="plan", files=TURTLE_FILES,
        unfilled=("does not match the source text",
                  "The amount must be one positive xsd:decimal, found 0"),
        report=("Conforms: yes — Violation 0 · Warning 4 · Info 1",
                *["A township has no statistical code"] * 4,
                "Declared 10, named 0: the enumeration is incomplete"),
        linked=("skipped: no code table for 示例自治县",),
        links=("links/example-plan-chongqing/links.ttl",
               ("GENERATED by `xsrv-kg link --write`",
                "plan:cat-pilot skos:closeMatch cp:cat-pilot .")),
        # Code-point order of the names: 丁 U+4E01, 丙 U+4E19, 乙 U+4E59, 甲 U+7532; each
        # county category closeMatch the municipal one of the same name.
        rows=(("丁镇", "积极推进类", "积极推进类"), ("丙街道", "积极推进类", "积极推进类"),
              ("乙乡", "重点帮扶类", "重点帮扶类"), ("甲镇", "先行示范类", "先行示范类"))),
    GuideCase(
        # A list under public notice (its title: …名单的公示), of a prefecture-level city.
        name="example-notice",
        substitutions=(
            ("example-plan", "example-notice"),
            ("'示例自治县分类推进乡村振兴实施方案（虚构示例）'",
             f"'{NOTICE_TITLE}' --kind list --issuer 中共青禾市委农村工作领导小组办公室 "
             "--date 2026-10-30"),
            ("--area example-county", "--area example-qinghe")),
        kind="list", files=LIST_FILES,
        unfilled=("does not match the source text",
                  "The declared value 0 is not written in its own quote “TITLE NAME（N个）”",
                  "The declared value 0 is not written in its own quote “COUNTY NAME（N个）”"),
        report=("Conforms: yes — Violation 0 · Warning 12 · Info 0",
                *["A township has no statistical code"] * 12),
        linked=(f"skipped: example-notice ({NOTICE_TITLE}（虚构示例）): not a county plan, its "
                "area (青禾市) is not a county-level division; not linked to codes or aligned",),
        links=None, rows=None,
        overview=(NOTICE_OVERVIEW, (
            ("拟评定先进县级市：1个", 1, 1), ("拟评定先进乡镇：4个", 4, 4),
            ("拟评定示范村：26个", 26, 26), ("拟评定示范村（东湖区）：5个", 5, 5),
            ("拟评定示范村（西岭区）：9个", 9, 9), ("拟评定示范村（南溪县）：6个", 6, 6),
            ("拟评定示范村（青山市）：6个", 6, 6)))),
]


def fixture_spans(folder: Path, files: Sequence[str]) -> set[str]:
    """Every span node of the fixture's Turtle, written as `xsrv-kg span` prints it."""
    found = set()
    for name in files:
        nodes: dict[object, dict[str, str]] = {}
        for q in ox.parse(path=str(folder / name), format=ox.RdfFormat.TURTLE):
            if q.predicate.value.startswith(OA):
                nodes.setdefault(q.subject, {})[q.predicate.value[len(OA):]] = q.object.value
        found |= {node_turtle("plan:text", int(n["start"]), int(n["end"]), n["exact"])
                  for n in nodes.values() if "exact" in n}
    return found


def test_the_guide_has_four_steps() -> None:
    blocks = shell_blocks()
    assert len(blocks) == 4, blocks
    assert "**This plan is fictional.**" in (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "fictional" in guide()


def test_the_guide_shows_the_other_kind_s_commands_as_its_case_runs_them() -> None:
    """The guide's paragraph on another kind shows the notice's first three commands, which
    must be the ones its case runs (the four blocks with its words put in)."""
    (case,) = [c for c in CASES if c.name == "example-notice"]
    scaffold, span, validate, _ = shell_blocks()
    shown = [line[4:] for line in guide().splitlines() if line.startswith("    xsrv-kg ")]
    assert shown == [*case.commands(scaffold), *case.commands(span),
                     *case.commands(validate)]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_guide_adds_validates_links_and_queries_a_fixture(
        project: Project, case: GuideCase, monkeypatch: pytest.MonkeyPatch) -> None:
    scaffold, span, validate, link_and_query = shell_blocks()
    fixture = project.root / "tests" / "fixtures" / case.name
    folder = project.root / "data" / "documents" / case.name

    # 1. Scaffold the folder: the document's own name, title, area and text.
    (command,) = case.commands(scaffold)
    assert command.startswith(f"xsrv-kg new-document {case.name} ")
    project.run_ok(command)
    made = sorted(KINDS[case.kind])
    assert sorted(p.name for p in folder.iterdir()) == sorted([*made, "source.txt"])
    for name in made:
        text = (folder / name).read_text(encoding="utf-8")
        for slug in ("DOC-SLUG", "COUNTY-SLUG", "AREA-SLUG"):
            assert slug not in text, (name, slug)
        if name.endswith(".ttl"):
            assert f"@prefix plan:    <https://w3id.org/xsrv-kg/id/doc/{case.name}/> ." in text
    assert (folder / "source.txt").read_bytes() == (fixture / "source.txt").read_bytes()
    assert f"doc:{case.name} a xsrv:PolicyDocument" in (folder / "document.ttl").read_text(
        encoding="utf-8")
    # Running it again refuses to touch the folder.
    again = project.run(command)
    assert again.returncode == 2 and "already exists" in again.stderr

    # The unfilled scaffold parses but does not conform: the report lists what to fill.
    (validate_folder,) = case.commands(validate)
    unfilled = project.run(validate_folder)
    assert unfilled.returncode == 1, unfilled.stderr
    assert "Conforms: no" in unfilled.stdout
    for line in case.unfilled:
        assert line in unfilled.stdout, line

    # 2. Write the facts: the researcher's editing, here the filled fixture; its spans are
    # the ones `span --batch` prints from its quotes file, and the guide shows some of them.
    for path in folder.glob("*.ttl"):
        path.unlink()
    for name in (*case.files, "README.md"):
        shutil.copy(fixture / name, folder / name)
    (command,) = case.commands(span)
    printed = project.run_ok(command).splitlines()
    nodes = [line.split("  # line ")[0] for line in printed]
    quotes = [line for line in (fixture / "quotes.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    assert len(printed) == len(quotes)
    assert set(nodes) == fixture_spans(fixture, case.files)
    if not case.substitutions:
        shown = [line[2:] for line in span.strip().splitlines() if line.startswith("# [")]
        assert shown and [line for line in printed if line in shown] == shown

    # 3. Validate the folder alone.
    report = project.run_ok(validate_folder)
    for line in set(case.report):
        assert report.count(line) == case.report.count(line), (line, report)

    # 4. Link, validate everything, query.
    write_links, validate_all, query = case.commands(link_and_query)
    assert write_links == "xsrv-kg link --write"
    written = project.run_ok(write_links)
    for line in case.linked:
        assert line in written, written
    generated = sorted((project.root / "data" / "links").glob(f"{case.name}-*/links.ttl"))
    if case.links is None:
        assert generated == []
    else:
        path = project.root / "data" / case.links[0]
        assert generated == [path] and f"wrote {path}" in written
        text = path.read_text(encoding="utf-8")
        for line in case.links[1]:
            assert line in text, line
    # Xiushan's hand-written alignment and its generated code links are left as they were.
    assert "unchanged" in written and "xiushan-plan already mapped" in written
    for rel in ("links/xiushan-chongqing/links.ttl", "links/xiushan-codes/links.ttl"):
        assert (project.root / "data" / rel).read_bytes() == (
            DEFAULT_HOME / "data" / rel).read_bytes(), rel
    project.run_ok("xsrv-kg link --check")
    whole = project.run_ok(validate_all)
    assert "数据符合约束: 是 — 违规 0" in whole  # the default report is in zh
    if case.rows is not None:
        table = project.run_ok(query)
        found = [line.split() for line in table.splitlines() if re.search(r"[\u4e00-\u9fff]", line)]
        assert [tuple(cell for cell in row if cell not in "|│") for row in found] == list(
            case.rows)

    # 5. Its own overview, served from the project (its data/ holds the new document).
    if case.overview is not None:
        monkeypatch.setenv("XSRV_HOME", str(project.root))
        client = create_app(Config.from_env(), workers=False).test_client()
        model = client.get(f"/overview.json?doc={case.name}&lang=zh").get_json()
        assert model["document"]["iri"].endswith(f"/doc/{case.name}")
        hierarchy, counts = case.overview
        assert drawn(model) == hierarchy
        assert tuple((c["label"], c["declared"], c["enumerated"])
                     for c in model["counts"]) == counts
        page = client.get(f"/overview?doc={case.name}&lang=zh",
                          headers={"Accept": "text/html"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        for line in hierarchy:
            assert all(f">{name}<" in html for name in line.split(": ")[0].split(" > ")), line


# --------------------------------------------------------------------------------------------
# Broken variants: a violation that names the fact, or the file and line
# --------------------------------------------------------------------------------------------

BROKEN = {
    # An offset one character off: the quote no longer matches the text.
    "span": ("classification.ttl",
             'oa:start 168 ; oa:end 170 ; oa:exact "甲镇"',
             'oa:start 169 ; oa:end 171 ; oa:exact "甲镇"',
             1, ["The span [169, 171) of", "it quotes “甲镇” but the text there reads “镇。”"]),
    # A declared count that disagrees with the townships the text lists (and the partition).
    "count": ("classification.ttl",
              'xsrv:declaredValue 2 ; xsrv:enumerationComplete true ;\n'
              '    xsrv:countedLevel xsrv:TownshipLevelDivision',
              'xsrv:declaredValue 3 ; xsrv:enumerationComplete true ;\n'
              '    xsrv:countedLevel xsrv:TownshipLevelDivision',
              1, ["Declared count 3 but the data has 2 members",
                  "The parts add up to 5, not to the declared total 4"]),
    # A township placed in a county the plan does not cover.
    "area": ("divisions.ttl",
             'xsrv:divisionKind xsrv:kind-town ; schema:containedInPlace div:example-county .\n'
             'div:example-county-yi',
             'xsrv:divisionKind xsrv:kind-town ; schema:containedInPlace div:xiushan .\n'
             'div:example-county-yi',
             1, ["does not lie in the document's area"]),
    # A Turtle syntax error: a statement without its final dot.
    "syntax": ("funding.ttl",
               'oa:exact "对县级重点帮扶乡，县财政在3年内每年补助100万元" ] .',
               'oa:exact "对县级重点帮扶乡，县财政在3年内每年补助100万元" ]',
               2, []),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_example_fails_validation_saying_where(case: str, tmp_path: Path) -> None:
    name, old, new, status, messages = BROKEN[case]
    folder = tmp_path / "example-plan"
    shutil.copytree(EXAMPLE, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, case
    path.write_text(text.replace(old, new), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "xsrv_kg", "validate", str(folder),
                           "--lang", "en"], capture_output=True, text=True, timeout=300)
    assert done.returncode == status, (done.stdout, done.stderr)
    if status == 1:
        assert "Conforms: no" in done.stdout
        for message in messages:
            assert message in done.stdout, done.stdout
    else:
        # File, line and column: the parser stops where the next statement begins (line 55,
        # after the broken line 53 and a blank line), and no traceback.
        assert done.stdout == ""
        assert done.stderr.startswith("xsrv-kg: error: ")
        assert "funding.ttl:55:1: A dot is expected at the end of statements" in done.stderr
        assert "Traceback" not in done.stderr
