"""The words generated data is made of: categories, the counties' real products (from
shared/data/linxia.md), other farm goods, and invented names for sample people."""

from typing import NamedTuple

# (code, 中文, English); upserted by code, so the catalogue's own fixed list wins if present.
CATEGORIES = (
    ("fruit", "水果", "Fruit"),
    ("vegetables", "蔬菜", "Vegetables"),
    ("meat", "肉类", "Meat"),
    ("grain_oil", "粮油", "Grain and oil"),
    ("mushrooms", "菌菇", "Mushrooms"),
    ("nuts", "坚果", "Nuts"),
    ("spices", "调味品", "Spices and condiments"),
    ("tea_herbs", "茶饮药材", "Tea and herbs"),
    ("seedlings", "苗木花卉", "Seedlings and flowers"),
    ("eggs_honey", "禽蛋蜂蜜", "Eggs and honey"),
)


class Good(NamedTuple):
    """One kind of product a cooperative can list."""

    zh: str
    en: str
    category: str
    unit: str
    unit_weight_g: int
    price_yuan: tuple[int, int]
    perishable: bool


# County code -> its "one village, one product" goods (ovop = True when listed).
COUNTY_GOODS = {
    "622901": (
        Good(
            "紫斑牡丹籽油",
            "Purple-spot peony seed oil",
            "grain_oil",
            "bottle_500ml",
            550,
            (128, 198),
            False,
        ),
        Good("牡丹种苗", "Peony seedlings", "seedlings", "each", 300, (15, 30), False),
        Good("牡丹花茶", "Peony flower tea", "tea_herbs", "box_100g", 180, (38, 68), False),
    ),
    "622921": (
        Good(
            "高原夏菜", "Highland summer vegetables", "vegetables", "box_5kg", 5200, (39, 69), True
        ),
        Good("大红袍花椒", "Dahongpao Sichuan pepper", "spices", "bag_250g", 270, (35, 60), False),
    ),
    "622922": (
        Good("康乐牛肉", "Kangle beef", "meat", "kg", 1050, (88, 128), True),
        Good("风干牛肉", "Air-dried beef", "meat", "bag_250g", 280, (48, 78), False),
    ),
    "622923": (
        Good("兰州百合", "Lanzhou lily", "vegetables", "box_2_5kg", 2700, (88, 168), True),
        Good("百合干", "Dried Lanzhou lily", "vegetables", "bag_500g", 530, (68, 98), False),
        Good("冰糖心苹果", "Bingtangxin apples", "fruit", "box_5kg", 5300, (59, 89), True),
    ),
    "622924": (
        Good("广河羊肉", "Guanghe mutton", "meat", "kg", 1050, (78, 98), True),
        Good("牛羊肉礼盒", "Beef and mutton gift box", "meat", "box_2_5kg", 2800, (198, 298), True),
    ),
    "622925": (
        Good("啤特果", "Pite pears", "fruit", "box_5kg", 5300, (45, 68), True),
        Good("赤松茸", "Red pine mushrooms", "mushrooms", "kg", 1050, (38, 58), True),
        Good("啤特果汁", "Pite pear juice", "fruit", "bottle_500ml", 560, (12, 20), False),
    ),
    "622926": (
        Good("东乡马铃薯", "Dongxiang potatoes", "vegetables", "bag_10kg", 10100, (25, 39), False),
        Good("东乡贡羊", "Dongxiang tribute mutton", "meat", "kg", 1050, (88, 138), True),
        Good("金银花", "Honeysuckle", "tea_herbs", "bag_100g", 120, (28, 48), False),
        Good("藜麦", "Quinoa", "grain_oil", "bag_1kg", 1030, (28, 45), False),
        Good("唐汪大桃杏", "Tangwang peach-apricots", "fruit", "box_2_5kg", 2700, (48, 68), True),
    ),
    "622927": (
        Good("积石山花椒", "Jishishan Sichuan pepper", "spices", "bag_250g", 270, (38, 68), False),
        Good(
            "大河家鸡蛋皮核桃",
            "Dahejia thin-shell walnuts",
            "nuts",
            "bag_1kg",
            1040,
            (48, 78),
            False,
        ),
        Good("麦麸醋", "Wheat-bran vinegar", "spices", "bottle_500ml", 560, (15, 28), False),
    ),
}

# Sold by cooperatives anywhere, beside their county's own goods.
COMMON_GOODS = (
    Good("土鸡蛋", "Free-range eggs", "eggs_honey", "box_30", 1800, (38, 58), True),
    Good("农家蜂蜜", "Farm honey", "eggs_honey", "jar_500g", 650, (48, 88), False),
    Good("胡麻油", "Flaxseed oil", "grain_oil", "bottle_5l", 4700, (128, 188), False),
    Good("菜籽油", "Rapeseed oil", "grain_oil", "bottle_5l", 4700, (88, 128), False),
    Good("手工挂面", "Hand-made noodles", "grain_oil", "bag_2_5kg", 2550, (28, 42), False),
    Good("青稞面粉", "Highland barley flour", "grain_oil", "bag_2_5kg", 2550, (32, 48), False),
    Good("当归", "Angelica root", "tea_herbs", "bag_250g", 270, (45, 75), False),
    Good("黄芪", "Astragalus root", "tea_herbs", "bag_250g", 270, (38, 58), False),
    Good("蕨菜干", "Dried bracken", "vegetables", "bag_250g", 270, (28, 45), False),
    Good("羊肚菌", "Morel mushrooms", "mushrooms", "box_100g", 180, (98, 168), False),
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
