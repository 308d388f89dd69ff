"""Imports every model so SQLAlchemy's metadata (and Alembic) sees the whole schema."""

from .accounts.addresses import Address  # noqa: F401
from .accounts.models import ApiToken, Role, User, UserRole  # noqa: F401
from .catalog.freight import FreightRule, FreightTemplate  # noqa: F401
from .catalog.models import (  # noqa: F401
    Category,
    Cooperative,
    LotContribution,
    Product,
    ProductPhoto,
    SupplyLot,
)
from .catalog.writeoffs import StockWriteOff  # noqa: F401
from .claims.models import Claim, ClaimLine, ClaimMessage, ClaimPhoto, Review  # noqa: F401
from .households.models import Household, IncomeEntry, PovertyLine  # noqa: F401
from .jobs.models import JobFile, JobRun  # noqa: F401
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
from .logistics.offline_models import ClientScan  # noqa: F401
from .notifications.models import (  # noqa: F401
    Notification,
    NotificationSetting,
    SmsMessage,
)
from .orders.models import CartItem, Fulfilment, LineAllocation, Order, OrderLine  # noqa: F401
from .payments.models import Payment, Refund, WebhookEvent  # noqa: F401
from .regions.divisions import Division  # noqa: F401
from .regions.models import Region  # noqa: F401
from .status import StatusEvent  # noqa: F401
