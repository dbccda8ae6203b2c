"""The only part of the core that imports Qt: adapters the three programs share."""
