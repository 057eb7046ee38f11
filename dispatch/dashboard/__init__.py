"""The commune secretary's dashboard: KPIs, equity, coverage, exports and the JSON API.

Selectors here only read. Every figure is aggregated in SQL with a fixed number of queries,
whatever the number of requests.
"""
