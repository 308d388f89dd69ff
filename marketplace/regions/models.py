"""The region tree of Linxia: prefecture > county > township > village (GB/T 2260 style codes)."""

from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class RegionLevel(StrEnum):
    prefecture = "prefecture"
    county = "county"
    township = "township"
    village = "village"


class Region(db.Model):
    """One node of the region tree; villages carry the poverty flags."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[RegionLevel] = mapped_column(Enum(RegionLevel, native_enum=False, length=20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    is_poverty_village: Mapped[bool] = mapped_column(default=False)
    is_deep_poverty_village: Mapped[bool] = mapped_column(default=False)
    # Demo villages are invented; the flag lets every page say so.
    is_sample: Mapped[bool] = mapped_column(default=False)

    parent: Mapped["Region | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Region"]] = relationship(back_populates="parent", order_by="Region.code")

    def display_name(self, locale: str = "zh") -> str:
        """The name in the given language, falling back to Chinese."""
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh

    def ancestors(self) -> list["Region"]:
        """From the prefecture down to this region's parent."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name_zh}>"
