"""A buyer's address book: delivery addresses anywhere in mainland China, one default.

Province, city and district are codes of `regions.divisions`, checked as a chain (the city
inside the province, the district inside the city). The phone is a mainland mobile number,
shown masked outside the buyer's own edit form. Services flush, never commit.
"""

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..regions import divisions

MAX_ADDRESSES = 20
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
FIELDS = ("recipient", "phone", "province_code", "city_code", "district_code", "street")
CHAIN_REASON = {
    "unknown": _l("Choose one from the list."),
    "not_inside": _l("This is not inside the place chosen above."),
}


class Address(db.Model):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(12))
    city_code: Mapped[str] = mapped_column(String(12))
    district_code: Mapped[str] = mapped_column(String(12))
    street: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def names(self, locale: str = "zh") -> list[str]:
        """Province, city and district names (a municipality's city level only once)."""
        out = []
        for code in (self.province_code, self.city_code, self.district_code):
            division = divisions.get(code)
            name = division.display_name(locale) if division else code
            if not out or out[-1] != name:
                out.append(name)
        return out

    def one_line(self, locale: str = "zh") -> str:
        sep = ", " if locale == "en" else ""
        parts = self.names(locale)
        if locale == "en":
            return sep.join([self.street, *reversed(parts)])
        return "".join(parts) + " " + self.street

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str | None) -> str:
    """'13912345678' -> '139****5678'."""
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def normalise_phone(value) -> str | None:
    """A mainland mobile number (spaces, dashes and +86 taken off), or None."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if PHONE_RE.match(digits) else None


def check(data: dict) -> tuple[dict, dict]:
    """(clean values, {field: reason}) for an address's fields."""
    errors: dict = {}
    clean: dict = {}
    for field, limit in (("recipient", 50), ("street", 200)):
        value = data.get(field)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            errors[field] = _l("This field is required.")
        elif len(value) > limit:
            errors[field] = _l("At most %(max)d characters.", max=limit)
        clean[field] = value
    phone = normalise_phone(data.get("phone"))
    if phone is None:
        errors["phone"] = _l("Enter a mainland China mobile number (11 digits, starting with 1).")
    clean["phone"] = phone
    codes = [data.get(f) for f in ("province_code", "city_code", "district_code")]
    codes = [c.strip() if isinstance(c, str) else c for c in codes]
    for field, reason in divisions.chain_errors(*codes).items():
        errors[field] = CHAIN_REASON[reason]
    clean["province_code"], clean["city_code"], clean["district_code"] = codes
    return clean, errors


class AddressInvalid(DomainError):
    """An address with wrong fields; `.fields` = {field: reason}."""

    def __init__(self, fields: dict):
        super().__init__(_l("Please correct the address."))
        self.fields = fields
        self.details = {"fields": {k: str(v) for k, v in fields.items()}}


def addresses_of(user) -> list[Address]:
    """The user's addresses, the default first, then newest first."""
    stmt = (
        db.select(Address)
        .where(Address.user_id == user.id)
        .order_by(Address.is_default.desc(), Address.id.desc())
    )
    return list(db.session.scalars(stmt))


def own_address(user, address_id) -> Address | None:
    """The user's address with this id; None for anyone else's (callers answer 404)."""
    if user is None or not isinstance(address_id, int) or not 0 < address_id < 2**31:
        return None
    address = db.session.get(Address, address_id)
    if address is None or address.user_id != user.id:
        return None
    return address


def default_address(user) -> Address | None:
    found = addresses_of(user)
    return found[0] if found else None


def _make_default(address: Address) -> None:
    db.session.execute(
        db.update(Address)
        .where(Address.user_id == address.user_id, Address.id != address.id)
        .values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )
    address.is_default = True


def add_address(user, data: dict) -> Address:
    """Add an address (AddressInvalid naming the fields); the first one becomes the default."""
    clean, errors = check(data)
    if errors:
        raise AddressInvalid(errors)
    count = db.session.scalar(
        db.select(db.func.count(Address.id)).where(Address.user_id == user.id)
    )
    if count >= MAX_ADDRESSES:
        raise DomainError(_l("An address book holds at most %(max)d addresses.", max=MAX_ADDRESSES))
    address = Address(user_id=user.id, is_default=False, **clean)
    db.session.add(address)
    db.session.flush()
    if data.get("is_default") is True or count == 0:
        _make_default(address)
    db.session.flush()
    return address


def update_address(address: Address, data: dict) -> Address:
    """Change some fields (those given); the chain is checked on the result."""
    merged = {f: getattr(address, f) for f in FIELDS}
    merged.update({k: v for k, v in data.items() if k in FIELDS})
    clean, errors = check(merged)
    if errors:
        raise AddressInvalid(errors)
    for key, value in clean.items():
        setattr(address, key, value)
    if data.get("is_default") is True:
        _make_default(address)
    db.session.flush()
    return address


def make_default(address: Address) -> None:
    _make_default(address)
    db.session.flush()


def delete_address(address: Address) -> None:
    """Delete it; if it was the default, the newest remaining one becomes the default.
    Orders keep their own copy of the address, so nothing placed changes."""
    user_id, was_default = address.user_id, address.is_default
    db.session.delete(address)
    db.session.flush()
    if was_default:
        rest = db.session.scalar(
            db.select(Address).where(Address.user_id == user_id).order_by(Address.id.desc())
        )
        if rest is not None:
            _make_default(rest)
            db.session.flush()


def snapshot(address: Address) -> dict:
    """The address as an order keeps it: codes and names, so later edits change nothing."""
    names = {}
    for level in ("province", "city", "district"):
        division = divisions.get(getattr(address, f"{level}_code"))
        names[f"{level}_name"] = division.name_zh if division else ""
    return {
        "recipient": address.recipient,
        "phone": address.phone,
        "province_code": address.province_code,
        "city_code": address.city_code,
        "district_code": address.district_code,
        **names,
        "street": address.street,
    }


def snapshot_of_data(data: dict) -> dict:
    """An inline address (API) checked and snapshotted without saving it."""
    clean, errors = check(data)
    if errors:
        raise AddressInvalid(errors)
    return snapshot(Address(**clean))
