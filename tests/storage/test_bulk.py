"""Thousands of rows or ids in one statement (storage.bulk): what is stored is what the ORM would
store, keys already taken are skipped, and a list of ids may be longer than a statement's
parameters allow."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from storage.bulk import among, insert_new, update_by_id
from storage.models import OutboxMessage, Unit
from tests.fixtures.db import both_databases

pytestmark = both_databases
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def message(key: str, n: int, created: datetime) -> dict:
    return {"idempotency_key": key, "zalo_user_id": f"z{n}", "officer_id": None, "kind": "reminder",
            "text": f"Nhắc việc #{n}: «báo cáo» — hạn chót hôm nay", "image_path": None, "task_id": None,
            "buttons": [{"title": f"Xong #{n}", "payload": f"xong {n}"}], "quote_message_id": None,
            "status": "pending", "attempts": 0, "created_at": created, "not_before": None}


def test_new_rows_are_inserted_in_order_and_keys_already_taken_are_skipped(runtime):
    created = datetime(2025, 3, 4, 8, 0, tzinfo=HANOI)
    table = OutboxMessage.__table__
    with runtime.session() as session:
        first = dict(insert_new(session, table, [message(f"k{n}", n, created) for n in range(3)],
                                "idempotency_key", "idempotency_key", "id"))
    with runtime.session() as session:
        rows = [message(f"k{n}", n, created) for n in (1, 3, 4, 4)]  # k1 taken before, k4 twice here
        again = insert_new(session, table, rows, "idempotency_key", "idempotency_key", "id")
    assert list(first) == ["k0", "k1", "k2"] and first["k0"] < first["k1"] < first["k2"]
    assert [key for key, _ in again] == ["k3", "k4"] and first["k2"] < again[0][1] < again[1][1]
    with runtime.session(read_only=True) as session:
        stored = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == "k3")).one()
    assert stored.created_at == created and stored.created_at.utcoffset() == timedelta(0)
    assert stored.buttons == [{"title": "Xong #3", "payload": "xong 3"}]
    assert stored.text == "Nhắc việc #3: «báo cáo» — hạn chót hôm nay" and stored.not_before is None


def test_rows_are_updated_by_id_each_with_its_own_values(runtime):
    created = datetime(2025, 3, 4, 8, 0, tzinfo=HANOI)
    table = OutboxMessage.__table__
    with runtime.session() as session:
        ids = [id_ for _, id_ in insert_new(session, table, [message(f"k{n}", n, created) for n in range(3)],
                                            "idempotency_key", "idempotency_key", "id")]
        later = created + timedelta(minutes=5)
        update_by_id(session, table, [{"id": ids[0], "status": "sent", "sent_at": later},
                                      {"id": ids[2], "status": "failed", "sent_at": None}])
    with runtime.session(read_only=True) as session:
        stored = {m.id: (m.status, m.sent_at) for m in session.exec(select(OutboxMessage))}
    assert stored == {ids[0]: ("sent", later), ids[1]: ("pending", None), ids[2]: ("failed", None)}


def test_a_list_of_ids_longer_than_a_statement_takes_is_one_parameter(runtime):
    with runtime.session() as session:
        unit = Unit(code="VP", name="Văn phòng Sở", kind="office")
        session.add(unit)
        session.flush()
        wanted = [unit.id, *range(10**6, 10**6 + 70_000)]  # PostgreSQL takes 65,535 parameters at most
        counted = session.exec(select(func.count()).select_from(Unit).where(among(session, Unit.id, wanted))).one()
    assert counted == 1
