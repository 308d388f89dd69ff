"""Demo data: the official region tree and sample villages."""

from . import services


def load(scale: str = "demo") -> str:
    """Load prefecture, counties, townships and about 8 sample villages per township."""
    official = services.load_region_tree()
    per_township = 8 if scale == "demo" else 9  # prefecture scale: about 1,090 villages
    villages = services.load_sample_villages(per_township=per_township)
    return f"{official} official regions, {villages} sample villages"
