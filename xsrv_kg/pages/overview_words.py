"""The words of the overview page and its chart, per language (labels of resources come from
the data): a table of its own, so the page's model reads without 80 lines of strings."""

from __future__ import annotations

#: The words of the overview page, per language (labels of resources come from the data).
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "方案概览",
        "intro": "《{title}》的分类、数量与资金。所有数字均由 SPARQL 查询本服务的数据得出。",
        "hierarchy": "行政区划与分类", "legend": "图例",
        "townships": "乡镇（街道）", "villages": "村（社区）",
        "named_villages": "已列名的村（社区）", "no_villages": "—",
        "declared": "原文声明", "enumerated": "数据列出", "complete": "逐一列名",
        "yes": "是", "no": "否", "count": "数量", "level": "级别", "category": "类别",
        "tier": "层级", "uncategorised": "未分类", "places": "所列区划", "queries": "本文件的查询",
        "counts": "声明数量与列出数量",
        "counts_note": "“原文声明”是方案写出的数量；“数据列出”是数据中逐一列名（或可知）的成员数。"
                       "二者不等时，原文未列出全部成员。",
        "declared_vs_enumerated": "声明 {declared} · 列出 {enumerated}",
        "funding": "资金规则（三（四））",
        "rule": "规则", "payer": "出资方", "recipients": "对象", "amount": "数额",
        "per_year": "每年", "years": "年数", "total": "全期合计", "rules": "规则数",
        "rules_without_total": "无法计算总额的规则",
        "once": "一次性",
        "not_computable": "无法计算",
        "reason_unnamed": "对象未列名（原文声明 {declared} 个，列名 {named} 个）",
        "reason_unnamed_nocount": "对象未列名",
        "reason_no_years": "原文未给出年限",
        "by_payer": "按出资方合计", "by_category": "按对象类别合计",
        "totals_note": "“每年”是各规则同时施行时的年额；各规则年限不同，起止年份原文未载明。"
                       "无法计算总额的规则不计入合计（合计不含其金额，而非计为0）。",
        "chart": "各出资方每年资金承诺",
        "chart_year": "第{n}年",
        "chart_axis": "万元",
        "chart_no_years": "原文未载明公历年份",
        "chart_assumption": "横轴是方案年度，不是公历年份：原文的“连续3年”与“5年过渡期”"
                            "都未写明起止年份，图中假定各项资金从同一年（第1年）起算。"
                            "如自2021年起算，第1—5年即2021—2025年；原文并未这样说明。",
        "chart_excluded": "不含无法计算每年数额的规则：",
        "chart_empty": "没有可计算每年数额的资金规则。",
        "notes": "数据记录的存疑之处",
        "yuan_unit": "元",
    },
    "en": {
        "title": "Overview",
        "intro": "The categories, counts and funding of “{title}”. Every number is computed "
                 "by SPARQL over this service's data.",
        "hierarchy": "Divisions and categories", "legend": "Legend",
        "townships": "Townships", "villages": "Villages",
        "named_villages": "Named villages and communities", "no_villages": "—",
        "declared": "Declared", "enumerated": "Enumerated", "complete": "All named",
        "yes": "yes", "no": "no", "count": "Count", "level": "Level", "category": "Category",
        "tier": "Tier", "uncategorised": "Not categorised", "places": "Places named",
        "queries": "Queries about this document",
        "counts": "Declared and enumerated counts",
        "counts_note": "“Declared” is the number the plan states; “enumerated” is how many members "
                       "the data names. Where they differ, the text does not name every member.",
        "declared_vs_enumerated": "declared {declared} · enumerated {enumerated}",
        "funding": "Fund rules (三（四）)",
        "rule": "Rule", "payer": "Payer", "recipients": "Recipients", "amount": "Amount",
        "per_year": "Per year", "years": "Years", "total": "Total", "rules": "Rules",
        "rules_without_total": "Rules without a total",
        "once": "once",
        "not_computable": "not computable",
        "reason_unnamed": "the recipients are not named (the text declares {declared}, "
                          "names {named})",
        "reason_unnamed_nocount": "the recipients are not named",
        "reason_no_years": "the text gives no number of years",
        "by_payer": "Totals by payer", "by_category": "Totals by recipient category",
        "totals_note": "“Per year” is the yearly rate while all rules run; the rules last "
                       "different numbers of years and the text dates none of them. A rule "
                       "without a computable total is left out of the sums (not counted as 0).",
        "chart": "Yearly commitments by payer",
        "chart_year": "Year {n}",
        "chart_axis": "million yuan",
        "chart_no_years": "no calendar years in the text",
        "chart_assumption": "The axis shows plan years, not calendar years: the text dates neither "
                            "“连续3年” (three consecutive years) nor the “5年过渡期” (five-year "
                            "transition period), and the chart assumes every rule starts in the "
                            "same year (year 1). If counted from 2021, years 1–5 would be "
                            "2021–2025; the text does not say so.",
        "chart_excluded": "Not shown, as no yearly amount can be computed: ",
        "chart_empty": "No fund rule has a computable yearly amount.",
        "notes": "Open points the data records",
        "yuan_unit": "yuan",
    },
}
