"""draft(): each pattern the issue names, read from a small snippet with its exact span."""

from __future__ import annotations

from decimal import Decimal

from xsrv_kg.draft import Draft, Fact, draft


def one(d: Draft, kind: str, **where: object) -> Fact:
    found = [f for f in d.of(kind) if all(f.data.get(k) == v for k, v in where.items())]
    assert len(found) == 1, (kind, where, [f.data for f in d.of(kind)])
    return found[0]


def names(d: Draft) -> dict[str, tuple[str, str | None]]:
    return {f.data["name"]: (f.data["kind"], f.data["parent"]) for f in d.of("place")}


def test_a_category_heading_with_its_count_and_members() -> None:
    text = "先行示范类（2个）：隘口镇、洪安镇。"
    d = draft(text, doc_id="t")
    count = one(d, "count", value=2)
    assert count.data["label"] == "先行示范类" and count.data["complete"] is True
    assert count.span.exact == "先行示范类（2个）"
    assert names(d) == {"隘口镇": ("kind-town", None), "洪安镇": ("kind-town", None)}
    assert {m.data["name"]: m.data["category"] for m in d.of("member")} == {
        "隘口镇": "先行示范类",
        "洪安镇": "先行示范类",
    }
    aikou = next(f for f in d.of("place") if f.data["name"] == "隘口镇")
    assert (aikou.span.start, aikou.span.end) == (10, 13) and text[10:13] == aikou.span.exact


def test_a_count_in_running_text_with_what_it_counts() -> None:
    d = draft("全镇共有26个村，均已完成规划。", doc_id="t")
    count = one(d, "count", value=26)
    assert count.data["level"] == "VillageLevelDivision" and count.span.exact == "26个村"
    assert d.of("place") == []


def test_a_count_whose_list_names_fewer_members_is_incomplete() -> None:
    d = draft("县级示范村10个：包括梅江镇两路村、吏目村。", doc_id="t")
    count = one(d, "count", value=10)
    assert count.data["complete"] is False and count.data["named"] == 2


def test_a_yearly_amount_with_its_payer() -> None:
    d = draft("对市级示范村，市财政每年安排500万元。", doc_id="t")
    rule = one(d, "fund", payer="市财政")
    assert rule.data["amount"] == Decimal("5000000") and rule.data["basis"] == "basis-per-year"
    assert (
        rule.data["recipients"] == "市级示范村"
        and rule.span.exact == "对市级示范村，市财政每年安排500万元"
    )


def test_a_consecutive_period_in_years() -> None:
    d = draft("对示范镇，县财政连续3年每年分别安排专项资金500万元。", doc_id="t")
    rule = one(d, "fund")
    assert rule.data["period_years"] == 3 and rule.data["period_as_stated"] == "连续3年"
    assert (
        rule.data["basis"] == "basis-per-recipient-per-year"
        and rule.data["fund_kind"] == "专项资金"
    )


def test_a_transition_period_opening_a_sentence_governs_each_clause() -> None:
    d = draft(
        "在5年过渡期内，对重点乡镇，市财政每年补助1000万元；对其他乡镇，县财政每年每个补助200万元。",
        doc_id="t",
    )
    rules = sorted(d.of("fund"), key=lambda f: f.data["amount"])
    assert [r.data["period_years"] for r in rules] == [5, 5]
    assert [r.data["period_kind"] for r in rules] == ["transition", "transition"]
    assert [r.data["basis"] for r in rules] == ["basis-per-recipient-per-year", "basis-per-year"]
    assert all("5年过渡期" in r.span.exact for r in rules)


def test_a_period_of_another_clause_is_not_borrowed() -> None:
    d = draft(
        "对每个示范镇，县财政每年补助300万元，连续支持3年；对每个示范村，县财政一次性奖补100万元。",
        doc_id="t",
    )
    village = one(d, "fund", recipients="示范村")
    assert (
        "period_years" not in village.data and village.data["basis"] == "basis-per-recipient-once"
    )
    assert one(d, "fund", recipients="示范镇").data["period_years"] == 3


def test_an_amount_for_each_recipient() -> None:
    rule = one(draft("每个乡镇补助100万元。", doc_id="t"), "fund")
    assert rule.data["basis"] == "basis-per-recipient-once" and rule.data["recipients"] == "乡镇"
    assert rule.data["amount"] == Decimal("1000000")


def test_a_recurring_activity_and_its_frequency() -> None:
    d = draft("县委农办原则上每季度召开一次调度会。", doc_id="t")
    activity = one(d, "activity")
    assert activity.data == {
        "freq": "quarterly",
        "as_stated": "每季度召开一次",
        "qualifier": "原则上",
    }


def test_a_closing_date_and_the_issuer_above_it() -> None:
    for date in ("2021年10月21日", "二〇二一年十月二十一日"):
        d = draft(f"关于某事的通知\n正文。\n某县人民政府\n{date}\n", doc_id="t")
        assert one(d, "date").data["date"] == "2021-10-21" and one(d, "date").span.exact == date
        assert one(d, "issuer").data["issuer"] == "某县人民政府"
        assert one(d, "title").data["title"] == "关于某事的通知"


def test_a_document_number_in_the_header_and_one_of_a_basis_document() -> None:
    d = draft(
        "关于印发某方案的通知\n渝委农组〔2021〕9号\n按照《某某关于某事的意见》（渝府发〔2020〕3号）要求，制定本方案。",
        doc_id="t",
    )
    assert one(d, "number").data["number"] == "渝委农组〔2021〕9号"
    basis = one(d, "basis")
    assert (
        basis.data["number"] == "渝府发〔2020〕3号" and basis.data["title"] == "某某关于某事的意见"
    )
    assert basis.data["issuer"] == "某某"


def test_status_words_of_a_trial_plan_and_a_proposed_designation_under_notice() -> None:
    assert (
        one(draft("某县实施方案（试行）\n正文。", doc_id="t"), "status").data["status"]
        == "status-trial"
    )
    d = draft("关于拟评定示范村的公示\n正文。", doc_id="t")
    assert {f.data["status"] for f in d.of("status")} == {"designation-proposed", "status-public-notice"}
    assert draft("模拟演练方案\n拟定计划。", doc_id="t").of("status") == []


def test_a_stated_total_is_checked_against_its_parts() -> None:
    text = (
        "一、一等奖（2个），每个奖励500万元：甲镇、乙镇。\n二、二等奖（2个），每个奖励500万元：丙镇、丁镇。\n"
        "以上合计{}万元。"
    )
    good = one(draft(text.format(2000), doc_id="t"), "total")
    assert good.data["amount"] == Decimal("20000000") and good.data["check"] == "parts add up"
    bad = draft(text.format(2100), doc_id="t")
    assert one(bad, "total").data["check"] == "parts add up to 20000000 yuan, not 21000000"
    assert "total 2100万元: parts add up to 20000000 yuan, not 21000000" in bad.checks


def test_places_nest_in_the_place_named_before_them() -> None:
    d = draft("示范村（3个）\n甲区：乙镇丙村、丁村，戊乡己村", doc_id="t")
    assert names(d) == {
        "甲区": ("kind-district", None),
        "乙镇": ("kind-town", "甲区"),
        "丙村": ("kind-administrative-village", "乙镇"),
        "丁村": ("kind-administrative-village", "乙镇"),
        "戊乡": ("kind-township", "甲区"),
        "己村": ("kind-administrative-village", "戊乡"),
    }
    inner = next(f for f in d.of("place") if f.data["name"] == "丁村")
    assert inner.span.exact == "乙镇丙村、丁村"


def test_names_without_suffix_take_the_kind_the_heading_gives() -> None:
    d = draft("将东山、西河2个镇列为示范镇。", doc_id="t")
    assert names(d) == {"东山镇": ("kind-town", None), "西河镇": ("kind-town", None)}
    assert one(d, "count", value=2).data["complete"] is True


def test_the_area_is_the_parent_one_level_up_and_is_marked_as_given() -> None:
    d = draft("先行示范类（1个）：隘口镇。", doc_id="t", area="秀山土家族苗族自治县")
    aikou = one(d, "place", name="隘口镇")
    assert aikou.data["parent"] == "秀山土家族苗族自治县" and aikou.given["parent"] == "--area"
    assert "秀山" not in "".join(aikou.stated)


def test_names_are_linked_to_codes_only_where_the_tables_cover_the_area() -> None:
    linked = one(
        draft("先行示范类（1个）：隘口镇。", doc_id="t", area="秀山土家族苗族自治县"),
        "place",
        name="隘口镇",
    )
    assert linked.data["code"] == "500241103" and "统计用区划代码" in linked.given["code"]
    elsewhere = one(
        draft("先行示范类（1个）：隘口镇。", doc_id="t", area="青川县"), "place", name="隘口镇"
    )
    assert "code" not in elsewhere.data and "code" not in elsewhere.given


def test_running_text_that_ends_in_a_suffix_is_not_a_place() -> None:
    d = draft("持续开展企业下乡行动，大力推动城市工商资本下乡，建设美丽乡村。", doc_id="t")
    assert d.of("place") == []


def test_a_place_heading_on_its_own_line_heads_the_rows_below_it() -> None:
    text = ("关于公布示范村名单的通知\n经评审，确定以下村为示范村。\n一、东湖区（3个）\n柳林镇红星村、枫树村，龙泉镇古井村\n"
            "二、白石县（2个）\n1  青山乡  石门村  30万元\n2  金沙镇  河口村  30万元\n某市农业农村局\n2023年5月6日\n")
    d = draft(text, doc_id="t", area="青州市")
    got = names(d)
    assert got["龙泉镇"] == ("kind-town", "东湖区") and got["金沙镇"] == ("kind-town", "白石县")
    assert got["河口村"] == ("kind-administrative-village", "金沙镇")
    assert [(c.data["value"], c.data["within"], c.data["complete"]) for c in d.of("count")] == [
        (3, "东湖区", True), (2, "白石县", True)]
    assert sorted(f.data["recipients"] for f in d.of("fund")) == ["河口村", "石门村"]


def test_a_place_named_again_without_its_parent_is_the_place_already_drafted() -> None:
    text = "一、重点帮扶县（1个）\n青山州：白云县\n二、重点帮扶村（1个）\n白云县：龙泉镇大坪村\n"
    d = draft(text, doc_id="t", area="云川省")
    assert [(f.data["name"], f.data["parent"]) for f in d.of("place")] == [
        ("青山州", "云川省"), ("白云县", "青山州"), ("龙泉镇", "白云县"), ("大坪村", "龙泉镇")]


def test_a_list_goes_on_across_numbered_rows() -> None:
    text = ("关于公布示范村名单的通知\n经评审，现予公布。\n附件：第二批示范村名单（3个）\n1.东湖区柳林镇红星村\n"
            "2.东湖区龙泉镇古井村\n3.白石县青山乡石门村\n某省农业农村厅\n2023年5月6日\n")
    d = draft(text, doc_id="t", area="青州市")
    count = one(d, "count", value=3)
    assert count.data["complete"] is True and count.data["label"] == "第二批示范村名单"
    assert [m.data["name"] for m in d.of("member")] == ["红星村", "古井村", "石门村"]
    assert names(d)["石门村"] == ("kind-administrative-village", "青山乡")


def test_zones_banners_and_villagers_committees_have_their_own_kinds() -> None:
    d = draft("示范村（3个）\n高新区：创业街道新桥社区、光明村\n白云旗：乌兰镇红旗村民委员会", doc_id="t", area="青州市")
    got = names(d)
    assert got["高新区"] == ("kind-development-zone", "青州市")
    assert got["创业街道"] == ("kind-subdistrict", "高新区")
    assert got["白云旗"] == ("kind-banner", "青州市")
    assert got["红旗村民委员会"] == ("kind-administrative-village", "乌兰镇")
    assert one(d, "place", name="高新区").data["level"] == "ZoneArea"
