"""Designations stated in running text, not under a heading line: "确定十二个村为…示范村，现将名单
公布如下：" over numbered groups, "确定东山、西河2个镇和青石…3个村为首批示范镇村", and an uncounted
run "确定南岭镇和红旗村、光明社区为第二批示范镇村". The name after 为 is what the members become."""

from __future__ import annotations

from pathlib import Path

import rdflib

from xsrv_kg.draft import Draft, draft, write_draft

from .conftest import validate_files

XSRV = rdflib.Namespace("https://w3id.org/xsrv-kg/ontology#")
NAME = "2023年度美丽乡村示范村"
ANNOUNCED = (
    f"经评审，确定五个村为{NAME}，现将名单公布如下：\n"
    "1.城东街道（2个）：柳湾社区、桃园村\n"
    "2.青峰镇（3个）：青峰村、大坪村、龙潭村\n"
    "对以上示范村，县财政给予每村30万元奖补资金。\n"
)


def categories(d: Draft) -> dict[str, str | None]:
    return {m.data["name"]: m.data["category"] for m in d.of("member")}


def test_an_announced_list_takes_the_name_after_wei_as_its_category() -> None:
    d = draft(ANNOUNCED, doc_id="t")
    assert categories(d) == dict.fromkeys(["柳湾社区", "桃园村", "青峰村", "大坪村", "龙潭村"], NAME)
    # the name is quoted among each member's spans: stated, not guessed
    at = ANNOUNCED.index(NAME)
    assert all((at, at + len(NAME)) in [(s.start, s.end) for s in m.spans] for m in d.of("member"))


def test_the_announced_count_heads_the_groups_and_is_partitioned_into_them() -> None:
    d = draft(ANNOUNCED, doc_id="t")
    (whole,) = [c for c in d.of("count") if c.data["value"] == 5]
    assert whole.data["label"] == NAME and whole.data["complete"] is True
    assert [s.exact for s in whole.spans] == ["五个村", NAME]
    assert [(p.data["value"], p.data["within"]) for p in whole.data["parts"]] == [
        (2, "城东街道"), (3, "青峰镇")]
    assert all(p.data["label"] == NAME for p in whole.data["parts"])


def test_a_rule_for_the_list_above_names_its_category_and_level(tmp_path: Path) -> None:
    d = draft(ANNOUNCED, doc_id="t")
    (rule,) = d.of("fund")
    assert (rule.data["recipient_category"], rule.data["recipient_level"]) == (
        NAME, "VillageLevelDivision")
    write_draft(d, tmp_path)
    g = rdflib.Graph().parse(tmp_path / "funding.ttl").parse(tmp_path / "classification.ttl")
    (iri,) = g.subjects(rdflib.RDF.type, XSRV.FundRule)
    category = g.value(iri, XSRV.recipientCategory)
    assert str(g.value(category, rdflib.SKOS.prefLabel)) == NAME
    assert g.value(iri, XSRV.recipientLevel) == XSRV.VillageLevelDivision


def test_without_an_announcement_the_count_stays_its_sentences() -> None:
    """ "拟命名4个乡镇为示范乡镇。现予以公示" restates the heading below it: no list opens."""
    text = f"确定两个村为{NAME}。\n示范村（2个）：花溪村、渔港村\n"
    d = draft(text, doc_id="t")
    assert categories(d) == {"花溪村": "示范村", "渔港村": "示范村"}


def test_counted_groups_in_one_sentence_take_the_name_after_wei() -> None:
    text = "2024年，确定东山、西河2个镇和青石、白塔、柳岸3个村为首批示范镇村；其余另行确定。\n"
    d = draft(text, doc_id="t")
    assert categories(d) == dict.fromkeys(["东山镇", "西河镇", "青石村", "白塔村", "柳岸村"],
                                         "首批示范镇村")
    assert sorted((c.data["value"], c.data["label"]) for c in d.of("count")) == [
        (2, "首批示范镇村"), (3, "首批示范镇村")]


def test_an_uncounted_run_before_wei_is_a_list_of_that_category() -> None:
    text = "2025年，确定南岭镇和红旗村、新民村、光明社区为第二批示范镇村。\n"
    d = draft(text, doc_id="t")
    assert categories(d) == dict.fromkeys(["南岭镇", "红旗村", "新民村", "光明社区"], "第二批示范镇村")
    assert d.of("count") == []


def test_a_run_of_names_without_wei_is_no_list() -> None:
    d = draft("南岭镇、红旗村、新民村是本县的重点区域。\n", doc_id="t")
    assert d.of("member") == []


def test_a_count_of_a_kind_names_the_kind_when_other_kinds_are_among_the_members(
        config, tmp_path: Path) -> None:
    """ "五个村" counts 行政村, and 柳湾社区 is a 社区: the count is off by one, and the message
    says of which kind, since the category has five members in all."""
    folder = tmp_path / "t"
    write_draft(draft(ANNOUNCED, doc_id="t"), folder)
    report = validate_files(config, [folder])
    counts = [r for r in report.results
              if r.severity == "Violation" and r.shape == "xsh:AssignmentCountShape"]
    assert [r.message("en") for r in counts] == [
        "Declared count 5 of kind administrative village but the data has 4 members of that "
        "kind: the count and its members are inconsistent (members of other kinds are not "
        "counted)"]
    assert counts[0].message("zh").startswith("声明“行政村”5 个，但数据中该类型的成员有 4 个")


ATTACHED = (
    "经评审和网上公示，确定东城区柳溪镇花园社区等5个村（社区）为第二批示范村，现予公布。\n"
    "附件：第二批示范村名单\n"
    "\n"
    "附件\n"
    "第二批示范村名单\n"
    "（共5个）\n"
    "东城区（3个）：柳溪镇花园社区、柳溪镇石门村、桥头街道新桥村\n"
    "西山县（2个）：平安镇大石村、龙岗乡龙岗村\n"
)


def test_an_attached_lists_title_and_total_head_the_list_below() -> None:
    d = draft(ATTACHED, doc_id="t")
    assert set(categories(d).values()) == {"第二批示范村"} and len(categories(d)) == 5
    (whole,) = [c for c in d.of("count") if c.data["value"] == 5]
    assert whole.data["complete"] is True
    assert [(p.data["value"], p.data["within"]) for p in whole.data["parts"]] == [
        (3, "东城区"), (2, "西山县")]


def test_the_count_before_an_attached_list_is_the_lists_count_and_its_example_a_member() -> None:
    """ "确定…花园社区等5个村（社区）为第二批示范村" restates the list's "（共5个）": one count with
    both spans, and 花园社区 is listed once (not in a second list of one)."""
    d = draft(ATTACHED, doc_id="t")
    (whole,) = [c for c in d.of("count") if c.data["value"] == 5]
    spans = [s.exact for s in whole.spans]
    assert {"（共5个）", "第二批示范村"} <= set(spans)
    assert any(s.endswith("等5个村（社区）") for s in spans), spans
    assert [m.data["name"] for m in d.of("member")].count("花园社区") == 1


def test_a_title_without_a_total_is_no_heading() -> None:
    d = draft("第二批示范村名单\n柳溪镇花园社区、柳溪镇石门村\n", doc_id="t")
    assert d.of("count") == []
    assert all(c is None for c in categories(d).values())
    assert {p.data["name"] for p in d.of("place")} >= {"花园社区", "石门村"}


def test_a_notice_recalled_is_no_status_a_notice_given_is() -> None:
    statuses = [f.data["status"] for f in draft(ATTACHED, doc_id="t").of("status")]
    assert statuses == []
    given = draft("经评审，拟命名花园社区为示范村。现予以公示，公示期为5天。\n", doc_id="t")
    assert [f.data["status"] for f in given.of("status")] == [
        "status-public-notice", "designation-proposed"]


TABLE = (
    "经评审，确定东城区柳溪镇花园社区等3个村（社区）为第三批示范村，现予公布。\n"
    "\n"
    "河阳市农业农村局\n"
    "2025年9月1日\n"
    "\n"
    "附件\n"
    "第三批示范村名单\n"
    "序号\t区县\t乡镇（街道）\t村（社区）\n"
    "1\t东城区\t柳溪镇\t花园社区\n"
    "2\t东城区\t桥头街道\t新桥村\n"
    "3\t西山县\t平安镇\t大石村\n"
)


def test_a_title_over_a_table_opens_the_list_and_takes_the_running_count() -> None:
    d = draft(TABLE, doc_id="t")
    assert categories(d) == dict.fromkeys(["花园社区", "新桥村", "大石村"], "第三批示范村")
    (whole,) = d.of("count")
    assert (whole.data["value"], whole.data["complete"]) == (3, True)
    assert any(s.exact.endswith("等3个村（社区）") for s in whole.spans)
    assert "乡镇（街道）" not in {p.data["name"] for p in d.of("place")}


def test_the_signature_before_an_attachment_is_the_documents() -> None:
    d = draft(TABLE, doc_id="t")
    assert [f.data["issuer"] for f in d.of("issuer")] == ["河阳市农业农村局"]
    assert [f.data["date"] for f in d.of("date")] == ["2025-09-01"]


def test_a_title_conferred_names_the_category_of_the_places_given_it() -> None:
    text = "经研究，决定授予东城区柳溪镇花园社区、西山县平安镇大石村“乡村振兴示范村”称号。\n"
    assert categories(draft(text, doc_id="t")) == {"花园社区": "乡村振兴示范村",
                                                   "大石村": "乡村振兴示范村"}


def test_one_place_designated_and_places_bei_pingwei_are_members_too() -> None:
    one = draft("经研究，确定东城区柳溪镇花园社区为2025年度示范村。\n", doc_id="t")
    assert categories(one) == {"花园社区": "2025年度示范村"}
    named = draft("柳溪镇花园社区、平安镇大石村被评为全国乡村治理示范村。\n", doc_id="t")
    assert categories(named) == dict.fromkeys(["花园社区", "大石村"], "全国乡村治理示范村")


def test_without_a_designation_verb_wei_names_no_category() -> None:
    """ "…为全县最大的村" describes; it confers nothing."""
    assert draft("柳溪镇花园社区、平安镇大石村为全县最大的村。\n", doc_id="t").of("member") == []
    assert draft("花园社区为全县人口最多的社区。\n", doc_id="t").of("member") == []


PIPES = (
    "第四批示范村名单{total}\n"
    "| 序号 | 区县 | 乡镇 | 村 |\n"
    "|---|---|---|---|\n"
    "| 1 | 东城区 | 柳溪镇 | 花园社区 |\n"
    "| 2 | 西山县 | 平安镇 | 大石村 |\n"
)


def test_a_pipe_table_under_a_title_is_read_as_its_rows_with_or_without_a_total() -> None:
    for total in ("（共2个）", ""):
        d = draft(PIPES.format(total=total), doc_id="t")
        assert categories(d) == {"花园社区": "第四批示范村", "大石村": "第四批示范村"}, total
        parents = {p.data["name"]: p.data["parent"] for p in d.of("place")}
        assert (parents["花园社区"], parents["柳溪镇"]) == ("柳溪镇", "东城区")
        assert [(c.data["value"], c.data["complete"]) for c in d.of("count")] == (
            [(2, True)] if total else [])
