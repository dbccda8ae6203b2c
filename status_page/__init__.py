"""The status page (``pst-web``): visitors' phones follow their ticket on the office network.

A small web server that only reads the shared database (opened read-only): ``/t/<code>``
is one ticket's page for a phone, ``/board`` the waiting-room board for a browser, and
``/api/t/<code>``, ``/api/board`` the JSON behind them. It reads the database once per
change (``PRAGMA data_version``) into one snapshot and serves every request from it.
No Qt here.
"""
