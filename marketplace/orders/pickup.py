"""The checkout's pickup point chooser: 600 village points narrowed by county, township and
a name, all through GET arguments, so it works without JavaScript (which only submits the
narrowing form when a list changes)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from . import queries

MAX_QUERY = 50


@dataclass
class PickupChooser:
    county: str
    township: str
    q: str
    counties: list[tuple[str, str]]  # (code, name) of every county with a village point
    townships: list[tuple[str, str]]  # those of the chosen county
    all_groups: list = field(default_factory=list)  # (label, [(station, name)]): every point
    groups: list = field(default_factory=list)  # the same, narrowed

    @property
    def count(self) -> int:
        return sum(len(stations) for _, stations in self.groups)

    @property
    def narrowed(self) -> bool:
        return bool(self.county or self.township or self.q)

    @property
    def args(self) -> dict:
        """The narrowing, to keep on the order form's URL (its errors show the same list)."""
        return {k: v for k, v in (("county", self.county), ("township", self.township),
                                  ("q", self.q)) if v}  # fmt: skip

    def suggested(self, last_station_id: int | None) -> int | None:
        """What the list starts on: the buyer's last point when it is shown, or the one
        point a narrowing found; otherwise nothing, so nobody sends a parcel to the first
        village of the list by not touching it."""
        shown = [station.id for _, stations in self.groups for station, _ in stations]
        if last_station_id in shown:
            return last_station_id
        if self.narrowed and len(shown) == 1:
            return shown[0]
        return None


def _matches(station, areas, words: str) -> bool:
    names = [station.name_zh, station.name_en, station.region.name_zh, station.region.name_en]
    names += [n for area in areas for n in (area.name_zh, area.name_en)]
    return any(words in (name or "").casefold() for name in names)


def chooser(locale: str, args) -> PickupChooser:
    county = (args.get("county") or "").strip()[:12]
    township = (args.get("township") or "").strip()[:12]
    q = (args.get("q") or "").strip()[:MAX_QUERY]
    if township and not township.startswith(county or township):
        township = ""  # a township of another county: the county was changed
    counties: dict[str, str] = {}
    townships: dict[str, str] = {}
    made = PickupChooser(county, township, q, [], [])
    words = q.casefold()
    for areas, stations in queries.pickup_points():
        label = " · ".join(r.display_name(locale) for r in areas) or _("Other")
        named = [(s, s.display_name(locale)) for s in stations]
        made.all_groups.append((label, named))
        codes = [r.code for r in areas]
        if areas:
            counties.setdefault(areas[0].code, areas[0].display_name(locale))
        if len(areas) > 1 and codes[0] == county:
            townships.setdefault(areas[1].code, areas[1].display_name(locale))
        if county and county not in codes or township and township not in codes:
            continue
        if words:
            named = [(s, name) for s, name in named if _matches(s, areas, words)]
        if named:
            made.groups.append((label, named))
    made.counties = list(counties.items())
    made.townships = list(townships.items())
    return made
