"""`/metrics` in Prometheus's text format (prometheus-client).

Counts every process shares are read from the database at each scrape (`bot.health.counts`):
events accepted and handled, messages by status and kind (the channel), Zalo's error codes,
requests to Zalo in the last minute beside the limit. The webhook's latency is measured in the
web process; under gunicorn set PROMETHEUS_MULTIPROC_DIR (deploy/) so every worker's is summed.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from bot.health import counts

WEBHOOK_SECONDS = Histogram("nhacviec_webhook_seconds", "Time to answer Zalo's webhook request",
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5))


class DatabaseCollector:
    """Collects from the database at scrape time (see the module doc)."""

    def __init__(self, runtime):
        self.runtime = runtime

    def collect(self):
        with self.runtime.session(read_only=True) as session:
            numbers = counts(session)
        events = numbers["events"]
        accepted = CounterMetricFamily("nhacviec_events_accepted", "Zalo events recorded by the webhook")
        accepted.add_metric([], sum(events.values()))
        handled = CounterMetricFamily("nhacviec_events_handled", "Zalo events handled (or failed) by the worker",
                                      labels=["outcome"])
        for status in ("done", "failed", "ignored"):
            handled.add_metric([status], events.get(status, 0))
        waiting = GaugeMetricFamily("nhacviec_events_pending", "Zalo events recorded and not handled yet")
        waiting.add_metric([], events.get("pending", 0))
        messages = GaugeMetricFamily("nhacviec_messages", "Outbox messages by status and kind",
                                     labels=["status", "channel"])
        for status, kind, number in numbers["messages"]:
            messages.add_metric([status, kind], number)
        errors = GaugeMetricFamily("nhacviec_zalo_errors", "Messages whose last attempt Zalo refused, by error code",
                                   labels=["code"])
        for code, number in sorted(numbers["zalo_errors"].items()):
            errors.add_metric([code], number)
        budget = GaugeMetricFamily("nhacviec_zalo_rate_budget_used",
                                   "Messages sent to Zalo in the last minute over the per-minute limit")
        budget.add_metric([], numbers["sent_last_minute"] / self.runtime.settings.send_rate_per_minute)
        yield from (accepted, handled, waiting, messages, errors, budget)


def registry_for(runtime) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # the webhook latency of every gunicorn worker
    else:
        registry.register(WEBHOOK_SECONDS)
    registry.register(DatabaseCollector(runtime))
    return registry


def exposition(registry: CollectorRegistry) -> tuple[bytes, str]:
    return generate_latest(registry), CONTENT_TYPE_LATEST
