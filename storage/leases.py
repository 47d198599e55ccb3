"""Named leases: one holder at a time across processes, for work that must not run twice at once
(the scheduler's sweep, the Zalo token refresh). A lease expires, so a dead holder frees it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.db import session_scope
from storage.models import Lease, utcnow


def acquire_lease(engine: Engine, name: str, holder: str, ttl: timedelta) -> bool:
    """Take the named lease unless another holder has it and it has not expired (real clock)."""
    now = utcnow()
    try:
        with session_scope(engine, write_lock=True) as session:
            lease = session.exec(select(Lease).where(Lease.name == name).with_for_update()).first()
            if lease is not None and lease.holder != holder and lease.expires_at > now:
                return False
            lease = lease or Lease(name=name, holder=holder, expires_at=now)
            lease.holder, lease.expires_at = holder, now + ttl
            session.add(lease)
    except IntegrityError:  # another process inserted the row first
        return False
    return True


def release_lease(engine: Engine, name: str, holder: str) -> None:
    with session_scope(engine) as session:
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))
