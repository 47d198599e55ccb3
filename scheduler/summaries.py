"""The weekly summaries (Monday 07:00, before the weekly briefing): each reader's summary
(`tasks.summary`, which "tổng hợp" answers with at any moment too), and for leaders a chart of
completion per unit. An empty summary goes only to those inside Zalo's 7-day window (it carries a button: a tap keeps
them reachable); to others it is not sent. One idempotency key per recipient and week:
a week is summarised once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from scheduler.messages import SUMMARY_BUTTONS
from storage.models import Lease, utcnow
from tasks.summary import Snapshot, collect, summary_for, week_of
from zalo.channels import WINDOW, recipient_key
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many


def draw_chart(snap: Snapshot, path: Path) -> Path:
    """Completion per unit as a PNG: done, open on time and overdue tasks, stacked."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = snap.units_in_order()[::-1]  # barh draws bottom-up: the first unit on top
    names = [s.short or s.name for s in rows]
    done = [s.closed_ever for s in rows]
    late = [s.overdue for s in rows]
    on_time = [s.open - s.overdue for s in rows]
    figure, axes = pyplot.subplots(figsize=(9, 0.45 * len(rows) + 1.6), dpi=100)
    axes.barh(names, done, color="#2e7d32", label="Đã xong")
    axes.barh(names, on_time, left=done, color="#90caf9", label="Đang làm, trong hạn")
    axes.barh(names, late, left=[d + o for d, o in zip(done, on_time, strict=True)], color="#e53935", label="Quá hạn")
    for y, stats in enumerate(rows):
        whole = stats.closed_ever + stats.open
        if whole:
            axes.text(whole + 0.1, y, f"xong {round(100 * stats.closed_ever / whole)}%", va="center", fontsize=8)
    axes.set_title(f"Tiến độ theo đơn vị, {snap.week.label}")
    axes.set_xlabel("Số việc")
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    pyplot.close(figure)
    return path


def inside_window(officer) -> bool:
    """Inside Zalo's 7-day window now (the real clock), so leaving it before next week's summary
    unless they tap or write: such an officer gets a summary even with nothing to report."""
    last = officer.last_interaction_at
    return last is not None and utcnow() - last <= WINDOW


def queue_weekly_summaries(runtime, at: datetime, holder: str = "") -> int:
    """How many summary messages `summary_messages` queued."""
    return len(summary_messages(runtime, at, holder))


def summary_messages(runtime, at: datetime, holder: str = "") -> list[int]:
    """Queue this week's summaries when their moment has come and the week is not claimed yet;
    returns their outbox ids.

    The claim is a `Lease` row named after the week, written in the same transaction as the
    messages: a week is summarised once, even when it had nothing to say at that moment.
    """
    settings = runtime.settings
    week = week_of(at, settings)
    if at < week.start_at:
        return []
    with runtime.session(read_only=True) as session:
        if session.get(Lease, week.claim) is not None:
            return []
        snap = collect(session, settings, week, at)
    messages: list[tuple[str, Outgoing]] = []
    chart: Path | None = None
    for officer, unit in snap.recipients:
        recipient = recipient_key(officer, settings)
        if recipient is None:  # no Zalo link and no phone template: nothing can reach them
            continue
        text = summary_for(officer, unit, snap, settings.zone)
        if text is None and inside_window(officer):  # a tap on its button keeps them reachable
            text = f"Tổng hợp {week.label}: anh/chị không có việc nào đang mở."
        if text is None:
            continue
        key = f"{week.key_prefix}{officer.id}"
        messages.append((key, Outgoing(recipient, text, SUMMARY_BUTTONS, officer_id=officer.id, kind="summary")))
        if officer.role == "leader" and snap.stats and officer.zalo_user_id:  # a chart needs the chat
            chart = chart or draw_chart(snap, Path(settings.chart_dir) / f"tong-hop-{week.id}.png")
            caption = f"Biểu đồ tiến độ theo đơn vị, {week.label}"
            messages.append((f"{key}:chart", Outgoing(officer.zalo_user_id, caption, officer_id=officer.id,
                                                       kind="image", image_path=str(chart))))
    try:
        with runtime.session(write_lock=True) as session:
            if session.get(Lease, week.claim) is not None:
                return []
            session.add(Lease(name=week.claim, holder=holder[:64] or "summary", expires_at=week.start_at + timedelta(days=7)))
            return list(enqueue_many(session, messages).values())
    except IntegrityError:  # another process claimed the week at the same moment
        return []
