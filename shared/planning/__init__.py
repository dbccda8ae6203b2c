"""Planning the counters from the office's own history (plain Python, no Qt).

* :mod:`~shared.planning.forecast` — visitors per weekday and half hour from the last
  weeks of tickets, holidays and unused days left out, with the spread between weeks;
* :mod:`~shared.planning.erlang` — Erlang C, the counters a half hour needs;
* :mod:`~shared.planning.simulate` — the plan replayed on the weekday's real days (Ciw);
* :mod:`~shared.planning.plan` — all three together, what-if questions, today's outlook;
* :mod:`~shared.planning.export` — the plan as tables: text, JSON, CSV and XLSX.
"""
