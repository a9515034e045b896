"""Models of the oversight dashboards: none.

The dashboards compute every local government's state from the directives, recipients, plans and
submissions on each request (directives/dashboard.py: four flat queries, merged in Python), which
measured well inside the budget on the national scenario (README, bench/bench_dashboards.py). A
denormalised state table would have to follow writes made with queryset.update() in other apps
(acknowledgements, reviews, plan transitions) that fire no signals; the computed board is always
the truth instead.
"""
