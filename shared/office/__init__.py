"""The office's settings, service hours and complaint channels.

What a supervisor sets on the console's Pengaturan page or with
``pst-admin setting``, and the calendar the queue's day follows.
"""
