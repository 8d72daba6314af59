"""What every synthetic plan says, in the Xiushan plan's words: goals and their targets,
measures, the three categories, the sections, safeguards and their recurring activities, the
five tiers, the fund rules and the amounts a county draws from, the principles."""

from __future__ import annotations

GOAL_TARGETS = {
    "overall": ["建立健全农村低收入人口长效帮扶机制", "脱贫攻坚成果巩固拓展",
                "不发生规模性返贫致贫", "全县农村居民人均可支配收入增速高于全市平均水平"],
    "pilot": ["实现乡村产业全面升级", "乡村治理体系健全", "乡村环境生态宜居", "乡风文明大幅提升",
              "打造成为全市推进乡村振兴示范样板", "农村居民人均可支配收入增速高于全市平均水平"],
    "key-assistance": ["特色产业发展全面提质增效", "村庄环境得到明显改善", "脱贫攻坚成果巩固拓展",
                       "不发生规模性返贫致贫", "农村居民人均可支配收入增速高于全县平均水平"],
    "active": ["乡村振兴取得重大突破", "农业质量效益和竞争力显著增强", "乡村建设行动取得重大进展",
               "农村居民人均可支配收入增速高于全市平均水平", "基本实现农业强、农村美、农民富"],
}
MEASURES = {
    "pilot": ["进一步做大特色产业基地规模，强化农产品精深加工，不断增加产业附加值。",
              "加快提升农业现代化水平，打造一批现代农业示范地或产业园，持续推进农旅融合发展。",
              "加大改革创新政策支持力度，鼓励在深化农业农村改革上先行先试，重点壮大村集体经济。"],
    "key-assistance": ["用足用好帮扶政策，财政转移支付向重点帮扶类乡镇倾斜。",
                       "加大特色产业发展支持力度，推进产业扶贫向产业振兴提升。",
                       "进一步完善农业基础设施建设，为农业宜机化提供有效保障。"],
    "active": ["统筹规划乡镇（街道）产业发展，加快构建现代农业产业体系、生产体系、经营体系。",
               "推进乡镇（街道）域内城乡融合发展，加快农业农村现代化步伐。"],
}
CATEGORIES = (("pilot", "先行示范类", "pilot demonstration"),
              ("key-assistance", "重点帮扶类", "key assistance"),
              ("active", "积极推进类", "active advancement"))
CATEGORY_ZH = {key: name for key, name, _ in CATEGORIES}
CATEGORY_EN = {"pilot": "pilot-demonstration", "key-assistance": "key-assistance",
               "active": "active-advancement"}
SECTIONS = (  # local, parent, number, title, English label
    ("s1", None, "一", "总体要求", "1. General requirements"),
    ("s2", None, "二", "细化分类", "2. Detailed classification"),
    ("s2-1", "s2", "（一）", "乡镇（街道）分类", "2.1 Classification of townships"),
    ("s2-2", "s2", "（二）", "村分类", "2.2 Classification of villages"),
    ("s3", None, "三", "重点举措", "3. Key measures"),
    ("s3-1", "s3", "（一）", "先行示范类乡镇", "3.1 Pilot-demonstration townships"),
    ("s3-2", "s3", "（二）", "重点帮扶类乡镇", "3.2 Key-assistance townships"),
    ("s3-3", "s3", "（三）", "积极推进类乡镇", "3.3 Active-advancement townships"),
    ("s3-4", "s3", "（四）", "乡村振兴示范镇村和重点帮扶镇村",
     "3.4 Demonstration and key-assistance towns and villages"),
    ("s4", None, "四", "保障措施", "4. Safeguards"),
    ("s4-1", "s4", "（一）", "加强组织领导", "4.1 Strengthen organisation and leadership"),
    ("s4-2", "s4", "（二）", "广泛动员各方力量参与", "4.2 Mobilise all parties widely"),
    ("s4-3", "s4", "（三）", "注重典型引路、示范带动", "4.3 Lead by examples and demonstration"),
    ("s4-4", "s4", "（四）", "强化工作调度", "4.4 Strengthen work dispatching"),
    ("s4-5", "s4", "（五）", "强化考核评估", "4.5 Strengthen assessment and evaluation"),
)
MEASURE_SECTIONS = (("pilot", "s3-1"), ("key-assistance", "s3-2"), ("active", "s3-3"))
SAFEGUARD_TEXTS = {
    "s4-1": "落实党政一把手是第一责任人的工作要求。"
            "乡镇（街道）党委书记要当好乡村振兴“一线总指挥”。",
    "s4-2": "加强组织动员，构建政府、市场、社会协同推进的乡村振兴参与机制。"
            "持续深化农村金融改革，把更多金融资源配置到农业农村发展的重点领域。",
    "s4-3": "乡村振兴示范镇村要敢为人先、努力创新，加快形成一批可复制、可推广的典型经验。",
    "s4-4": "",
    "s4-5": "",
}
#: Safeguard section -> (activity, the clause that states it, the rest of the paragraph).
ACTIVITIES = {
    "s4-3": ("exchange", "建立乡村振兴工作学习交流平台，定期开展交流活动",
             "，总结推广分类推进乡村振兴的典型案例。"),
    "s4-4": ("dispatch-meeting",
             "县委农办要加强分类全面推进乡村振兴的工作调度，原则上每季度召开一次调度会，"
             "召集县级相关部门为重点帮扶、先行示范的镇村解决工作中存在的问题", "。"),
    "s4-5": ("assessment", "对各乡镇（街道）每年开展一次乡村振兴考核评估",
             "，根据考核评估结果进行动态调整。"),
}
TIERS = (  # local, zh, en, broader
    ("municipal", "市级", "municipal level", None),
    ("county", "县级", "county level", None),
    ("east-west", "东西部协作", "east-west cooperation", None),
    ("county-led", "县级主导", "county-led", "county"),
    ("township-applied", "乡镇申报创建", "township-applied", "county"),
)
#: Amounts in 万元 a county draws from.
AMOUNTS = {"municipal-demo-village": (300, 400, 500, 600), "county-demo-town": (300, 500, 800),
           "township-applied": (100, 150, 200, 300), "municipal-key": (500, 800, 1000, 1200),
           "county-key": (100, 150, 200, 300)}
TRANSITION_YEARS = 5
FUND_RULES = (  # local, recipients as stated, level, category, tier, payer, basis, period, kind
    ("municipal-demo-village", "市级乡村振兴示范村", "xsrv:VillageLevelDivision", "pilot",
     "municipal", "m:finance", "xsrv:basis-per-year", "demo", None),
    ("county-demo-town", "县级乡村振兴示范镇", "xsrv:TownshipLevelDivision", "pilot", None,
     "c:finance", "xsrv:basis-per-recipient-per-year", "demo", "专项资金"),
    ("township-applied", "乡镇（街道）申报被评为县级乡村振兴示范村的",
     "xsrv:VillageLevelDivision", "pilot", "township-applied", "c:finance",
     "xsrv:basis-per-recipient-once", None, "奖补资金"),
    ("municipal-key", "市级乡村振兴重点帮扶乡镇", "xsrv:TownshipLevelDivision", "key-assistance",
     "municipal", "m:finance", "xsrv:basis-per-year", "transition", "补助"),
    ("county-key", "县级重点帮扶乡镇", "xsrv:TownshipLevelDivision", "key-assistance", "county",
     "c:finance", "xsrv:basis-per-recipient-per-year", "transition", "补助"),
)
PRINCIPLES = (("统筹谋划", "overall planning"), ("因地制宜", "suit measures to local conditions"),
              ("分类施策", "policies by category"),
              ("点面结合", "combine key points with the whole area"))
CHINESE_NUMBERS = "零一二三四五六七八九十"


def section_label(local: str, number: str, title: str) -> str:
    """``二（一）乡镇（街道）分类`` for a subsection, ``二、细化分类`` for a section."""
    if "-" not in local:
        return f"{number}、{title}"
    parent = next(s[2] for s in SECTIONS if s[0] == local.split("-")[0])
    return f"{parent}{number}{title}"
