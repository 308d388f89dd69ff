"""Prefecture-scale data: a reproducible generator of a full-size Linxia (stations, households,
cooperatives, products, lots, two years of orders and the income ledger they imply), written
with bulk inserts. No blueprint and no views: it is driven by `flask seed-demo --scale
prefecture` and used by `make bench`."""
