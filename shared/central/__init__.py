"""The province's central database: every office's record in one PostgreSQL.

Each office's SQLite file stays its own truth; ``pst-admin publish`` copies what the
province may see into a central PostgreSQL database, and ``pst-admin report --central``
reports over it.

* :mod:`~shared.central.outbound` — the one list of what leaves the office (and what never does);
* :mod:`~shared.central.connection` — connection strings, passwords, one sentence per failure;
* :mod:`~shared.central.schema` — the central schema's versioned migrations;
* :mod:`~shared.central.publish` — publishing: idempotent, resumable batches;
* :mod:`~shared.central.report` — the report over one office or many, computed in PostgreSQL.

psycopg is imported only when a command reaches the central database, so ``pst-admin``
starts as fast as before.
"""
