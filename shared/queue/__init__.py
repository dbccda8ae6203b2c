"""The queue and its rule: tickets, counters, officers and the day's record.

Every state change is one function of :mod:`shared.queue.operations` (one transaction,
one events row); the 10-minute target, queries, day close and supervision read it.
"""
