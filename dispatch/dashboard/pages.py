"""Everything one dashboard or report page shows, gathered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateformat import format as format_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dispatch.dashboard import equity, kpis, mapdata
from dispatch.help_requests.selectors import volunteer_load
from dispatch.models import Category, Status
from dispatch.outreach.selectors import registered_households, unreached_households
from teams.models import Commune, DutySlot
from training.coverage import coverage


def weekday_names() -> list[str]:
    """Monday first, in the viewer's language ("Thứ Hai" … "Chủ nhật" / "Monday" …)."""
    return [str(label) for label in DutySlot.Weekday.labels]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def duration_rows(summary: kpis.Summary) -> list[dict[str, Any]]:
    names = {
        "accept": _("Từ tiếp nhận đến khi có người nhận"),
        "contact": _("Từ tiếp nhận đến khi bắt đầu hỗ trợ"),
        "resolve": _("Từ tiếp nhận đến khi giải quyết xong"),
    }
    return [
        {
            "label": names[key],
            "n": value["n"],
            "p50": _minutes(value["p50"]),
            "p90": _minutes(value["p90"]),
        }
        for key, value in summary.durations.items()
    ]


def report_context(
    *, commune: Commune, period: kpis.Period, filters: kpis.Filters
) -> dict[str, Any]:
    """Headline, per-team table, equity flags and training coverage (the monthly report)."""
    figures = kpis.report(commune=commune, period=period, filters=filters)
    summary = figures.summary
    rates = equity.village_rates(commune=commune, period=period)
    _add_unreached(rates, commune=commune)
    return {
        "commune": commune,
        "period": period,
        "summary": summary,
        "durations": duration_rows(summary),
        "teams": figures.teams,
        "charts": chart_series(figures.trends),
        "rates": rates,
        "flagged": [v for v in rates["villages"] if v["flagged"]],
        "training": coverage(commune=commune),
    }


def _add_unreached(rates: dict[str, Any], *, commune: Commune) -> None:
    """Each village's register size and the households never reached by a request or
    a visit (issue 21): two queries, shown only when the commune keeps a register."""
    registered = registered_households(commune=commune)
    unreached = unreached_households(commune=commune)
    rates["register"] = bool(registered)
    rates["unreached_total"] = sum(unreached.values())
    for row in rates["villages"]:
        row["registered"] = registered.get(row["village_id"], 0)
        row["unreached"] = unreached.get(row["village_id"], 0)


def _roster_rows(planned: list[list[int]] | None) -> list[dict[str, Any]]:
    if planned is None:
        return []
    days = weekday_names()
    return [{"day": days[d], "hours": planned[d]} for d in range(7)]


def _duty_rows(grid: equity.DutyGrid) -> list[dict[str, Any]]:
    """Each weekday's 24 cells: `state` (unrecorded / nobody / thin / covered), the
    share of that hour's occurrences with someone on duty, in words for the title."""
    days = weekday_names()
    rows = []
    for d in range(7):
        cells = []
        for h in range(24):
            share = grid.share[d][h]
            if not grid.seen[d][h]:
                state, text = "unrecorded", _("chưa có số liệu")
            elif share == 0:
                state, text = "nobody", _("không có ai trực")
            else:
                state = "thin" if share < 0.5 else "covered"
                text = _("có người trực %(percent)s %% số lần") % {
                    "percent": round(100 * share)
                }
            cells.append({"state": state, "share": share, "text": text, "hour": h})
        rows.append({"day": days[d], "cells": cells})
    return rows


def chart_series(trends: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The trend charts' points with their axis labels and tooltip titles written in
    the viewer's language: day/month first, weekday names ("Thứ Hai, 07/12/2026")."""
    days = weekday_names()

    def day_of(row: dict[str, Any]) -> dt.date:
        return dt.date.fromisoformat(row["date"])

    out: dict[str, Any] = {}
    for by, rows in trends.items():
        points = []
        for row in rows:
            day = day_of(row)
            if by == "week":
                title = _("Tuần %(first)s – %(last)s") % {
                    "first": format_date(day, "d/m/Y"),
                    "last": format_date(day + dt.timedelta(days=6), "d/m/Y"),
                }
            else:
                title = f"{days[day.weekday()]}, {format_date(day, 'd/m/Y')}"
            points.append({**row, "label": format_date(day, "d/m"), "title": title})
        out[by] = points
    return out


def dashboard_context(
    *, commune: Commune, period: kpis.Period, filters: kpis.Filters
) -> dict[str, Any]:
    """The report plus trends, the map, distance to help, duty hours and overdue work."""
    context = report_context(commune=commune, period=period, filters=filters)
    grid = equity.duty_grid(commune=commune, period=period)
    gaps = equity.coverage_gaps(commune=commune)
    context.update(
        {
            "map": mapdata.map_data(commune=commune),
            "gaps": gaps,
            "far_villages": [v for v in gaps["villages"] if v["flagged"]],
            "certified_names": [
                str(dict(Category.choices).get(c, c)) for c in gaps["categories"]
            ],
            "hours": range(24),
            "labels": {
                "received": _("Tiếp nhận"),
                "processed": _("Đã giải quyết"),
                "on_time": _("Đúng hạn"),
                "connected": _("đang cập nhật trực tiếp"),
                "disconnected": _("mất kết nối, đang thử lại…"),
                "not_live": _("số liệu lúc tải trang"),
                "on_duty": _("đang trực"),
                "households": _("hộ"),
                "new_request": _("Yêu cầu mới"),
                # The map's request tooltips: statuses in the viewer's language.
                "statuses": {value: str(label) for value, label in Status.choices},
                # For Intl / Chart.js number formatting: 1.234,5 or 1,234.5.
                "locale": "en-GB" if get_language() == "en" else "vi-VN",
            },
            "duty": grid,
            "duty_rows": _duty_rows(grid),
            "roster_rows": _roster_rows(equity.roster_grid(commune=commune)),
            "load": volunteer_load(
                team_ids=list(commune.teams.values_list("pk", flat=True))
            ),
            "past_due": list(equity.past_due(commune=commune)),
        }
    )
    return context
