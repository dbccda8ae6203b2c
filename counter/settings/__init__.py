"""The console's Pengaturan page, one module per tab.

``page`` puts the page together (:class:`~counter.settings.page.SettingsView`);
``services``, ``counters``, ``officers``, ``hours`` (opening hours and days off),
``complaints`` (running text and complaint channels), ``guestbook``, ``rules`` (queue
rules and the counter plan) and ``office`` (the office and its central database) are
its tabs; ``form`` checks and sends a change, ``setting_rows`` lays out single settings
with their own Save, and ``fields`` holds the small widgets and readers of typed text.
"""
