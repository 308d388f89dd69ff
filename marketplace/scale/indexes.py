"""Indexes the prefecture-scale report and station pages need (migration bench_0002).

They are declared here so the metadata matches the migration; each belongs to the package
that owns its table and can move into that model's `__table_args__` unchanged.
"""

from sqlalchemy import Index, text

from ..households.models import IncomeEntry
from ..logistics.models import Parcel

# Area income reports (county/township/village and a period) read only these four columns:
# with them in the index, PostgreSQL answers from the index alone (about 5x faster than
# scanning the ledger for one county and one year at 21 million entries).
income_by_village_covering = Index(
    "ix_income_entries_village_at_cover",
    IncomeEntry.village_id,
    IncomeEntry.recognised_at,
    postgresql_include=["household_id", "amount_fen"],
)

# A station's parcels still on their way: a few thousand of over a million parcels.
OPEN_PARCEL = "status NOT IN ('handed_over', 'handed_to_carrier', 'cancelled')"
parcels_open_at_station = Index(
    "ix_parcels_open_at_station",
    Parcel.current_station_id,
    postgresql_where=text(OPEN_PARCEL),
    sqlite_where=text(OPEN_PARCEL),
)
