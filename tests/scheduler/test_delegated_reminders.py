"""Reminders follow a task handed to an officer, replayed with `nhacviec tick --at`: the officer
gets the task's reminders, the head keeps the last day's and the overdue ones."""

from __future__ import annotations

from collections import Counter

from storage.models import Task
from tasks import lifecycle
from tests.fixtures.scheduler import deliveries, local, publish_seed, task_id, tick
from tests.handlers import factories as f

BINH, CHAU = "Phạm Thị Bình", "Hoàng Minh Châu"


def test_the_officer_handed_a_meeting_task_is_reminded_and_the_head_keeps_the_last_call(office, fake_zalo):
    publish_seed(office)
    with office.session() as session:
        chau = f.on_zalo(session, CHAU, zalo_user_id="5000000000000000006")
        task = session.get(Task, task_id(office, "2.2"))  # QLCN: meeting at 13h30 on Wednesday 19/02
        lifecycle.delegate(session, task, f.officer(session, BINH), chau, chau.unit_id, office.settings,
                           local("02-17 11:00"))
    ticks = {}
    for when in ("02-18 15:00", "02-19 11:00", "02-20 08:00"):
        before = len(fake_zalo.sent)
        tick(office, local(when))
        ticks[when] = Counter((who, kind) for who, ref, kind in deliveries(office, fake_zalo.sent[before:])
                              if ref == "2.2")
    assert ticks == {
        "02-18 15:00": Counter({(CHAU, "meeting"): 1}),  # the eve of the meeting: the officer only
        "02-19 11:00": Counter({(CHAU, "meeting"): 1, (BINH, "meeting"): 1}),  # the last call: the head too
        "02-20 08:00": Counter({(CHAU, "overdue"): 1, (BINH, "overdue"): 1}),  # overdue: both
    }
    # A task not handed over reminds the head alone, as before.
    told_of_other = [who for who, ref, _ in deliveries(office, fake_zalo.sent) if ref == "2.1"]
    assert set(told_of_other) == {BINH}


def test_taking_a_task_back_gives_its_reminders_back_to_the_head(office, fake_zalo):
    publish_seed(office)
    with office.session() as session:
        chau = f.on_zalo(session, CHAU, zalo_user_id="5000000000000000006")
        binh = f.officer(session, BINH)
        task = session.get(Task, task_id(office, "2.2"))
        lifecycle.delegate(session, task, binh, chau, chau.unit_id, office.settings, local("02-17 11:00"))
        lifecycle.revoke(session, task, binh, [chau], office.settings, local("02-17 12:00"))
    tick(office, local("02-18 15:00"))
    assert [who for who, ref, _ in deliveries(office, fake_zalo.sent) if ref == "2.2"] == [BINH]
