"""Documents of another kind: the fictional public notice of ``tests/fixtures/example-notice/``
(a prefecture-level city's proposed designations, grouped by district) validates, and each way
of breaking it is caught by a shape that fits any list.

Also: a declared count is checked against the number written in its own quote, in Arabic or
Chinese numerals; the rendering of Chinese numerals in ``xsh:CountMatchesQuoteShape`` (pure
SPARQL) is compared, on both engines, with a small reference written here for the tests.

青禾市, 示例省 and everything in the notice are fictional: see the fixture's README.md.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tests.conftest import validate_files
from tests.test_store_validation import assert_same
from tests.test_validation import PLAN, Re, edit, report_of
from xsrv_kg.config import DEFAULT_HOME, Config

NOTICE = DEFAULT_HOME / "tests" / "fixtures" / "example-notice"
SHAPES = DEFAULT_HOME / "shapes" / "xsrv-shapes.ttl"
XSH = "https://w3id.org/xsrv-kg/shapes#"
#: How reports name the notice's resources (its own prefix is not a project prefix).
N = "doc:example-notice/"


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    """A private copy of the notice that a test may break."""
    target = tmp_path / "example-notice"
    shutil.copytree(NOTICE, target)
    return target


def violations(report: dict) -> list[tuple[str, str, str]]:
    return [(r["shape"], r["focus"], r["message"]) for r in report["results"]
            if r["severity"] == "Violation"]


# --------------------------------------------------------------------------------------------
# The notice as written
# --------------------------------------------------------------------------------------------

def test_notice_alone_has_no_violation_and_engines_agree(config: Config) -> None:
    code, report = report_of(NOTICE)
    assert code == 0 and report["conforms"] is True
    # One warning per township (fictional units have no statistical code), nothing else:
    # the list is not taken for a complete classification of 青禾市.
    assert report["counts"] == {"Violation": 0, "Warning": 12, "Info": 0}
    assert {r["shape"] for r in report["results"]} == {"xsh:TownshipShape"}
    assert_same(validate_files(config, [NOTICE], engine="pyshacl"),
                validate_files(config, [NOTICE], engine="store"))


def test_notice_with_the_shipped_data_has_no_violation(config: Config) -> None:
    code, report = report_of_paths(config.data_dir, NOTICE)
    assert code == 0
    # The shipped data's 10 incomplete counts (Info) and the notice's 12 warnings.
    assert report["counts"] == {"Violation": 0, "Warning": 12, "Info": 10}


def report_of_paths(*paths: Path) -> tuple[int, dict]:
    import json

    from click.testing import CliRunner

    from xsrv_kg.cli import main

    result = CliRunner().invoke(main, ["validate", *map(str, paths), "--format", "json",
                                       "--lang", "en"], obj=Config(), catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


# --------------------------------------------------------------------------------------------
# Broken variants: each fails with a message naming the problem
# --------------------------------------------------------------------------------------------

DESIGNATIONS = "designations.ttl"
DIVISIONS = "divisions.ttl"


def test_count_changed_with_a_member_dropped_is_caught_by_its_quote(notice: Path) -> None:
    # "先进乡镇（四个）" with 4 -> 3 and 南溪县柳河乡 dropped: the members agree with the new
    # value, only the number written in the quotes (四, 4) does not.
    edit(notice, DESIGNATIONS, "xsrv:declaredValue 4 ;", "xsrv:declaredValue 3 ;")
    edit(notice, DESIGNATIONS, Re(r"notice:assign-nanxi-liuhe a [^.]*\.\n"), "")
    code, report = report_of(notice)
    assert code == 1
    [(shape, focus, message)] = violations(report)
    assert (shape, focus) == ("xsh:CountMatchesQuoteShape", N + "count-townships")
    assert message.startswith("The declared value 3 is not written in its own quote “先进乡镇")


def test_count_that_disagrees_with_its_chinese_quote_is_caught(notice: Path) -> None:
    # "南溪县（六个）" declared as 7.
    edit(notice, DESIGNATIONS, "xsrv:declaredValue 6 ;", "xsrv:declaredValue 7 ;",
         block="notice:count-villages-nanxi")
    code, report = report_of(notice)
    assert code == 1
    assert ("xsh:CountMatchesQuoteShape", N + "count-villages-nanxi",
            "The declared value 7 is not written in its own quote “南溪县（六个）” (in Arabic or "
            "Chinese numerals): the value and its text disagree") in violations(report)


def test_per_district_count_off_by_one_names_the_district(notice: Path) -> None:
    # One of 西岭区's nine villages dropped from the list.
    edit(notice, DESIGNATIONS, Re(r"notice:assign-xiling-qinggang-zhuyuan a [^.]*\.\n"), "")
    code, report = report_of(notice)
    assert code == 1
    found = violations(report)
    assert ("xsh:AssignmentCountShape", N + "count-villages-xiling",
            "Declared count 9 of rural-revitalization demonstration village within Xiling "
            "District (fictional) but the data has 8 members there: the count and its members "
            "are inconsistent") in found
    # The whole list (26, complete) is one short too; the other districts are untouched.
    assert {f for _, f, _ in found} == {N + "count-villages-xiling", N + "count-villages"}


def test_village_moved_to_another_district_is_caught_in_both(notice: Path) -> None:
    # 芦荡村 of 东湖区白沙镇 placed under 西岭区石桥镇.
    edit(notice, DIVISIONS, "schema:containedInPlace div:example-qinghe-donghu-baisha .",
         "schema:containedInPlace div:example-qinghe-xiling-shiqiao .",
         block="div:example-qinghe-donghu-baisha-ludang")
    code, report = report_of(notice)
    assert code == 1
    messages = {f: m for s, f, m in violations(report) if s == "xsh:AssignmentCountShape"}
    assert set(messages) == {N + "count-villages-donghu", N + "count-villages-xiling"}
    assert "within Donghu District (fictional) but the data has 4 members" \
        in messages[N + "count-villages-donghu"]
    assert "within Xiling District (fictional) but the data has 10 members" \
        in messages[N + "count-villages-xiling"]


@pytest.mark.slow
def test_broken_notice_same_results_in_both_engines(notice: Path, config: Config) -> None:
    edit(notice, DESIGNATIONS, "xsrv:declaredValue 6 ;", "xsrv:declaredValue 7 ;",
         block="notice:count-villages-nanxi")
    edit(notice, DIVISIONS, "schema:containedInPlace div:example-qinghe-donghu-baisha .",
         "schema:containedInPlace div:example-qinghe-xiling-shiqiao .",
         block="div:example-qinghe-donghu-baisha-ludang")
    reference = validate_files(config, [notice], engine="pyshacl")
    ours = validate_files(config, [notice], engine="store")
    assert not ours.conforms
    assert_same(reference, ours)


def test_division_count_follows_nested_containment_and_kind(notice: Path, config: Config) -> None:
    # A division count of 东湖区's villages, quoted as "东湖区（5个）": its villages lie in
    # its townships, one level down. Scoped to 行政村 it excludes 湖滨街道新港社区.
    span = re.search(r'\[ oa:hasSource notice:text ; oa:start \d+ ; oa:end \d+ ; '
                     r'oa:exact "东湖区（5个）" \]',
                     (notice / DESIGNATIONS).read_text(encoding="utf-8"))[0]
    extra = notice / "zz-division-counts.ttl"

    def write(kind: str) -> None:
        extra.write_text(
            "@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .\n"
            "@prefix doc: <https://w3id.org/xsrv-kg/id/doc/> .\n"
            "@prefix notice: <https://w3id.org/xsrv-kg/id/doc/example-notice/> .\n"
            "@prefix div: <https://w3id.org/xsrv-kg/id/division/> .\n"
            "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
            "notice:count-donghu-villages a xsrv:DivisionCount ;\n"
            "    xsrv:declaredValue 5 ; xsrv:enumerationComplete true ;\n"
            "    xsrv:countedLevel xsrv:VillageLevelDivision ; "
            "xsrv:countedWithin div:example-qinghe-donghu ;\n"
            f"    {kind}xsrv:statedBy doc:example-notice ; xsrv:sourceSpan {span} .\n",
            encoding="utf-8")

    write("")
    code, report = report_of(notice)
    assert code == 0, violations(report)
    write("xsrv:countedKind xsrv:kind-administrative-village ; ")
    code, report = report_of(notice)
    assert code == 1
    assert violations(report) == [(
        "xsh:DivisionCountShape", N + "count-donghu-villages",
        "5 units declared within Donghu District (fictional) (administrative village), "
        "the data has 4")]
    assert_same(validate_files(config, [notice], engine="pyshacl"),
                validate_files(config, [notice], engine="store"))


# --------------------------------------------------------------------------------------------
# The Xiushan plan: value and quote drift apart
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "block", "focus", "quote"), [
    ("xsrv:declaredValue 27 ;", "xsrv:declaredValue 26 ;", None, "xp:count-townships",
     "将全县27个乡镇（街道）分为“三类”"),
    ("xsrv:declaredValue 3 ;", "xsrv:declaredValue 2 ;", "xp:count-categories",
     "xp:count-categories", "分为“三类”"),
], ids=["27 as 26", "三类 as 2"])
def test_xiushan_value_changed_without_its_quote_is_caught(data_copy: Path, old, new, block,
                                                           focus, quote) -> None:
    edit(data_copy, PLAN / "classification.ttl", old, new, block=block)
    code, report = report_of(data_copy)
    assert code == 1
    hits = [m for s, f, m in violations(report)
            if s == "xsh:CountMatchesQuoteShape" and f == focus]
    value = new.split()[1]
    assert len(hits) == 1 and hits[0].startswith(f"The declared value {value} is not written")
    # One of the count's quotes is named (the 三类 count has two; both lack the value).
    assert re.search(r"“(.*)” \(in Arabic", hits[0])[1] in (quote, "分为先行示范类、重点帮扶类、积极推进类")


def test_xiushan_quote_changed_without_its_value_is_caught(data_copy: Path) -> None:
    # The text itself says 26: the span shape flags the quote against the text, and the quote
    # shape flags the value against the quote.
    edit(data_copy, PLAN / "source.txt", "将全县27个乡镇", "将全县二十六个乡镇")
    edit(data_copy, PLAN / "classification.ttl", 'oa:exact "将全县27个乡镇（街道）分为“三类”"',
         'oa:exact "将全县二十六个乡镇（街道）分为“三类”"')
    code, report = report_of(data_copy)
    assert code == 1
    assert ("xsh:CountMatchesQuoteShape", "xp:count-townships") in {
        (s, f) for s, f, _ in violations(report)}


# --------------------------------------------------------------------------------------------
# Chinese numerals in SPARQL, against a reference written for the tests
# --------------------------------------------------------------------------------------------

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """The usual Chinese numeral for 0 <= n < 10^8 (二, not 两; 十二, not 一十二)."""
    def group(g: int, leading: bool) -> str:
        a, b, c, d = g // 1000, g // 100 % 10, g // 10 % 10, g % 10
        out = DIGITS[a] + "千" if a else ""
        out += DIGITS[b] + "百" if b else ("零" if a and (c or d) else "")
        out += ("" if c == 1 and leading and not (a or b) else DIGITS[c]) + "十" if c else \
            ("零" if b and d else "")
        return out + (DIGITS[d] if d else "")

    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    if not high:
        return group(low, True)
    return group(high, True) + "万" + (("零" if low < 1000 else "") + group(low, False)
                                       if low else "")


def spellings(n: int) -> set[str]:
    """Ways a text writes n: Arabic, Chinese, 两 for a leading 2, 一十 for 十."""
    out = {str(n), chinese(n)}
    if chinese(n)[0] == "二" and (n == 2 or chinese(n)[1:2] in ("百", "千", "万")):
        out.add("两" + chinese(n)[1:])
    if 10 <= n < 20:
        out.add("一" + chinese(n))
    return out


def test_reference_spells_the_usual_forms() -> None:
    assert [chinese(n) for n in (0, 2, 10, 11, 27, 105, 110, 1005, 2021, 10012, 20000)] == [
        "零", "二", "十", "十一", "二十七", "一百零五", "一百一十", "一千零五", "二千零二十一",
        "一万零一十二", "二万"]
    assert spellings(2) == {"2", "二", "两"} and spellings(200) == {"200", "二百", "两百"}
    assert spellings(12) == {"12", "十二", "一十二"}


def rendering_query(values: list[int]) -> str:
    """The shape's own BINDs (read from the shapes file), run for ``values``."""
    shapes = rdflib.Graph().parse(SHAPES)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    [constraint] = shapes.objects(rdflib.URIRef(XSH + "CountMatchesQuoteShape"), sh.sparql)
    select = str(shapes.value(constraint, sh.select))
    binds = select[select.index("BIND"):select.rindex("}")]
    return ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
            "SELECT ?declared ?numeral WHERE { VALUES ?declared { "
            + " ".join(map(str, values)) + " }\n" + binds + "}")


def check_rendering(patterns: dict[int, str]) -> None:
    for n, pattern in patterns.items():
        regex = re.compile(pattern)
        for spelling in spellings(n):
            for text in (spelling, f"共{spelling}个", f"（{spelling}个）"):
                assert regex.search(text), (n, text, pattern)
        # Another number, or this one inside a longer numeral, does not satisfy it.
        for other in {n + 1, n * 10, n + 10, 10 * n + 7} - {n}:
            if other < 10 ** 8:
                for spelling in spellings(other):
                    assert not regex.search(f"共{spelling}个"), (n, spelling, pattern)


@pytest.mark.slow
def test_chinese_numerals_rendered_in_sparql_for_0_to_9999() -> None:
    values = list(range(10000)) + [10000, 10012, 20000, 20021, 99999, 12345678]
    query = rendering_query(values)
    patterns = {int(s["declared"].value): s["numeral"].value for s in ox.Store().query(query)}
    assert sorted(patterns) == sorted(values)
    check_rendering(patterns)
    # The examples the issue names.
    for n, text in ((27, "全县二十七个乡镇"), (2, "两个"), (10, "十个"), (105, "一百零五个"),
                    (2021, "二千零二十一"), (2000, "两千")):
        assert re.search(patterns[n], text), (n, text)
    for n, text in ((7, "二十七个"), (27, "270个"), (5, "一百零五个"), (100, "一百零五个")):
        assert not re.search(patterns[n], text), (n, text)


def test_both_engines_render_chinese_numerals_alike() -> None:
    values = sorted(set(random.Random(16).sample(range(10000), 150))
                    | {0, 2, 10, 12, 20, 105, 110, 200, 1005, 2000, 2021, 10012, 20000})
    query = rendering_query(values)
    ours = {int(s["declared"].value): s["numeral"].value for s in ox.Store().query(query)}
    theirs = {int(r.declared): str(r.numeral) for r in rdflib.Graph().query(query)}
    assert ours == theirs
