"""The curated policy queries in ``queries/`` give the answers read off the seed text by hand.

Every expectation below is derived from the plan's text (``source.txt``, a byte-for-byte copy
of the seed), section by section, with the arithmetic written out; it is not query output
pasted back. Labels the data's editors wrote (rule, count and activity names) are checked for
what they say against the text. Only the ``run_curated`` fixture runs queries, so the same
tests run in-process and over HTTP, on every store backend (``memory``, ``oxigraph:DIR``,
``sparql:`` over ``oxigraph serve``: see ``conftest.BACKENDS``), on Virtuoso when enabled
(tests/test_virtuoso.py), and on a second engine as referee: rdflib's own SPARQL engine over
the project's files parsed by rdflib (``conftest.REFEREE``), independent of Oxigraph. rdflib
and Oxigraph agree on every expectation here; no test is marked for either engine.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from .conftest import SOURCE
from .conftest import column as store_column
from .standing_data import data_notes

TEXT = SOURCE.read_text(encoding="utf-8")
XIUSHAN = "https://w3id.org/xsrv-kg/id/doc/xiushan-plan"
HEADER_KEYS = ("title@zh", "title@en", "comment@zh", "comment@en")

WAN = 10_000  # 1万元 = 10 000 yuan


def yuan(wan: int) -> Decimal:
    """An amount written in 万元, in yuan."""
    return Decimal(wan * WAN)


def num(value: object) -> Decimal | None:
    """A numeric cell (int, or the str of a decimal) as a Decimal; None stays None."""
    return None if value is None else Decimal(str(value))


def at(quote: str, after: str) -> tuple[int, int]:
    """Start and end offsets of ``quote``'s first occurrence after ``after`` in the text."""
    start = TEXT.index(quote, TEXT.index(after))
    return start, start + len(quote)


def paragraph(heading: str) -> str:
    """The text after ``heading`` up to the end of its line."""
    start = TEXT.index(heading) + len(heading)
    return TEXT[start:TEXT.index("\n", start)]


def is_sorted(rows: list[dict[str, object]], key) -> bool:
    return rows == sorted(rows, key=key)


# --------------------------------------------------------------------------------------------
# The files themselves
# --------------------------------------------------------------------------------------------

def headers(path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()[:4]
    found = {}
    for key, line in zip(HEADER_KEYS, lines, strict=False):
        m = re.fullmatch(rf"# {re.escape(key)}: (\S.*)", line)
        found[key] = m[1] if m else None
    return found


def test_every_query_file_has_the_four_header_lines_and_a_unique_title(config) -> None:
    files = sorted(config.queries_dir.glob("*.rq"))
    assert len(files) >= 15
    titles: dict[str, list[str]] = {"title@zh": [], "title@en": []}
    for path in files:
        head = headers(path)
        # The first four lines, in this order, each with text after the key.
        assert all(head.get(k) for k in HEADER_KEYS), (path.name, head)
        for key in titles:
            titles[key].append(head[key])
        body = path.read_text(encoding="utf-8")
        # The runner pre-declares the project prefixes; shipped queries do not redeclare them.
        assert not re.search(r"(?im)^\s*PREFIX\s", body), path.name
        # Deterministic: every SELECT is ordered.
        if re.search(r"(?m)^SELECT\b", body):
            assert "ORDER BY" in body, path.name
    for key, values in titles.items():
        assert len(values) == len(set(values)), (key, values)


# --------------------------------------------------------------------------------------------
# 二、细化分类: villages, sources of assignments, codes, counts
# --------------------------------------------------------------------------------------------

def test_villages_by_category(run_curated) -> None:
    found = [(r["category"], r["tier"], r["township"], r["village"], r["kind"])
             for r in run_curated("villages-by-category.rq", doc=XIUSHAN)]
    # 二（二）, in category order and then the order the text lists them. Kinds by the name's
    # suffix: 村 -> 行政村, 社区 -> 社区, 居委会 -> 居委会. Where the township is written once
    # for a list ("梅江镇两路村、吏目村", "平凯街道邓阳社区、晓教村、银厂村") it holds for
    # every village in the list.
    assert found == [
        # "市级示范村1个：清溪场镇东林居委会"
        ("先行示范类", "市级", "清溪场镇", "东林居委会", "居委会"),
        # "东西部协作示范村2个：洪安镇贵措村、梅江镇兴隆坳村"
        ("先行示范类", "东西部协作", "洪安镇", "贵措村", "行政村"),
        ("先行示范类", "东西部协作", "梅江镇", "兴隆坳村", "行政村"),
        # "县级主导示范村（5个），包括梅江镇两路村、吏目村，平凯街道邓阳社区、晓教村、银厂村"
        ("先行示范类", "县级主导", "梅江镇", "两路村", "行政村"),
        ("先行示范类", "县级主导", "梅江镇", "吏目村", "行政村"),
        ("先行示范类", "县级主导", "平凯街道", "邓阳社区", "社区"),
        ("先行示范类", "县级主导", "平凯街道", "晓教村", "行政村"),
        ("先行示范类", "县级主导", "平凯街道", "银厂村", "行政村"),
        # "重点帮扶类（5个）：岑溪乡桂林村、大溪乡河西村、膏田镇高东村、海洋乡坝联村、
        # 妙泉镇长冲村" (no tier)
        ("重点帮扶类", None, "岑溪乡", "桂林村", "行政村"),
        ("重点帮扶类", None, "大溪乡", "河西村", "行政村"),
        ("重点帮扶类", None, "膏田镇", "高东村", "行政村"),
        ("重点帮扶类", None, "海洋乡", "坝联村", "行政村"),
        ("重点帮扶类", None, "妙泉镇", "长冲村", "行政村"),
    ]
    # 1 + 2 + 5 pilot villages named of the 13 declared; all 5 key-assistance villages.
    assert len(found) == 8 + 5


S21 = "二（一）乡镇（街道）分类"
S22 = "二（二）村分类"


def test_assignment_sources(run_curated) -> None:
    found = [(r["section"], r["unit"], r["category"], r["tier"], r["quote"], r["start"], r["end"])
             for r in run_curated("assignment-sources.rq", doc=XIUSHAN)]
    # (section, unit, category, tier, quoted span, the text the span follows). Each township
    # is quoted by its name in its category's list in 二（一）; 涌洞乡 with its tier heading
    # "市级重点乡：". Each village as 二（二） lists it, with the township where the text
    # writes one. Offsets are found in the seed text here, not taken from the data.
    expected = [
        # "先行示范类（2个）。隘口镇、洪安镇。"
        (S21, "隘口镇", "先行示范类", None, "隘口镇", "先行示范类（2个）"),
        (S21, "洪安镇", "先行示范类", None, "洪安镇", "先行示范类（2个）"),
        # "重点帮扶类（6个）。市级重点乡：涌洞乡，县级重点乡镇：岑溪乡、大溪乡、膏田镇、海洋乡、妙泉镇。"
        (S21, "涌洞乡", "重点帮扶类", "市级", "市级重点乡：涌洞乡", "重点帮扶类（6个）"),
        (S21, "岑溪乡", "重点帮扶类", "县级", "岑溪乡", "县级重点乡镇："),
        (S21, "大溪乡", "重点帮扶类", "县级", "大溪乡", "县级重点乡镇："),
        (S21, "膏田镇", "重点帮扶类", "县级", "膏田镇", "县级重点乡镇："),
        (S21, "海洋乡", "重点帮扶类", "县级", "海洋乡", "县级重点乡镇："),
        (S21, "妙泉镇", "重点帮扶类", "县级", "妙泉镇", "县级重点乡镇："),
        # "积极推进类（19个）。中和街道、乌杨街道、……孝溪乡、中平乡19个乡镇（街道）。"
        *[(S21, name, "积极推进类", None, name, "积极推进类（19个）") for name in [
            "中和街道", "乌杨街道", "平凯街道", "官庄街道", "清溪场镇", "溶溪镇", "龙池镇",
            "石堤镇", "峨溶镇", "雅江镇", "石耶镇", "梅江镇", "兰桥镇", "溪口镇", "宋农镇",
            "里仁镇", "钟灵镇", "孝溪乡", "中平乡"]],
        # 二（二）
        (S22, "东林居委会", "先行示范类", "市级", "清溪场镇东林居委会", "市级示范村1个"),
        (S22, "贵措村", "先行示范类", "东西部协作", "洪安镇贵措村", "东西部协作示范村2个"),
        (S22, "兴隆坳村", "先行示范类", "东西部协作", "梅江镇兴隆坳村", "东西部协作示范村2个"),
        (S22, "两路村", "先行示范类", "县级主导", "梅江镇两路村", "县级主导示范村"),
        (S22, "吏目村", "先行示范类", "县级主导", "吏目村", "县级主导示范村"),
        (S22, "邓阳社区", "先行示范类", "县级主导", "平凯街道邓阳社区", "县级主导示范村"),
        (S22, "晓教村", "先行示范类", "县级主导", "晓教村", "县级主导示范村"),
        (S22, "银厂村", "先行示范类", "县级主导", "银厂村", "县级主导示范村"),
        (S22, "桂林村", "重点帮扶类", None, "岑溪乡桂林村", "重点帮扶类（5个）"),
        (S22, "河西村", "重点帮扶类", None, "大溪乡河西村", "重点帮扶类（5个）"),
        (S22, "高东村", "重点帮扶类", None, "膏田镇高东村", "重点帮扶类（5个）"),
        (S22, "坝联村", "重点帮扶类", None, "海洋乡坝联村", "重点帮扶类（5个）"),
        (S22, "长冲村", "重点帮扶类", None, "妙泉镇长冲村", "重点帮扶类（5个）"),
    ]
    # 27 townships (2 + 6 + 19) and 13 named villages (8 + 5); in text order.
    assert len(expected) == 27 + 13
    assert found == [(s, u, c, t, q, *at(q, after)) for s, u, c, t, q, after in expected]


# The 2020-06-30 edition of the statistical division codes (data/reference/
# xiushan-township-codes.csv, rows "2020-06-30,2020-11-06,…"): the plan names no codes. This
# edition's 27 names are the plan's 27 names of 二（一）. Kind from the name's suffix; kind by
# code from the bureau's rule for the three digits after 500241: 0xx 街道, 1xx 镇, 2xx–3xx 乡.
CODES_2020 = [
    ("500241001", "中和街道", "街道"), ("500241002", "乌杨街道", "街道"),
    ("500241003", "平凯街道", "街道"), ("500241004", "官庄街道", "街道"),
    ("500241102", "清溪场镇", "镇"), ("500241103", "隘口镇", "镇"), ("500241104", "溶溪镇", "镇"),
    ("500241106", "龙池镇", "镇"), ("500241107", "石堤镇", "镇"), ("500241108", "峨溶镇", "镇"),
    ("500241109", "洪安镇", "镇"), ("500241110", "雅江镇", "镇"), ("500241111", "石耶镇", "镇"),
    ("500241112", "梅江镇", "镇"), ("500241113", "兰桥镇", "镇"), ("500241114", "膏田镇", "镇"),
    ("500241115", "溪口镇", "镇"), ("500241116", "妙泉镇", "镇"), ("500241117", "宋农镇", "镇"),
    ("500241118", "里仁镇", "镇"), ("500241119", "钟灵镇", "镇"),
    ("500241201", "孝溪乡", "乡"), ("500241207", "海洋乡", "乡"), ("500241208", "大溪乡", "乡"),
    ("500241211", "涌洞乡", "乡"), ("500241214", "中平乡", "乡"), ("500241215", "岑溪乡", "乡"),
]


def test_township_codes(run_curated) -> None:
    graph = "https://w3id.org/xsrv-kg/graph/reference/division-codes-2020-06-30"
    found = [(r["code"], r["township"], r["kind"], r["kindByCode"], r["codeGraph"])
             for r in run_curated("township-codes.rq", doc=XIUSHAN)]
    # Ordered by code; 4 街道 + 17 镇 + 6 乡 = 27, as "全县27个乡镇（街道）".
    assert found == [(code, name, kind, kind, graph) for code, name, kind in CODES_2020]
    assert len(found) == 27
    # Every name is one the plan lists in 二（一）.
    s21 = TEXT[TEXT.index("（一）乡镇（街道）分类"):TEXT.index("（二）村分类")]
    assert all(name in s21 for _, name, _ in CODES_2020)


TOWNSHIP = "乡级行政区"
VILLAGE = "村级单位"


def test_declared_vs_enumerated(run_curated) -> None:
    found = [(r["count"], r["level"], r["category"], r["tier"], r["declared"], r["complete"],
              r["enumerated"]) for r in run_curated("declared-vs-enumerated.rq", doc=XIUSHAN)]
    # In the order the numbers first appear in the text.
    assert found == [
        # 一: "分为先行示范类、重点帮扶类、积极推进类"; 二: "分为“三类”": three named
        ("分类数：三类", None, None, None, 3, "true", 3),
        # 二: "将全县27个乡镇（街道）分为“三类”": 2 + 6 + 19 = 27 named in 二（一）
        ("全县乡镇（街道）数：27", TOWNSHIP, None, None, 27, "true", 27),
        # 二（一） "先行示范类（2个）。隘口镇、洪安镇"
        ("先行示范类乡镇（街道）：2个", TOWNSHIP, "先行示范类", None, 2, "true", 2),
        # "重点帮扶类（6个）。市级重点乡：涌洞乡，县级重点乡镇：岑溪乡…妙泉镇": 1 + 5 = 6
        ("重点帮扶类乡镇（街道）：6个", TOWNSHIP, "重点帮扶类", None, 6, "true", 6),
        # "积极推进类（19个）。中和街道…中平乡19个乡镇（街道）": 19 names
        ("积极推进类乡镇（街道）：19个", TOWNSHIP, "积极推进类", None, 19, "true", 19),
        # 二（二） "先行示范类（13个）": 1 + 2 + 5 named (the 5 township-applied are not)
        ("先行示范类村：13个", VILLAGE, "先行示范类", None, 13, "false", 8),
        # "市级示范村1个：清溪场镇东林居委会"
        ("市级示范村：1个", VILLAGE, "先行示范类", "市级", 1, "true", 1),
        # "东西部协作示范村2个：洪安镇贵措村、梅江镇兴隆坳村"
        ("东西部协作示范村：2个", VILLAGE, "先行示范类", "东西部协作", 2, "true", 2),
        # "县级示范村10个": 5 county-led named + 5 township-applied not named
        ("县级示范村：10个", VILLAGE, "先行示范类", "县级", 10, "false", 5),
        # "县级主导示范村（5个），包括梅江镇两路村、吏目村，平凯街道邓阳社区、晓教村、银厂村"
        ("县级主导示范村：5个", VILLAGE, "先行示范类", "县级主导", 5, "true", 5),
        # "乡镇（街道）申报创建示范村（5个），由各乡镇（街道）自行申报": none named
        ("乡镇（街道）申报创建示范村：5个（未列名）", VILLAGE, "先行示范类", "乡镇申报创建", 5,
         "false", 0),
        # "重点帮扶类（5个）：岑溪乡桂林村、…妙泉镇长冲村"
        ("重点帮扶类村：5个", VILLAGE, "重点帮扶类", None, 5, "true", 5),
        # "其余250个行政村按积极推进类": none named
        ("积极推进类行政村：250个（未列名）", VILLAGE, "积极推进类", None, 250, "false", 0),
    ]


def test_count_partitions(run_curated) -> None:
    found = [(r["whole"], r["declared"], r["sumOfParts"], r["parts"])
             for r in run_curated("count-partitions.rq", doc=XIUSHAN)]
    assert found == [
        # 二: 27 乡镇（街道） into "三类": 先行示范类（2个）+ 重点帮扶类（6个）+ 积极推进类（19个）
        # = 2 + 6 + 19 = 27
        ("全县乡镇（街道）数：27", 27, 2 + 6 + 19, 3),
        # 二（二） 先行示范类（13个）: 市级示范村1个 + 东西部协作示范村2个 + 县级示范村10个 = 13
        ("先行示范类村：13个", 13, 1 + 2 + 10, 3),
        # 县级示范村10个: 县级主导示范村（5个）+ 乡镇（街道）申报创建示范村（5个）= 10
        ("县级示范村：10个", 10, 5 + 5, 2),
    ]


# --------------------------------------------------------------------------------------------
# 三（四）: money
# --------------------------------------------------------------------------------------------

RULE_MUNICIPAL_VILLAGE = "市级乡村振兴示范村：市财政连续3年每年500万元"
RULE_COUNTY_TOWNS = "县级乡村振兴示范镇：县财政连续3年每年分别500万元"
RULE_MUNICIPAL_KEY = "市级乡村振兴重点帮扶乡镇：过渡期内市财政每年1000万元"
RULE_COUNTY_KEY = "县级重点帮扶乡镇：过渡期内县财政每年每个200万元"


def test_funding_by_unit(run_curated) -> None:
    found = run_curated("funding-by-unit.rq", doc=XIUSHAN)
    got = {(r["unit"], r["township"], r["category"], r["tier"], r["rule"], r["payer"],
            num(r["perYear"]), r["years"], num(r["wholePeriod"])) for r in found}
    expected = {
        # "对市级乡村振兴示范村，市财政连续3年每年安排500万元" + 二（二） "市级示范村1个：
        # 清溪场镇东林居委会": one village, 500万/年 × 3年 = 1500万
        ("东林居委会", "清溪场镇", "先行示范类", "市级", RULE_MUNICIPAL_VILLAGE, "市财政",
         yuan(500), 3, yuan(500 * 3)),
        # "对县级乡村振兴示范镇，县财政连续3年每年分别安排专项资金500万元", read as the
        # 先行示范类 townships 隘口镇、洪安镇 (xp:interp-county-demo-towns), each
        # 500万/年 × 3年 = 1500万
        *[(town, None, "先行示范类", None, RULE_COUNTY_TOWNS, "县财政", yuan(500), 3, yuan(1500))
          for town in ("隘口镇", "洪安镇")],
        # "在5年过渡期内，对市级乡村振兴重点帮扶乡镇，市财政每年补助1000万元" + 二（一）
        # "市级重点乡：涌洞乡": 1000万/年 × 5年 = 5000万
        ("涌洞乡", None, "重点帮扶类", "市级", RULE_MUNICIPAL_KEY, "市财政",
         yuan(1000), 5, yuan(1000 * 5)),
        # "对县级重点帮扶乡镇，县财政每年每个补助200万元" + "县级重点乡镇：岑溪乡、大溪乡、
        # 膏田镇、海洋乡、妙泉镇": each 200万/年 × 5年 = 1000万
        *[(town, None, "重点帮扶类", "县级", RULE_COUNTY_KEY, "县财政", yuan(200), 5, yuan(1000))
          for town in ("岑溪乡", "大溪乡", "膏田镇", "海洋乡", "妙泉镇")],
        # "对乡镇（街道）申报被评为县级乡村振兴示范村的，县财政每个安排200万元": those
        # villages are not named ("由各乡镇（街道）自行申报"), so no row.
    }
    assert got == expected
    assert len(found) == len(expected) == 1 + 2 + 1 + 5
    # ORDER BY DESC(?wholePeriod) ?payer ?rule ?unit
    assert is_sorted(found, lambda r: (-num(r["wholePeriod"]), r["payer"], r["rule"], r["unit"]))


def test_commitments_by_payer(run_curated) -> None:
    found = [(r["payer"], r["rules"], r["rulesWithoutTotal"], num(r["perYear"]),
              num(r["wholePeriod"])) for r in run_curated("commitments-by-payer.rq", doc=XIUSHAN)]
    assert found == [
        # 县财政, three rules of 三（四）:
        #   县级示范镇 500万 × 2 towns = 1000万/年, × 3年 = 3000万
        #   县级重点帮扶乡镇 200万 × 5 townships = 1000万/年, × 5年 = 5000万
        #   乡镇申报的县级示范村 200万 each, once; villages not named -> no total
        #   per year 1000万 + 1000万 = 2000万; whole period 3000万 + 5000万 = 8000万
        ("县财政", 3, 1, yuan(500 * 2 + 200 * 5), yuan(500 * 2 * 3 + 200 * 5 * 5)),
        # 市财政, two rules:
        #   市级示范村 500万/年 × 3年 = 1500万; 市级重点帮扶乡镇 1000万/年 × 5年 = 5000万
        #   per year 500万 + 1000万 = 1500万; whole period 1500万 + 5000万 = 6500万
        ("市财政", 2, 0, yuan(500 + 1000), yuan(500 * 3 + 1000 * 5)),
    ]
    assert [f[4] for f in found] == [yuan(8000), yuan(6500)]


def test_commitments_by_category(run_curated) -> None:
    found = [(r["category"], r["rules"], r["rulesWithoutTotal"], num(r["perYear"]),
              num(r["wholePeriod"])) for r in run_curated("commitments-by-category.rq", doc=XIUSHAN)]
    assert found == [
        # 先行示范类: 市级示范村 500万/年 × 3 = 1500万; 县级示范镇 500万 × 2 = 1000万/年,
        # × 3 = 3000万; 乡镇申报示范村 200万 each, not named -> no total.
        # 500万 + 1000万 = 1500万/年; 1500万 + 3000万 = 4500万
        ("先行示范类", 3, 1, yuan(500 + 500 * 2), yuan(500 * 3 + 500 * 2 * 3)),
        # 重点帮扶类: 涌洞乡 1000万/年 × 5 = 5000万; 县级重点帮扶乡镇 200万 × 5 = 1000万/年,
        # × 5 = 5000万. 1000万 + 1000万 = 2000万/年; 5000万 + 5000万 = 1亿
        ("重点帮扶类", 2, 0, yuan(1000 + 200 * 5), yuan(1000 * 5 + 200 * 5 * 5)),
        # 积极推进类: 三（四） states no funding for it.
        ("积极推进类", 0, 0, Decimal(0), Decimal(0)),
    ]
    # Both splits add up to the same: 4500万 + 1亿 = 8000万 + 6500万 = 1.45亿
    assert sum(f[4] for f in found) == yuan(14500)


def test_allocations(run_curated) -> None:
    found = [(r["section"], r["recipients"], r["amountAsStated"], num(r["amount"]), r["unit"],
              r["basis"], r["durationAsStated"], r["fundKind"], r["purpose"])
             for r in run_curated("allocations.rq", doc=XIUSHAN)]
    s32, s34 = "三（二）重点帮扶类乡镇", "三（四）乡村振兴示范镇村和重点帮扶镇村"
    assert found == [
        # 三（二） "制定出台支持乡村振兴重点帮扶乡镇的政策措施，强化统筹600亩建设用地规划使用"
        (s32, "乡村振兴重点帮扶乡镇", "600亩", Decimal(600), "亩", None, None, None,
         "建设用地规划使用（统筹）"),
        # 三（四） "对市级乡村振兴示范村，市财政连续3年每年安排500万元": 500 × 1万
        (s34, "市级乡村振兴示范村", "500万元", yuan(500), "元", "每年", "连续3年", None, None),
        # "对县级乡村振兴示范镇，县财政连续3年每年分别安排专项资金500万元": "分别" = each
        (s34, "县级乡村振兴示范镇", "500万元", yuan(500), "元", "每个每年", "连续3年", "专项资金",
         None),
        # "对乡镇（街道）申报被评为县级乡村振兴示范村的，县财政每个安排200万元奖补资金"
        (s34, "乡镇（街道）申报被评为县级乡村振兴示范村的", "200万元", yuan(200), "元", "每个一次",
         None, "奖补资金", None),
        # "在5年过渡期内，对市级乡村振兴重点帮扶乡镇，市财政每年补助1000万元"
        (s34, "市级乡村振兴重点帮扶乡镇", "1000万元", yuan(1000), "元", "每年", "5年过渡期", "补助",
         None),
        # "对县级重点帮扶乡镇，县财政每年每个补助200万元，重点支持产业发展"
        (s34, "县级重点帮扶乡镇", "200万元", yuan(200), "元", "每个每年", "5年过渡期", "补助",
         "重点支持产业发展"),
    ]
    # The wording the data keeps is the text's own.
    for row in found:
        for stated in (row[1], row[2], row[6], row[7]):
            assert stated is None or stated in TEXT


# --------------------------------------------------------------------------------------------
# Goals and measures
# --------------------------------------------------------------------------------------------

INCOME = "农村居民人均可支配收入增速"
ECONOMY = "经济社会发展增速"
CITY_AVG, COUNTY_AVG = "全市平均水平", "全县平均水平"


def test_goals_and_targets(run_curated) -> None:
    found = [(r["appliesTo"], r["targetYear"], r["target"], r["indicator"], r["benchmark"])
             for r in run_curated("goals-and-targets.rq", doc=XIUSHAN)]

    def plain(scope: str, *targets: str) -> list[tuple]:
        return [(scope, "2025", t, None, None) for t in targets]

    def both(scope: str, target: str, benchmark: str) -> list[tuple]:
        # "经济社会发展和农村居民人均可支配收入增速高于…": two indicators, one benchmark.
        return [(scope, "2025", target, INCOME, benchmark), (scope, "2025", target, ECONOMY, benchmark)]

    county = "秀山土家族苗族自治县"
    assert found == [
        # 一: "力争到2025年，建立健全农村低收入人口和脱贫地区长效帮扶机制，脱贫攻坚成果巩固拓展，
        # 不发生规模性返贫致贫，全县经济社会发展和农村居民人均可支配收入增速高于全市平均水平。"
        *plain(county, "建立健全农村低收入人口和脱贫地区长效帮扶机制", "脱贫攻坚成果巩固拓展",
               "不发生规模性返贫致贫"),
        *both(county, "全县经济社会发展和农村居民人均可支配收入增速高于全市平均水平", CITY_AVG),
        # 二（一） 先行示范类: "力争到2025年，实现乡村产业全面升级，乡村治理体系健全，乡村环境生态
        # 宜居，乡风文明大幅提升，打造成为全市推进乡村振兴示范样板，全力带动全县农业农村高质量
        # 发展，经济社会发展和农村居民人均可支配收入增速高于全市平均水平。"
        *plain("先行示范类", "实现乡村产业全面升级", "乡村治理体系健全", "乡村环境生态宜居",
               "乡风文明大幅提升", "打造成为全市推进乡村振兴示范样板", "全力带动全县农业农村高质量发展"),
        *both("先行示范类", "经济社会发展和农村居民人均可支配收入增速高于全市平均水平", CITY_AVG),
        # 重点帮扶类: "…实现乡村基础实施全面完善，特色产业发展全面提质增效，村庄环境得到明显改善，
        # 农村低收入人口长效帮扶机制建立健全，脱贫攻坚成果巩固拓展，不发生规模性返贫致贫，
        # 经济社会发展和农村居民人均可支配收入增速高于全县平均水平。" (全县, not 全市)
        *plain("重点帮扶类", "实现乡村基础实施全面完善", "特色产业发展全面提质增效",
               "村庄环境得到明显改善", "农村低收入人口长效帮扶机制建立健全", "脱贫攻坚成果巩固拓展",
               "不发生规模性返贫致贫"),
        *both("重点帮扶类", "经济社会发展和农村居民人均可支配收入增速高于全县平均水平", COUNTY_AVG),
        # 积极推进类: "…乡村振兴取得重大突破，农业质量效益和竞争力显著增强，乡村建设行动取得重大
        # 进展，农村居民人均可支配收入增速高于全市平均水平，基本实现农业强、农村美、农民富。"
        # (income only: no 经济社会发展 here)
        *plain("积极推进类", "乡村振兴取得重大突破", "农业质量效益和竞争力显著增强",
               "乡村建设行动取得重大进展"),
        ("积极推进类", "2025", "农村居民人均可支配收入增速高于全市平均水平", INCOME, CITY_AVG),
        *plain("积极推进类", "基本实现农业强、农村美、农民富"),
    ]
    # 4 + 7 + 7 + 5 targets; three of them name two indicators.
    assert len(found) == (4 + 7 + 7 + 5) + 3


@pytest.mark.parametrize(("category", "heading", "count"), [
    ("先行示范类", "（一）先行示范类乡镇。", 4),
    ("重点帮扶类", "（二）重点帮扶类乡镇。", 5),
    ("积极推进类", "（三）积极推进类乡镇。", 3),
])
def test_measures_cover_each_paragraph_sentence_by_sentence(run_curated, category, heading,
                                                             count) -> None:
    measures = [r["measure"] for r in run_curated("measures-by-category.rq", doc=XIUSHAN)
                if r["category"] == category]
    # The paragraph of 三 for the category, split after each "。", is the list of measures.
    sentences = re.findall(r"[^。]*。", paragraph(heading))
    assert measures == sentences
    assert len(measures) == count


def test_measures_by_category(run_curated) -> None:
    found = [(r["category"], r["section"], r["measure"]) for r in run_curated("measures-by-category.rq", doc=XIUSHAN)]
    s1, s2, s3 = "三（一）先行示范类乡镇", "三（二）重点帮扶类乡镇", "三（三）积极推进类乡镇"
    assert found == [
        ("先行示范类", s1, "进一步做大特色产业基地规模，打造一批“名特优新”农产品，强化农产品精深加工，不断增加产业附加值和农产品市场竞争力。"),
        ("先行示范类", s1, "加快提升农业现代化水平，打造一批现代农业示范地或产业园，持续推进农旅融合发展。"),
        ("先行示范类", s1, "加大改革创新政策支持力度，鼓励在深化农业农村改革上先行先试，重点壮大村集体经济。"),
        ("先行示范类", s1, "加强财政专项支持，强化用地保障，重点支持保障农业产业项目建设用地空间和指标。"),
        ("重点帮扶类", s2, "继续落实“四个不摘”要求，用足用好帮扶政策，财政转移支付向重点帮扶类乡镇倾斜，以乡村振兴巩固拓展脱贫攻坚成果。"),
        ("重点帮扶类", s2, "在以贡米、中药材、茶叶为主的基础上，加大特色产业发展支持力度，推进产业扶贫向产业振兴提升。"),
        ("重点帮扶类", s2, "进一步完善农业基础设施建设，为农业宜机化提供有效保障，逐步实现农业现代化。"),
        ("重点帮扶类", s2, "加强农业新型经营主体培育，建立完善与农户的利益联结机制，持续增加农户收入。"),
        ("重点帮扶类", s2, "制定出台支持乡村振兴重点帮扶乡镇的政策措施，强化统筹600亩建设用地规划使用。"),
        ("积极推进类", s3, "在巩固拓展脱贫攻坚成果基础上，全面推进“五个振兴”。"),
        ("积极推进类", s3, "统筹规划乡镇（街道）产业发展，加快构建现代农业产业体系、生产体系、经营体系，实现经济高质量发展。"),
        ("积极推进类", s3, "推进乡镇（街道）域内城乡融合发展，提升乡镇（街道）域内城乡基础设施一体化和基本公共服务均等化水平，加快农业农村现代化步伐。"),
    ]


# --------------------------------------------------------------------------------------------
# 一 and 四: principles, safeguards, recurring work
# --------------------------------------------------------------------------------------------

def test_principles(run_curated) -> None:
    found = [(r["number"], r["principle"], r["quote"]) for r in run_curated("principles.rq", doc=XIUSHAN)]
    # 一: "坚持统筹谋划、因地制宜、分类施策、点面结合，坚持抓两头带中间" (five, in this order)
    assert found == [
        (1, "统筹谋划", "统筹谋划"),
        (2, "因地制宜", "因地制宜"),
        (3, "分类施策", "分类施策"),
        (4, "点面结合", "点面结合"),
        # The span of the fifth includes its own "坚持".
        (5, "抓两头带中间", "坚持抓两头带中间"),
    ]
    assert all(q in "坚持统筹谋划、因地制宜、分类施策、点面结合，坚持抓两头带中间" for *_, q in found)


def test_safeguards(run_curated) -> None:
    found = [(r["number"], r["safeguard"], r["section"], r["activities"])
             for r in run_curated("safeguards.rq", doc=XIUSHAN)]
    assert found == [
        # 四（一）: leadership and mechanisms, nothing at a stated frequency
        (1, "加强组织领导", "四（一）加强组织领导", 0),
        # 四（二）: "持续开展企业下乡行动" is ongoing, no frequency
        (2, "广泛动员各方力量参与", "四（二）广泛动员各方力量参与", 0),
        # 四（三）: "定期开展交流活动"
        (3, "注重典型引路、示范带动", "四（三）注重典型引路、示范带动", 1),
        # 四（四）: "原则上每季度召开一次调度会"
        (4, "强化工作调度", "四（四）强化工作调度", 1),
        # 四（五）: "每年开展一次乡村振兴考核评估" and "开展定期不定期督查"
        (5, "强化考核评估", "四（五）强化考核评估", 2),
    ]
    for number, name, _, _ in found:
        assert f"（{'一二三四五'[number - 1]}）{name}。" in TEXT


FREQ = "http://purl.org/cld/freq/"


def test_recurring_activities(run_curated) -> None:
    found = [(r["section"], r["activity"], r["frequency"], r["frequencyAsStated"], r["qualifier"],
              r["responsible"]) for r in run_curated("recurring-activities.rq", doc=XIUSHAN)]
    assert found == [
        # 二（二）: "由各乡镇（街道）自行申报，县委农办制定评审细则进行评审择优确定。原则上实行
        # 一年一创" -> yearly, in principle, by 县委农办
        ("二（二）村分类", "乡镇申报县级示范村评审", FREQ + "annual", "一年一创", "原则上", "县委农办"),
        # 四（三）: "定期开展交流活动": no period stated, no body named
        ("四（三）注重典型引路、示范带动", "乡村振兴交流活动", None, "定期", None, None),
        # 四（四）: "县委农办要……原则上每季度召开一次调度会"
        ("四（四）强化工作调度", "分类推进乡村振兴调度会", FREQ + "quarterly", "每季度召开一次", "原则上",
         "县委农办"),
        # 四（五）: "对各乡镇（街道）每年开展一次乡村振兴考核评估": no body named
        ("四（五）强化考核评估", "乡镇（街道）乡村振兴考核评估", FREQ + "annual", "每年开展一次", None,
         None),
        # 四（五）: "对各乡镇（街道）开展定期不定期督查": scheduled and unscheduled, no one period
        ("四（五）强化考核评估", "乡镇（街道）督查", None, "定期不定期", None, None),
    ]
    assert all(row[3] in TEXT for row in found)


# --------------------------------------------------------------------------------------------
# The document and the editors' notes
# --------------------------------------------------------------------------------------------

def test_document_metadata(run_curated) -> None:
    found = run_curated("document-metadata.rq", doc=XIUSHAN)
    assert found == [{
        # Lines 1–2 of the text: "秀山土家族苗族自治县分类全面推进" / "乡村振兴实施方案（试行）"
        "title": "秀山土家族苗族自治县分类全面推进乡村振兴实施方案（试行）",
        "status": "试行",
        "language": "zh",
        "area": "秀山土家族苗族自治县",
        # The text names no issuing body and no date (xp:note-issuer).
        "issuer": None,
        "date": None,
        # "按照《中共重庆市委农村工作暨实施乡村振兴战略领导小组关于印发<重庆市分层分类全面推进
        # 乡村振兴实施方案（试行）>的通知》（渝委农组〔2021〕9号）要求"; the inner <…> is written
        # 《…》 in the title as stored.
        "basedOn": "渝委农组〔2021〕9号",
        "basedOnTitle": "中共重庆市委农村工作暨实施乡村振兴战略领导小组关于印发《重庆市分层分类全面推进乡村振兴实施方案（试行）》的通知",
        "basedOnIssuer": "中共重庆市委农村工作暨实施乡村振兴战略领导小组",
        "issuesDocument": "重庆市分层分类全面推进乡村振兴实施方案（试行）",
    }]
    assert TEXT.lstrip("\n").startswith("秀山土家族苗族自治县分类全面推进\n乡村振兴实施方案（试行）")


def test_ambiguities(run_curated) -> None:
    found = run_curated("ambiguities.rq", doc=XIUSHAN)
    got = {(r["ambiguity"], r["concerns"], r["quote"]) for r in found}
    purpose = "“重点支持产业发展”的适用范围"
    applied = "乡镇申报示范村的数量与资金总额不确定"
    unfunded = "县级主导示范村、东西部协作示范村与重点帮扶村的资金未载明"
    periods = "资金期限的起止年份未载明"
    assert got == {
        # 三（四） "…市财政每年补助1000万元；对县级重点帮扶乡镇，县财政每年每个补助200万元，
        # 重点支持产业发展": does the purpose cover the clause before the semicolon too?
        (purpose, "县级重点帮扶乡镇：过渡期内县财政每年每个200万元", "重点支持产业发展"),
        (purpose, "市级乡村振兴重点帮扶乡镇：过渡期内市财政每年1000万元", "重点支持产业发展"),
        # 二（二） "乡镇（街道）申报创建示范村（5个）…原则上实行一年一创，动态管理": 5 in all or
        # 5 a year? So 200万 × 5 = 1000万 is not a safe total.
        (applied, "乡镇申报的县级示范村：县财政每个200万元奖补", "原则上实行一年一创，动态管理"),
        (applied, "乡镇（街道）申报创建示范村：5个（未列名）", "原则上实行一年一创，动态管理"),
        # "其余250个行政村" counts 行政村 only; 13 + 5 + 250 is no total of village-level units.
        ("全县村级单位总数未载明", "积极推进类行政村：250个（未列名）", "除先行示范类、重点帮扶类外，其余250个行政村"),
        # 三（四） funds only 市级示范村 and township-applied 县级示范村 among villages.
        (unfunded, "东西部协作示范村：2个", "（四）乡村振兴示范镇村和重点帮扶镇村"),
        (unfunded, "县级主导示范村：5个", "（四）乡村振兴示范镇村和重点帮扶镇村"),
        (unfunded, "重点帮扶类村：5个", "（四）乡村振兴示范镇村和重点帮扶镇村"),
        # Neither issuer nor date nor number of the plan itself appears in the text.
        ("发文机关与日期未载明", "秀山土家族苗族自治县分类全面推进乡村振兴实施方案（试行）", None),
        # "连续3年" (twice: the municipal village's, the county towns') and "5年过渡期" are not
        # dated. The note quotes all three and concerns the period and the four rules with a
        # period (two of 连续3年, two within the 5年过渡期): a row per concern and quote.
        *[(periods, concerns, quote)
          for concerns in ("5年过渡期", "县级乡村振兴示范镇：县财政连续3年每年分别500万元",
                           "市级乡村振兴示范村：市财政连续3年每年500万元", RULE_MUNICIPAL_KEY,
                           RULE_COUNTY_KEY)
          for quote in ("连续3年每年安排500万元", "连续3年", "5年过渡期")],
    }
    assert len(found) == len(got) == 2 + 2 + 1 + 3 + 1 + 5 * 3
    assert all(q is None or q in TEXT for _, _, q in got)
    assert is_sorted(found, lambda r: (r["ambiguity"], r["concerns"] or "", r["quote"] or ""))
    # Each quote where the text says it: "连续3年" of 三（四） twice, then "5年过渡期".
    starts = [TEXT.index("连续3年"), TEXT.index("连续3年", TEXT.index("连续3年") + 1),
              TEXT.index("5年过渡期")]
    assert starts == sorted(starts) and all(TEXT.index("（四）") < x for x in starts)


# --------------------------------------------------------------------------------------------
# Standing and 万元: what each figure rests on, and amounts in the text's own unit
# --------------------------------------------------------------------------------------------

def wan(stated: str) -> Decimal:
    """"500万元" -> 500."""
    return Decimal(re.fullmatch(r"(\d+)万元", stated)[1])


def test_amounts_are_also_given_in_wan(run_curated) -> None:
    # Each amount the text writes in 万元 ("500万元"), as the query gives it in 万元: the stored
    # yuan divided by 10 000, and the text's own figure.
    for r in run_curated("allocations.rq", doc=XIUSHAN):
        if r["unit"] == "元":
            assert num(r["amountWan"]) == wan(r["amountAsStated"]) == num(r["amount"]) / WAN
        else:  # 600亩: no 万元
            assert r["amountWan"] is None
    for name, columns in (("fund-rules.rq", ("amount", "perYear", "wholePeriod")),
                          ("funding-by-unit.rq", ("perYear", "wholePeriod")),
                          ("commitments-by-payer.rq", ("perYear", "wholePeriod")),
                          ("commitments-by-category.rq", ("perYear", "wholePeriod"))):
        found = run_curated(name, doc=XIUSHAN)
        assert found
        for r in found:
            for column in columns:
                yuan_, in_wan = num(r[column]), num(r[column + "Wan"])
                assert (in_wan is None) == (yuan_ is None), (name, column)
                assert in_wan is None or in_wan * WAN == yuan_, (name, column, r)
    # The headline figures in 万元, as read off the text above: 县财政 8000万, 市财政 6500万.
    assert [num(r["wholePeriodWan"]) for r in run_curated("commitments-by-payer.rq", doc=XIUSHAN)] == [
        Decimal(8000), Decimal(6500)]


def test_standing_columns_follow_the_notes_in_the_data(run_curated, config) -> None:
    """?standing is what the notes that concern the row's resources make of it, derived here
    from the data files (tests/standing_data.py), not listed by hand."""
    notes = data_notes(config.data_dir)
    for r in run_curated("fund-rules.rq", doc=XIUSHAN):
        assert r["standing"] == notes.standing(notes.rule_of_row(r["rule"])), r["rule"]
    for r in run_curated("funding-by-unit.rq", doc=XIUSHAN):
        rule = notes.rule_of_row(r["rule"])
        assignment = notes.assignment_of(r["unit"], XIUSHAN)
        assert r["standing"] == notes.standing(rule, assignment), (r["unit"], r["rule"])
    for name, key in (("commitments-by-payer.rq", "payer"),
                      ("commitments-by-category.rq", "category")):
        rules = {notes.rule_of_row(r["rule"]): r[key] for r in run_curated("fund-rules.rq", doc=XIUSHAN)} \
            if key == "payer" else None
        for r in run_curated(name, doc=XIUSHAN):
            if rules is not None:
                mine = [rule for rule, payer in rules.items() if payer == r["payer"]]
            else:
                mine = notes.rules_in_category(r["category"])
            assert r["standing"] == notes.standing(*mine), (name, r[key])
    for name, column in (("townships-by-category.rq", "township"),
                         ("villages-by-category.rq", "village")):
        found = run_curated(name, doc=XIUSHAN)
        for r in found:
            assignment = notes.assignment_of(r[column], XIUSHAN)
            assert r["standing"] == notes.standing(assignment, notes.unit_of(assignment))
        # 涌洞乡's 市级 and 吏目村's township are readings the data marks.
        assert {r["standing"] for r in found} == {"stated", "interpretation"}


# --------------------------------------------------------------------------------------------
# Per document: the queries that take ?doc (default: every document)
# --------------------------------------------------------------------------------------------

CHONGQING = "https://w3id.org/xsrv-kg/id/doc/chongqing-plan"
#: The municipal plan's text as the data holds it: an account of a public summary.
CQ_TEXT = (SOURCE.parent.parent / "chongqing-plan" / "source.txt").read_text(encoding="utf-8")


def test_the_municipal_plan_s_assignments_and_their_quotes(run_curated) -> None:
    found = run_curated("assignment-sources.rq", doc=CHONGQING)
    # "万州区 and 黔江区 are to set the example" (先行示范类); "城口县, 巫溪县, 酉阳县 and 彭水县
    # are the national key counties" (重点帮扶类, 国家乡村振兴重点帮扶县); the account names
    # no 积极推进类 unit and has no sections.
    assert [(r["category"], r["tier"], r["quote"]) for r in found] == [
        ("先行示范类", None, "万州区"), ("先行示范类", None, "黔江区"),
        *(("重点帮扶类", "国家乡村振兴重点帮扶县", q) for q in ("城口县", "巫溪县", "酉阳县", "彭水县"))]
    for r in found:
        assert CQ_TEXT[r["start"]:r["end"]] == r["quote"] and r["section"] is None
    # 酉阳县 and 彭水县 are the account's short names of the two autonomous counties.
    assert [r["unit"] for r in found][4:] == ["酉阳土家族苗族自治县", "彭水苗族土家族自治县"]


def test_the_municipal_plan_s_counts(run_curated) -> None:
    # "38 agriculture-related districts and counties … into three categories: 先行示范类 8
    # districts, 重点帮扶类 12 districts and counties, 积极推进类 the other 18"; the account
    # names 2, 4 and none of them.
    declared = {(r["category"], r["declared"], r["complete"], r["enumerated"])
                for r in run_curated("declared-vs-enumerated.rq", doc=CHONGQING)}
    assert declared == {(None, 3, "true", 3), ("先行示范类", 8, "false", 2),
                        ("重点帮扶类", 12, "false", 4), ("积极推进类", 18, "false", 0)}
    assert {(r["declared"], r["named"]) for r in
            run_curated("incomplete-counts.rq", doc=CHONGQING)} == {(8, 2), (12, 4), (18, 0)}
    assert [(r["declared"], r["sumOfParts"], r["parts"]) for r in
            run_curated("count-partitions.rq", doc=CHONGQING)] == [(38, 8 + 12 + 18, 3)]


def test_the_municipal_plan_s_metadata_and_goals(run_curated) -> None:
    [meta] = run_curated("document-metadata.rq", doc=CHONGQING)
    # "cites 《重庆市分层分类全面推进乡村振兴实施方案（试行）》, issued by 中共重庆市委农村工作暨
    # 实施乡村振兴战略领导小组": a trial (试行), of 重庆市; no date, number or language stated.
    assert (meta["title"], meta["status"], meta["area"], meta["issuer"]) == (
        "重庆市分层分类全面推进乡村振兴实施方案（试行）", "试行", "重庆市",
        "中共重庆市委农村工作暨实施乡村振兴战略领导小组")
    assert meta["date"] is None and meta["language"] is None
    goals = run_curated("goals-and-targets.rq", doc=CHONGQING)
    # Targets worded as the (English) account words them, each found in it.
    assert {(r["appliesTo"], r["targetYear"], r["target"]) for r in goals} == {
        ("先行示范类", "2025", "reach the eastern-region average"),
        ("先行示范类", "2030", "reach the eastern-region average"),
        ("重点帮扶类", "2025", "long-term assistance mechanisms in place"),
        ("重点帮扶类", "2025", "income growth above the municipal average"),
        ("积极推进类", "2025", "major breakthroughs"),
        ("积极推进类", "2025", "rural income growth above the national average")}
    assert all(" ".join(CQ_TEXT.split()).count(r["target"]) for r in goals)


@pytest.mark.parametrize("name", ["fund-rules.rq", "allocations.rq", "funding-by-unit.rq",
                                  "commitments-by-payer.rq", "commitments-by-category.rq",
                                  "townships-by-category.rq", "villages-by-category.rq",
                                  "township-codes.rq", "principles.rq", "safeguards.rq",
                                  "recurring-activities.rq", "measures-by-category.rq"])
def test_the_municipal_plan_has_no_rows_of_what_its_account_does_not_state(
        run_curated, name: str) -> None:
    # The account states no funding, no township or village, no principles, safeguards or
    # recurring work, and its two measures concern districts, not categories.
    assert run_curated(name, doc=CHONGQING) == []
    assert run_curated(name, doc=XIUSHAN)


DOCUMENT_QUERIES = sorted(p.name for p in (SOURCE.parents[3] / "queries").glob("*.rq")
                          if "# param: doc document *" in p.read_text(encoding="utf-8"))


def test_every_document_query_answers_every_document_by_default(run_curated, store) -> None:
    """Without ?doc a query answers for every document: its rows are the rows of each document
    (a multiset), the county plan's and the municipal plan's among them."""
    assert len(DOCUMENT_QUERIES) >= 18
    documents = store_column(store, "SELECT ?d { ?d a xsrv:PolicyDocument } ORDER BY ?d")
    assert {XIUSHAN, CHONGQING} <= set(documents)

    def key(row: dict) -> list:
        return sorted((str(k), str(v)) for k, v in row.items())

    for name in DOCUMENT_QUERIES:
        each = [row for d in documents for row in run_curated(name, doc=d)]
        assert sorted(map(key, run_curated(name))) == sorted(map(key, each)), name
