"""The express carriers a county centre hands parcels to, and what a tracking number may look
like. Codes are fixed (the API contract); names are the carriers' own, in Chinese and English."""

import re

from flask_babel import get_locale

# code -> (Chinese name, English name)
CARRIERS = {
    "ems": ("中国邮政EMS", "China Post EMS"),
    "sf": ("顺丰速运", "SF Express"),
    "yto": ("圆通速递", "YTO Express"),
    "zto": ("中通快递", "ZTO Express"),
    "sto": ("申通快递", "STO Express"),
    "yunda": ("韵达快递", "Yunda Express"),
    "jd": ("京东物流", "JD Logistics"),
    "best": ("百世快递", "Best Express"),
}

# Loose on purpose: carriers' formats differ (SF1234567890123, 773012345678901, JDX0...).
TRACKING_NO_RE = re.compile(r"[A-Za-z0-9]{8,32}")


def is_carrier(code) -> bool:
    return isinstance(code, str) and code in CARRIERS


def carrier_name(code: str | None, locale: str | None = None) -> str:
    """The carrier's name in the page's language; an unknown code as it is."""
    if not code:
        return ""
    names = CARRIERS.get(code)
    if names is None:
        return code
    locale = locale or str(get_locale() or "zh")
    return names[1] if locale.startswith("en") else names[0]


def carrier_choices(locale: str | None = None) -> list[tuple[str, str]]:
    return [(code, carrier_name(code, locale)) for code in CARRIERS]


def normalise_tracking_no(text) -> str:
    """What a scanner or an operator typed ('sf 1234 5678 9012'), spaces dropped, upper case."""
    return "".join(str(text or "").split()).upper()


def valid_tracking_no(text: str) -> bool:
    return bool(TRACKING_NO_RE.fullmatch(text or ""))
