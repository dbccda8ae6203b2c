"""``pst-setup``: set up one PC of the office — its role, the shared database, its devices."""
