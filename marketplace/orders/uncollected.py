"""The `uncollected-parcels` job (parcels nobody collects): see orders.actions."""
