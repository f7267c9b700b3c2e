"""Word lists and weights for demo members: names, and the end-2023 composition of members.

Shares follow docs STATISTICS.md (中国共产党党内统计公报, end-2023); surname frequencies follow the 2020 census
ranking (rounded). Everything here is data; the generators draw from it with a seeded random.Random.
"""

from __future__ import annotations

# (surname, weight ‰ of the population, roughly)
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 14), ("马", 13), ("朱", 13), ("胡", 13), ("郭", 12),
    ("何", 12), ("林", 11), ("高", 11), ("罗", 10), ("郑", 10), ("梁", 9), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("韦", 3), ("付", 3), ("方", 3), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2),
    ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2),
    ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("覃", 1.5), ("武", 1.5), ("戴", 1.5), ("孔", 1.2),
    ("汤", 1.2), ("庞", 1.0), ("樊", 1.0), ("兰", 1.0), ("殷", 0.9), ("施", 0.9), ("洪", 0.9),
    ("翟", 0.8), ("安", 0.8), ("颜", 0.8), ("倪", 0.8), ("严", 0.8), ("牛", 0.8), ("温", 0.8),
    ("季", 0.7), ("俞", 0.7), ("章", 0.7), ("鲁", 0.7), ("葛", 0.7), ("伍", 0.7), ("申", 0.6),
    ("尤", 0.5), ("毕", 0.5), ("聂", 0.5), ("焦", 0.5), ("向", 0.5), ("柳", 0.5), ("邢", 0.5),
    ("路", 0.5), ("岳", 0.5), ("齐", 0.5), ("梅", 0.5), ("莫", 0.5), ("庄", 0.5), ("辛", 0.4),
    ("管", 0.4), ("祝", 0.4), ("左", 0.4), ("涂", 0.4), ("谷", 0.4), ("祁", 0.4), ("时", 0.4),
    ("舒", 0.4), ("耿", 0.4), ("牟", 0.3), ("詹", 0.3), ("关", 0.3), ("苗", 0.3), ("凌", 0.3),
    ("费", 0.3), ("纪", 0.3), ("靳", 0.3), ("盛", 0.3), ("童", 0.3), ("欧", 0.3), ("项", 0.3),
    ("单", 0.3), ("解", 0.2), ("查", 0.2), ("欧阳", 0.3), ("上官", 0.05), ("司马", 0.05), ("诸葛", 0.03),
)  # fmt: skip

GIVEN_MALE = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波",
    "宁", "健", "亮", "俊", "浩", "宇", "峰", "建", "国", "文", "志", "海", "林", "东", "新", "永", "红", "春",
    "成", "德", "福", "贵", "祥", "忠", "利", "民", "生", "学", "兵", "龙", "山", "江", "庆", "荣", "胜", "顺",
    "晨", "阳", "凯", "帅", "博", "昊", "睿", "子", "轩", "泽", "航", "哲", "毅", "坤", "卫", "立", "长", "宏",
)  # fmt: skip
GIVEN_FEMALE = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂", "英", "秀", "兰", "梅", "琳", "洁", "婷",
    "慧", "雪", "倩", "颖", "晶", "萍", "红", "莉", "丹", "佳", "欣", "怡", "雯", "琴", "云", "华", "凤", "春",
    "玉", "珍", "月", "美", "淑", "彩", "楠", "蕾", "璐", "瑶", "悦", "思", "雨", "梦", "晓", "露", "颖", "妍",
)  # fmt: skip

# Names of members of some minorities follow their own naming customs.
UYGHUR_MALE = ("买买提", "艾力", "阿不都热合曼", "吐尔逊", "艾合买提", "亚森", "努尔", "阿布拉", "卡德尔")
UYGHUR_FEMALE = ("古丽", "阿依古丽", "热依拉", "帕提古丽", "阿依努尔", "米热古丽", "努尔古丽")
TIBETAN = ("扎西", "次仁", "多吉", "格桑", "平措", "旦增", "卓玛", "央金", "拉姆", "达瓦", "索朗", "尼玛")
MONGOL_MALE = ("巴特尔", "苏和", "朝鲁", "额尔敦", "宝音", "那顺")
MONGOL_FEMALE = ("其其格", "萨仁", "乌兰", "琪琪格", "娜仁")

# Minorities, weights ∝ their share of members (together 7.7%).
MINORITY_SHARE = 0.077
MINORITIES: tuple[tuple[str, float], ...] = (
    ("壮族", 18), ("回族", 11), ("满族", 10), ("维吾尔族", 9), ("苗族", 8), ("彝族", 7), ("土家族", 8),
    ("藏族", 6), ("蒙古族", 6), ("侗族", 3), ("布依族", 3), ("瑶族", 2.5), ("白族", 2), ("朝鲜族", 2),
    ("哈尼族", 1.5), ("黎族", 1.2), ("哈萨克族", 1.2), ("傣族", 1), ("畲族", 0.7), ("傈僳族", 0.5),
)  # fmt: skip

WOMEN_SHARE = 0.304

# Occupation mix by unit kind (weights); the overall mix lands near the bulletin's.
OCCUPATION_BY_UNIT: dict[str, tuple[tuple[str, float], ...]] = {
    "village": (("farmer", 86), ("retiree", 6), ("other", 5), ("worker", 3)),
    "community": (("retiree", 62), ("other", 22), ("worker", 10), ("manager", 3), ("professional", 3)),
    "government": (("civil_servant", 78), ("manager", 6), ("professional", 6), ("retiree", 10)),
    "institution": (("professional", 68), ("manager", 16), ("retiree", 12), ("other", 4)),
    "school": (("professional", 74), ("manager", 8), ("retiree", 10), ("student", 8)),
    "state_enterprise": (("worker", 32), ("manager", 30), ("professional", 26), ("retiree", 12)),
    "private_enterprise": (("worker", 32), ("manager", 34), ("professional", 22), ("other", 12)),
    "social_org": (("other", 44), ("professional", 30), ("manager", 20), ("retiree", 6)),
    "other": (("other", 60), ("retiree", 40)),
}

# Age bands (lower, upper) with weights per occupation.
AGE_BY_OCCUPATION: dict[str, tuple[tuple[int, int, float], ...]] = {
    "farmer": (
        (20, 30, 6),
        (31, 40, 10),
        (41, 50, 16),
        (51, 60, 24),
        (61, 70, 26),
        (71, 80, 14),
        (81, 92, 4),
    ),
    "retiree": ((55, 60, 8), (61, 70, 38), (71, 80, 34), (81, 90, 17), (91, 99, 3)),
    "student": ((18, 24, 100),),
    "civil_servant": ((22, 30, 18), (31, 40, 34), (41, 50, 28), (51, 60, 20)),
    "professional": ((22, 30, 22), (31, 40, 34), (41, 50, 26), (51, 60, 18)),
    "manager": ((25, 30, 10), (31, 40, 34), (41, 50, 32), (51, 60, 24)),
    "worker": ((20, 30, 22), (31, 40, 30), (41, 50, 28), (51, 60, 20)),
    "other": ((20, 30, 20), (31, 40, 25), (41, 50, 22), (51, 60, 18), (61, 75, 15)),
}

# Share of college (大专) or above by occupation, split (postgraduate, bachelor, college).
EDUCATION_BY_OCCUPATION: dict[str, tuple[tuple[str, float], ...]] = {
    "farmer": (("college", 22), ("bachelor", 8), ("high_school", 30), ("junior_or_below", 40)),
    "retiree": (("college", 22), ("bachelor", 22), ("postgraduate", 2), ("secondary_vocational", 18),
                ("high_school", 18), ("junior_or_below", 18)),
    "student": (("bachelor", 80), ("postgraduate", 15), ("college", 5)),
    "civil_servant": (("bachelor", 66), ("postgraduate", 14), ("college", 16), ("high_school", 4)),
    "professional": (("bachelor", 60), ("postgraduate", 16), ("college", 20), ("secondary_vocational", 4)),
    "manager": (("bachelor", 50), ("postgraduate", 8), ("college", 28), ("high_school", 14)),
    "worker": (("college", 30), ("bachelor", 14), ("secondary_vocational", 24), ("high_school", 38)),
    "other": (("college", 30), ("bachelor", 22), ("high_school", 28), ("junior_or_below", 20)),
}  # fmt: skip

WORK_POSTS: dict[str, tuple[str, ...]] = {
    "farmer": ("种植户", "养殖户", "村民小组长", "合作社社员", ""),
    "retiree": ("",),
    "student": ("本科生", "研究生"),
    "civil_servant": ("科员", "副主任科员", "股长", "办公室主任", "副局长"),
    "professional": ("教师", "医生", "护士", "工程师", "会计", "技术员"),
    "manager": ("部门经理", "总经理", "副总经理", "办公室主任", "项目经理"),
    "worker": ("操作工", "电工", "驾驶员", "维修工", "班组长"),
    "other": ("个体经营", "自由职业", "社区工作者", ""),
}

MOBILE_DESTINATIONS = (
    "广东省深圳市", "广东省广州市", "广东省东莞市", "浙江省杭州市", "浙江省宁波市", "江苏省苏州市", "上海市",
    "北京市", "福建省厦门市", "天津市", "四川省成都市", "湖北省武汉市",
)  # fmt: skip

# Address codes of other provinces (capital cities' districts) for members born elsewhere.
OTHER_REGIONS = (
    "110101", "120101", "130102", "140105", "150102", "210102", "220102", "230102", "310101", "320102",
    "330102", "340102", "350102", "360102", "370102", "410102", "420102", "430102", "440103", "450102",
    "460105", "500101", "510104", "520102", "530102", "540102", "610102", "620102", "630102", "640104",
    "650102",
)  # fmt: skip
