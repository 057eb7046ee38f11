"""The commune secretary's dashboard: KPIs, equity, coverage, exports and the JSON API.

Selectors here only read. Figures come from day tallies (kept by `dispatch.figures.refresh`) with a
fixed number of queries, whatever the number of requests.
"""
