"""The waiting-room display (``pst-display``): now calling, counters, next numbers, voice.

It only reads the shared database (and writes its heartbeat): numbers, counter names and
the office's public texts. Nothing from the guest book is ever read for the screen.
"""
