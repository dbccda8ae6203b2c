"""The database file and how every program reads and writes it.

The store (one transaction per state change, retries, read-only mode), the file's
checks and schema migrations, the change poller and compact event results.
"""
