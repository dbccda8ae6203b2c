"""One PC's installation: its configuration file, its log file and its checks.

``pst.toml`` (which database, which role), where the log goes, and what
``pst-admin check`` and the setup wizard verify before a program starts.
"""
