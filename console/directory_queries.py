"""The directory page's rows: units with their officers, a page at a time, and who the bot cannot
reach and why (the rule is `tasks.summary.unreachable_officers`; how each is reached,
`zalo.channels.reach`).

A Sở may hold thousands of officers, so a page shows whole units, as many as fit in about
`PER_PAGE` officers (a bigger unit has a page of its own), or one chosen unit, or the officers
whose name matches. The counts at the top are counted over everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from console.queries import officers_named
from storage.models import Officer, OutboxMessage, Unit
from tasks.summary import unreachable_officers
from zalo.channels import reach

PER_PAGE = 100


@dataclass(frozen=True)
class OfficerRow:
    id: int
    full_name: str
    title: str
    role: str
    phone: str
    linked: bool
    active: bool
    last_interaction_at: datetime | None
    unreachable: str | None
    unreachable_since: datetime | None
    reach: str = ""  # where they stand for the bot (zalo.channels.reach), and when that changes
    reach_at: datetime | None = None


@dataclass(frozen=True)
class UnitGroup:
    code: str
    name: str
    kind: str
    aliases: list[str]
    officers: list[OfficerRow] = field(default_factory=list)
    id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class DirectoryFilter:
    unit: int | None = None
    name: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> DirectoryFilter:
        """From the query string; what cannot be read is left out."""
        def number(key: str) -> int | None:
            value = args.get(key, "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        return cls(number("unit"), " ".join(args.get("q", "").split())[:100], max(1, number("page") or 1))

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to another page of the same view."""
        values = {"unit": self.unit, "q": self.name, "page": self.page, **changes}
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclass(frozen=True)
class DirectoryPage:
    groups: list[UnitGroup]
    page: int
    pages: int
    units: int  # everyone, whatever the filter
    officers: int
    linked: int
    unreachable: int
    choices: list[tuple[int, str]]  # every unit, for the filter


def pack_units(sizes: list[tuple[int, int]], per_page: int) -> list[list[int]]:
    """Unit ids in order, packed into pages of at most `per_page` officers without splitting a unit."""
    pages: list[list[int]] = []
    count = 0
    for unit_id, size in sizes:
        if not pages or (pages[-1] and count + size > per_page):
            pages.append([])
            count = 0
        pages[-1].append(unit_id)
        count += size
    return pages or [[]]


def directory(session: Session, settings, now: datetime, flt: DirectoryFilter = DirectoryFilter(),
              per_page: int = PER_PAGE) -> DirectoryPage:
    """One page of the directory under `flt`, in directory order (units by id, officers by id)."""
    units = list(session.exec(select(Unit).order_by(Unit.id)))
    sizes = dict(session.exec(select(Officer.unit_id, func.count()).group_by(Officer.unit_id)).all())
    linked = session.exec(select(func.count()).select_from(Officer)
                          .where(Officer.zalo_user_id.is_not(None), Officer.zalo_user_id != "")).one()
    cut_off = {u.officer_id: u for u in unreachable_officers(session, settings, now)}
    named = set(officers_named(session, flt.name)) if flt.name else None
    if named is not None:
        shown_sizes = dict(session.exec(select(Officer.unit_id, func.count()).where(Officer.id.in_(named))
                                        .group_by(Officer.unit_id)).all()) if named else {}
    else:
        shown_sizes = sizes
    listed = [(u.id, shown_sizes.get(u.id, 0)) for u in units
              if (flt.unit is None or u.id == flt.unit) and (named is None or shown_sizes.get(u.id))]
    pages = pack_units(listed, per_page)
    page = min(flt.page, len(pages))
    shown = {u.id: UnitGroup(u.code, u.name, u.kind, list(u.aliases), id=u.id, active=u.active)
             for u in units if u.id in set(pages[page - 1])}
    for o in session.exec(select(Officer).where(Officer.unit_id.in_(shown)).order_by(Officer.unit_id, Officer.id)):
        if named is not None and o.id not in named:
            continue
        why = cut_off.get(o.id)
        shown[o.unit_id].officers.append(OfficerRow(
            o.id, o.full_name, o.title, o.role, o.phone, bool(o.zalo_user_id), o.active, o.last_interaction_at,
            why.reason if why else None, why.since if why else o.unreachable_since, *reach(o, settings, now),
        ))
    return DirectoryPage(list(shown.values()), page, len(pages), len(units), sum(sizes.values()), linked,
                         len(cut_off), [(u.id, u.name) for u in units])


def month_channels(session: Session, settings, now: datetime) -> dict[str, int]:
    """Messages sent since the first of this month (wall clock), by the way they went: text (free),
    billed, template, zns."""
    local = now.astimezone(settings.zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return dict(session.exec(select(OutboxMessage.channel, func.count()).where(
        OutboxMessage.status == "sent", OutboxMessage.sent_at >= first, OutboxMessage.channel.is_not(None))
        .group_by(OutboxMessage.channel)).all())
