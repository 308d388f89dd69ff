"""The words generated data is made of: categories, the counties' real products (from
shared/data/linxia.md), other farm goods, and invented names for sample people."""

from typing import NamedTuple

from ..catalog.categories import DEFAULT_CATEGORIES

# The catalogue's own fixed list, upserted by code.
CATEGORIES = DEFAULT_CATEGORIES


class Good(NamedTuple):
    """One kind of product a cooperative can list; units are catalog.services.UNITS codes."""

    zh: str
    en: str
    category: str
    unit: str
    unit_weight_g: int
    price_yuan: tuple[int, int]
    perishable: bool


G = Good  # a short name keeps most goods on one line
# County code -> its "one village, one product" goods (ovop = True when listed).
COUNTY_GOODS = {
    "622901": (
        G(
            "紫斑牡丹籽油",
            "Purple-spot peony seed oil",
            "oils",
            "bottle_500ml",
            650,
            (128, 198),
            False,
        ),
        G("牡丹种苗", "Peony seedlings", "seedlings", "piece", 300, (15, 30), False),
        G("牡丹花茶", "Peony flower tea", "herbs", "bag_250g", 300, (68, 118), False),
    ),
    "622921": (
        G("高原夏菜", "Highland summer vegetables", "vegetables", "box_5kg", 5200, (39, 69), True),
        G("大红袍花椒", "Dahongpao Sichuan pepper", "spices", "bag_250g", 270, (35, 60), False),
    ),
    "622922": (
        G("康乐牛肉", "Kangle beef", "meat", "bag_1kg", 1050, (88, 128), True),
        G("风干牛肉", "Air-dried beef", "meat", "bag_250g", 280, (48, 78), False),
    ),
    "622923": (
        G("兰州百合", "Lanzhou lily", "vegetables", "box_2kg", 2200, (78, 148), True),
        G("百合干", "Dried Lanzhou lily", "dried", "bag_500g", 530, (68, 98), False),
        G("冰糖心苹果", "Bingtangxin apples", "fruit", "box_5kg", 5300, (59, 89), True),
    ),
    "622924": (
        G("广河羊肉", "Guanghe mutton", "meat", "bag_1kg", 1050, (78, 98), True),
        G("牛羊肉礼盒", "Beef and mutton gift box", "meat", "box_2kg", 2300, (168, 268), True),
        G("广河牛肉干", "Guanghe beef jerky", "meat", "bag_250g", 280, (45, 72), False),
    ),
    "622925": (
        G("啤特果", "Pite pears", "fruit", "box_5kg", 5300, (45, 68), True),
        G("赤松茸", "Red pine mushrooms", "mushrooms", "bag_1kg", 1050, (38, 58), True),
        G("啤特果汁", "Pite pear juice", "fruit", "bottle_500ml", 650, (12, 20), False),
    ),
    "622926": (
        G("东乡马铃薯", "Dongxiang potatoes", "vegetables", "box_10kg", 10200, (25, 39), False),
        G("东乡贡羊", "Dongxiang tribute mutton", "meat", "bag_1kg", 1050, (88, 138), True),
        G("金银花", "Honeysuckle", "herbs", "bag_250g", 270, (48, 88), False),
        G("藜麦", "Quinoa", "grains", "bag_1kg", 1030, (28, 45), False),
        G("唐汪大桃杏", "Tangwang peach-apricots", "fruit", "box_2kg", 2200, (42, 62), True),
    ),
    "622927": (
        G("积石山花椒", "Jishishan Sichuan pepper", "spices", "bag_250g", 270, (38, 68), False),
        G(
            "大河家鸡蛋皮核桃",
            "Dahejia thin-shell walnuts",
            "nuts",
            "bag_1kg",
            1040,
            (48, 78),
            False,
        ),
        G("麦麸醋", "Wheat-bran vinegar", "spices", "bottle_500ml", 650, (15, 28), False),
    ),
}

# Sold by cooperatives anywhere, beside their county's own goods.
COMMON_GOODS = (
    G("胡麻油", "Flaxseed oil", "oils", "bottle_500ml", 650, (28, 45), False),
    G("菜籽油", "Rapeseed oil", "oils", "bottle_500ml", 650, (18, 30), False),
    G("手工挂面", "Hand-made noodles", "grains", "bag_2_5kg", 2550, (28, 42), False),
    G("青稞面粉", "Highland barley flour", "grains", "bag_2_5kg", 2550, (32, 48), False),
    G("当归", "Angelica root", "herbs", "bag_250g", 270, (45, 75), False),
    G("黄芪", "Astragalus root", "herbs", "bag_250g", 270, (38, 58), False),
    G("蕨菜干", "Dried bracken", "dried", "bag_250g", 270, (28, 45), False),
    G("羊肚菌", "Morel mushrooms", "mushrooms", "bag_250g", 280, (198, 368), False),
    G("红枣", "Red jujubes", "dried", "bag_1kg", 1030, (28, 48), False),
    G("枸杞", "Goji berries", "dried", "bag_500g", 530, (38, 68), False),
)

# (中文, English, price multiplier in per cent)
VARIANTS = (
    ("", "", 100),
    ("特级", "premium", 130),
    ("家庭装", "family pack", 180),
    ("礼盒", "gift box", 160),
    ("精选", "selected", 115),
)

GRADES = ("特级", "一级", "一级", "一级", "二级")
SURNAMES = "马王张李何韩妥陈杨赵罗周刘冶孔包苏沈胡朱"
GIVEN = "福文德明海山英秀兰花成林有志国忠平安梅芳建军永春华生玉"
POVERTY_CAUSES = (
    "illness",
    "disability",
    "schooling",
    "disaster",
    "land",
    "water",
    "skills",
    "labour",
    "capital",
    "transport",
    "drive",
)
# Household sizes 1-8 in per mille (registered poor households are larger than average).
HOUSEHOLD_SIZES = (60, 130, 170, 210, 190, 130, 70, 40)
CARRIERS = ("中国邮政 EMS", "顺丰速运", "中通快递", "京东物流")
