"""The reports, one module each: each `build(filters) -> Table`."""
