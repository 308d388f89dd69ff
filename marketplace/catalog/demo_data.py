"""The demo cooperatives and their products: the real goods of linxia.md in the right
counties; the cooperatives themselves are invented and marked （示例） / (sample)."""

# (township code, cooperative zh, en, story zh, story en, [products]); each product is
# (name zh, name en, category, unit, price in yuan, picture, perishable, households per lot)
COOPERATIVES = (
    (
        "622923106",
        "永靖县陈井镇百合种植专业合作社（示例）",
        "Chenjing Lily Growers' Cooperative (sample)",
        "陈井镇的百合种在黄河岸边的高山旱塬上，三年才能长成一头。",
        "Lilies grown for three years on the dry uplands above the Yellow River.",
        [
            (
                "兰州鲜百合",
                "Fresh Lanzhou lily",
                "vegetables",
                "box_2kg",
                "68.00",
                "lily",
                True,
                75,
            ),
            ("兰州百合干", "Dried Lanzhou lily", "dried", "bag_250g", "45.00", "lily", False, 50),
        ],
    ),
    (
        "622923104",
        "永靖县三塬镇冰糖心苹果合作社（示例）",
        "Sanyuan Bingtangxin Apple Cooperative (sample)",
        "三塬镇昼夜温差大，苹果果心糖分凝结成“冰糖心”。",
        "Cold nights and sunny days give the apples their sugar-crystal core.",
        [("冰糖心苹果", "Bingtangxin apples", "fruit", "box_5kg", "49.90", "apple", False, 112)],
    ),
    (
        "622927102",
        "积石山县居集镇花椒专业合作社（示例）",
        "Juji Sichuan Pepper Cooperative (sample)",
        "积石山的花椒颗粒大、麻味足。",
        "Jishishan pepper: large corns with a strong numbing taste.",
        [
            (
                "积石山大红袍花椒",
                "Jishishan Dahongpao pepper",
                "spices",
                "bag_250g",
                "38.00",
                "pepper",
                False,
                4,
            )
        ],
    ),
    (
        "622927101",
        "积石山县大河家镇核桃合作社（示例）",
        "Dahejia Walnut Cooperative (sample)",
        "大河家鸡蛋皮核桃是国家地理标志产品，壳薄如蛋壳。",
        "Dahejia walnuts (geographical indication): shells as thin as eggshell.",
        [
            (
                "大河家鸡蛋皮核桃",
                "Dahejia thin-shell walnuts",
                "nuts",
                "bag_1kg",
                "42.00",
                "walnut",
                False,
                4,
            )
        ],
    ),
    (
        "622921103",
        "临夏县莲花镇花椒种植合作社（示例）",
        "Lianhua Pepper Growers' Cooperative (sample)",
        "莲花镇的大红袍花椒晒干后色泽红亮。",
        "Dahongpao pepper from Lianhua, sun-dried to a bright red.",
        [
            (
                "莲花大红袍花椒",
                "Lianhua Dahongpao pepper",
                "spices",
                "bag_500g",
                "72.00",
                "pepper",
                False,
                4,
            )
        ],
    ),
    (
        "622921101",
        "临夏县土桥镇高原夏菜合作社（示例）",
        "Tuqiao Summer Vegetables Cooperative (sample)",
        "海拔两千米的高原夏菜，清晨采摘当天发出。",
        "Vegetables from 2,000 m, picked at dawn and sent the same day.",
        [
            (
                "高原夏菜组合",
                "High-plateau summer vegetables",
                "vegetables",
                "box_5kg",
                "39.00",
                "vegetables",
                True,
                4,
            )
        ],
    ),
    (
        "622926107",
        "东乡县龙泉镇马铃薯合作社（示例）",
        "Longquan Potato Cooperative (sample)",
        "东乡的山地马铃薯淀粉足、口感面。",
        "Mountain potatoes from Dongxiang, floury and full of flavour.",
        [
            (
                "东乡马铃薯",
                "Dongxiang potatoes",
                "vegetables",
                "bag_5kg",
                "25.00",
                "potato",
                False,
                4,
            )
        ],
    ),
    (
        "622926101",
        "东乡县达板镇贡羊养殖合作社（示例）",
        "Daban Tribute Mutton Cooperative (sample)",
        "东乡贡羊在山坡上放养，肉质细嫩无膻味。",
        "Dongxiang tribute sheep, grazed on the hillsides; tender, mild meat.",
        [
            (
                "东乡贡羊羊肉",
                "Dongxiang tribute mutton",
                "meat",
                "box_2kg",
                "168.00",
                "meat",
                True,
                4,
            )
        ],
    ),
    (
        "622922102",
        "康乐县胭脂镇肉牛养殖合作社（示例）",
        "Yanzhi Beef Cattle Cooperative (sample)",
        "康乐县每年出栏肉牛约二十万头。",
        "Kangle raises about 200,000 head of beef cattle a year.",
        [("康乐牛肉", "Kangle beef", "meat", "box_2kg", "158.00", "meat", True, 4)],
    ),
    (
        "622925107",
        "和政县罗家集镇啤特果合作社（示例）",
        "Luojiaji Pite Pear Cooperative (sample)",
        "啤特果是和政特有的梨，冻后软糯多汁。",
        "Pite pears, a Hezheng speciality: soft and juicy after frost.",
        [("和政啤特果", "Hezheng Pite pears", "fruit", "box_5kg", "45.00", "pear", False, 4)],
    ),
    (
        "622925101",
        "和政县三合镇赤松茸合作社（示例）",
        "Sanhe Red Pine Mushroom Cooperative (sample)",
        "赤松茸在林下秸秆上种植，鲜嫩爽脆。",
        "Red pine mushrooms grown on straw under the trees.",
        [
            (
                "和政赤松茸",
                "Hezheng red pine mushrooms",
                "mushrooms",
                "box_2kg",
                "88.00",
                "mushroom",
                True,
                4,
            )
        ],
    ),
    (
        "622901103",
        "临夏市折桥镇紫斑牡丹合作社（示例）",
        "Zheqiao Purple-spot Peony Cooperative (sample)",
        "河州牡丹籽冷榨成油，富含α-亚麻酸。",
        "Cold-pressed oil from Hezhou purple-spot peony seeds.",
        [
            (
                "紫斑牡丹籽油",
                "Purple-spot peony-seed oil",
                "oils",
                "bottle_250ml",
                "128.00",
                "oil",
                False,
                4,
            )
        ],
    ),
    (
        "622924101",
        "广河县三甲集镇牛羊养殖合作社（示例）",
        "Sanjiaji Cattle and Sheep Cooperative (sample)",
        "三甲集是西北有名的牛羊集散地。",
        "Sanjiaji is one of the northwest's great cattle and sheep markets.",
        [("广河手抓羊肉", "Guanghe mutton", "meat", "box_2kg", "150.00", "meat", True, 4)],
    ),
)
