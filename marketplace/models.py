"""Imports every model so SQLAlchemy's metadata (and Alembic) sees the whole schema."""

from .accounts.models import ApiToken, Role, User, UserRole  # noqa: F401
from .catalog.models import (  # noqa: F401
    Category,
    Cooperative,
    LotContribution,
    Product,
    ProductPhoto,
    SupplyLot,
)
from .claims.models import Claim, ClaimLine, ClaimMessage, ClaimPhoto, Review  # noqa: F401
from .households.models import Household, IncomeEntry, PovertyLine  # noqa: F401
from .logistics.models import (  # noqa: F401
    CashMovement,
    Link,
    Manifest,
    ManifestParcel,
    Parcel,
    ParcelScan,
    PickupCodeFailure,
    Station,
)
from .orders.models import CartItem, Fulfilment, LineAllocation, Order, OrderLine  # noqa: F401
from .payments.models import Payment, Refund, WebhookEvent  # noqa: F401
from .regions.models import Region  # noqa: F401
from .status import StatusEvent  # noqa: F401
