"""``pst-admin``, the command line for IT staff and scripts: one module per command group.

``main`` builds the parser and runs a command; ``common`` is what every group shares.
"""
