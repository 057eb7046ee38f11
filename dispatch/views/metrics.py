"""`GET /metrics`: Prometheus metrics, for the addresses and the token the office sets.

Allowed when the client address (decided once by config.middleware) is listed in
METRICS_ALLOWED_IPS, or the request carries `Authorization: Bearer <METRICS_TOKEN>`.
Everyone else gets a plain 403 — the figures say nothing personal, but how busy a
commune's hotline is, is the office's business.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from dispatch.figures.health import ANSWER_BUCKETS, health
from dispatch.push import presence


class HealthCollector(Collector):
    """Reads `dispatch.figures.health` at each scrape (the database is the truth)."""

    def collect(self) -> Iterator[Metric]:
        figures = health()
        received = CounterMetricFamily(
            "caunoi_inbound_received",
            "Inbound messages and call steps stored, per provider.",
            labels=["provider"],
        )
        for provider, n in sorted(figures.inbound_received.items()):
            received.add_metric([provider], n)
        yield received
        processed = CounterMetricFamily(
            "caunoi_inbound_processed",
            "Inbound messages and call steps handled, per provider.",
            labels=["provider"],
        )
        for provider, n in sorted(figures.inbound_processed.items()):
            processed.add_metric([provider], n)
        yield processed
        yield GaugeMetricFamily(
            "caunoi_inbound_oldest_unprocessed_seconds",
            "Age of the oldest resident SMS not yet understood (0 when none waits).",
            value=figures.oldest_unprocessed_seconds,
        )
        requests = CounterMetricFamily(
            "caunoi_requests_received",
            "Help requests received, per channel.",
            labels=["channel"],
        )
        for channel, n in sorted(figures.requests_received.items()):
            requests.add_metric([channel], n)
        yield requests
        offers = CounterMetricFamily(
            "caunoi_offers", "Offers to teams, per state.", labels=["state"]
        )
        for state, n in sorted(figures.offers.items()):
            offers.add_metric([state], n)
        yield offers
        yield CounterMetricFamily(
            "caunoi_escalations",
            "Requests escalated to the commune specialists.",
            value=figures.escalations,
        )
        outbound = CounterMetricFamily(
            "caunoi_outbound",
            "Outbound messages, per gateway and status.",
            labels=["gateway", "status"],
        )
        for (gateway, status), n in sorted(figures.outbound.items()):
            outbound.add_metric([gateway or "none", status], n)
        yield outbound
        answer = HistogramMetricFamily(
            "caunoi_offer_answer_seconds",
            "Time from an offer opening to a volunteer accepting it.",
        )
        answer.add_metric(
            [],
            buckets=[(str(float(b)), figures.answer_buckets[b]) for b in ANSWER_BUCKETS]
            + [("+Inf", figures.answer_count)],
            sum_value=figures.answer_sum_seconds,
        )
        yield answer
        yield GaugeMetricFamily(
            "caunoi_task_queue_depth",
            "django-q2 tasks queued and not yet taken by a worker.",
            value=figures.queued_tasks,
        )
        sockets = presence.open_connections()
        if sockets is not None:
            yield GaugeMetricFamily(
                "caunoi_volunteer_sockets",
                "Volunteer WebSocket connections open across every Daphne.",
                value=sockets,
            )


def _allowed(request: HttpRequest) -> bool:
    if request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS:
        return True
    token = settings.METRICS_TOKEN
    supplied = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(
        supplied.encode(), f"Bearer {token}".encode()
    )


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HealthCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
