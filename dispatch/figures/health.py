"""How the machine is doing, read from the database: what came in and was handled,
what went out, what waits. `/metrics` exposes it to Prometheus.

Everything here is a count or an age computed at scrape time from the rows that are the
truth (no counters in process memory), so every Daphne and worker process reports the
same figures and a restart loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Sum,
)
from django.utils import timezone
from django_q.models import OrmQ

from dispatch.models import (
    EventKind,
    HelpRequest,
    InboundMessage,
    Offer,
    OutboundMessage,
    RequestEvent,
)

# Offer answer times (opened → accepted) in seconds, the buckets the histogram uses.
ANSWER_BUCKETS = (15, 30, 60, 120, 300, 600, 1800)


@dataclass
class Health:
    inbound_received: dict[str, int] = field(default_factory=dict)
    inbound_processed: dict[str, int] = field(default_factory=dict)
    oldest_unprocessed_seconds: float = 0.0
    requests_received: dict[str, int] = field(default_factory=dict)
    offers: dict[str, int] = field(default_factory=dict)
    escalations: int = 0
    outbound: dict[tuple[str, str], int] = field(default_factory=dict)
    queued_tasks: int = 0
    answer_buckets: dict[float, int] = field(default_factory=dict)
    answer_count: int = 0
    answer_sum_seconds: float = 0.0


def _by(queryset, *fields: str) -> dict:
    rows = queryset.values(*fields).annotate(n=Count("pk")).order_by()
    if len(fields) == 1:
        return {row[fields[0]] or "": row["n"] for row in rows}
    return {tuple(row[f] or "" for f in fields): row["n"] for row in rows}


def health(*, now: datetime | None = None) -> Health:
    """Every figure /metrics shows, in a fixed number of queries."""
    now = now or timezone.now()
    result = Health(
        inbound_received=_by(InboundMessage.objects.all(), "provider"),
        inbound_processed=_by(
            InboundMessage.objects.filter(processed_at__isnull=False), "provider"
        ),
        requests_received=_by(HelpRequest.objects.all(), "channel"),
        offers=_by(Offer.objects.all(), "state"),
        escalations=RequestEvent.objects.filter(kind=EventKind.ESCALATED).count(),
        outbound=_by(OutboundMessage.objects.all(), "backend", "status"),
        queued_tasks=OrmQ.objects.count(),
    )
    # Only messages a person sent wait to be understood (status reports need nothing).
    oldest = InboundMessage.objects.filter(
        processed_at__isnull=True,
        provider__in=(
            InboundMessage.Provider.TWILIO_SMS,
            InboundMessage.Provider.SMSGATE,
        ),
    ).aggregate(at=Min("received_at"))["at"]
    if oldest is not None:
        result.oldest_unprocessed_seconds = max((now - oldest).total_seconds(), 0.0)
    took = ExpressionWrapper(
        F("answered_at") - F("offered_at"), output_field=DurationField()
    )
    answered = Offer.objects.filter(
        state=Offer.State.ACCEPTED, answered_at__isnull=False
    ).annotate(took=took)
    figures = answered.aggregate(
        n=Count("pk"),
        total=Sum("took"),
        **{
            f"le_{bound}": Count("pk", filter=Q(took__lte=timedelta(seconds=bound)))
            for bound in ANSWER_BUCKETS
        },
    )
    result.answer_count = figures["n"] or 0
    result.answer_sum_seconds = (
        figures["total"].total_seconds() if figures["total"] else 0.0
    )
    result.answer_buckets = {
        bound: figures[f"le_{bound}"] or 0 for bound in ANSWER_BUCKETS
    }
    return result
