"""The paper's Yongjing case in miniature: in August 2017 Yongjing sold 50,000+ kg of
Bingtangxin apples and 5,000+ kg of lilies online, and 260 poor households gained about
500 yuan each. Here: 260 registered households hand in apples and lilies, every unit sells
and is delivered, and the household income report finds all 260 with the exact income."""

from datetime import date

from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.regions.services import get_by_code
from marketplace.reports.queries import areas, households
from marketplace.reports.services import Filters

APPLE_BOX_FEN = 2000  # 5 kg box, 4 yuan a kg
LILY_BOX_FEN = 1500  # 500 g box, 30 yuan a kg
SHARE_BP = 3700  # the cooperative pays 37 % of the goods value to the producers
APPLE_GIVEN = (30, 40, 50, 60, 70)  # boxes, by household number mod 5; 100 households = 5,000
LILY_GIVEN = (60, 80, 100, 120, 140)  # boxes; 100 households = 10,000


def test_yongjing_260_households_reached_with_exact_income(
    app, create_village, create_cooperative, create_product, create_lot, create_sale
):
    """Independent arithmetic (no code under test):

    apples: 2 lots of 5,000 boxes (50,000 kg), households 0-99 and 100-199;
            per box sold the producers get 2,000 x 37 % = 740 fen, so a household that gave
            c boxes earns 740 x c once the lot is sold out (every split below is exact:
            a line of t boxes gives 740 x t x c / 5,000 = 0.148 x t x c fen, an integer
            for t = 500, 1,000 and 1,500).
    lilies: 1 lot of 10,000 boxes (5,000 kg), households 160-259 (40 also grow apples);
            555 fen per box, 555 x c per household.
    260 households; 7,400,000 + 5,550,000 = 12,950,000 fen = 129,500 yuan, about 498
    yuan a household.
    """
    year = local_today().year
    sanyuan = [create_village("622923104") for _ in range(4)]  # 三塬镇: apples
    chenjing = [create_village("622923106") for _ in range(2)]  # 陈井镇: lilies
    cooperative = create_cooperative(sanyuan[0], producer_share_bp=SHARE_BP)
    apple = create_product(cooperative, price_fen=APPLE_BOX_FEN, name_zh="冰糖心苹果")
    lily = create_product(cooperative, price_fen=LILY_BOX_FEN, name_zh="兰州百合", ovop=True)

    # Added in one transaction (the factory commits each household: 260 commits are slow).
    people = [
        Household(
            household_no=f"62292310{i:04d}",
            head_name=f"示例户主{i}",
            village_id=(sanyuan[i % 4] if i < 200 else chenjing[i % 2]).id,
            members=4,
            is_sample=True,
        )
        for i in range(260)
    ]
    db.session.add_all(people)
    db.session.commit()
    apple_lots = [
        create_lot(
            apple, contributions=[(people[i], APPLE_GIVEN[i % 5]) for i in range(a, a + 100)]
        )
        for a in (0, 100)
    ]
    lily_lot = create_lot(
        lily, contributions=[(people[i], LILY_GIVEN[i % 5]) for i in range(160, 260)]
    )
    assert [lot.quantity for lot in apple_lots] == [5000, 5000] and lily_lot.quantity == 10000

    a1, a2 = apple_lots
    # Orders of up to 999 units each, as the shop allows: 20 of apples, 20 of lilies.
    for lot in (a1, a2):
        for _ in range(10):
            create_sale((apple, [(lot, 500)]))
    for _ in range(20):
        create_sale((lily, [(lily_lot, 500)]))
    assert a1.remaining == a2.remaining == lily_lot.remaining == 0

    expected = {}
    for i, household in enumerate(people):
        fen = 0
        if i < 200:
            fen += 740 * APPLE_GIVEN[i % 5]
        if i >= 160:
            fen += 555 * LILY_GIVEN[i % 5]
        expected[household.household_no] = fen
    assert sum(expected.values()) == 12_950_000

    filters = Filters(area=get_by_code("622923"), start=date(year, 1, 1), end=local_today())
    with app.test_request_context():
        table = households.build(filters)
        rows = list(table.rows())
        rollup = areas.build(filters)
    assert table.row_count == 260 and table.totals["_reached"] == 260
    assert {r["household_no"]: r["income"] for r in rows} == expected
    assert table.totals["income"] == 12_950_000
    assert table.totals["per_person"] == 12_950_000 // (260 * 4)
    assert rollup.totals["households"] == 260
    assert rollup.totals["income"] == 12_950_000
    assert rollup.totals["sales"] == 10_000 * APPLE_BOX_FEN + 10_000 * LILY_BOX_FEN
