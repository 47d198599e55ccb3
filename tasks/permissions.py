"""Who may do what with a task, in one place.

The rules are pure functions over facts (the officer, the task, who it is given to); the few
functions below them read those facts through `tasks.queries` for callers that have only the
task. Handlers ask here and never restate a rule.
"""

from __future__ import annotations

from sqlmodel import Session

from storage.models import Officer, Task
from tasks import queries

# Leaders and the office admins may close, reopen and view any task, and decide extensions.
DECIDER_ROLES = ("leader", "admin")
# Those who may hand a task to an officer (a head within their unit's part; see `delegable_units`).
DELEGATOR_ROLES = ("head", *DECIDER_ROLES)


def oversees_all(officer: Officer) -> bool:
    return officer.role in DECIDER_ROLES


def may_close(officer: Officer, task: Task, assignee_ids: set[int]) -> bool:
    """Close, reopen or ask more time: the task's responsible people, the head of its unit,
    leaders and admins."""
    return (
        oversees_all(officer)
        or officer.id in assignee_ids
        or (officer.role == "head" and task.unit_id is not None and officer.unit_id == task.unit_id)
    )


def may_view(officer: Officer, task: Task, assignee_ids: set[int], coordinator_ids: set[int]) -> bool:
    """See a task in full: its unit, the units coordinating it, its people, leaders and admins."""
    return (
        oversees_all(officer)
        or officer.id in assignee_ids
        or officer.unit_id == task.unit_id
        or officer.unit_id in coordinator_ids
    )


def may_view_unit(officer: Officer, unit_id: int) -> bool:
    return oversees_all(officer) or officer.unit_id == unit_id


def may_decide(officer: Officer, approver_ids: set[int]) -> bool:
    """Refuse an extension: those it was sent to, any leader, any admin."""
    return oversees_all(officer) or officer.id in approver_ids


def may_approve(officer: Officer, deadline_approver_ids: set[int]) -> bool:
    """Approve an extension: a deadline the Giám đốc set (every deadline of a notice) is moved only
    by the leader who directs the unit, or one the settings name (see `deadline_approvers`)."""
    return officer.id in deadline_approver_ids


def may_report(officer: Officer, task: Task, people_ids: set[int], coordinator_ids: set[int]) -> bool:
    """Report progress: those who may close the task, and the coordinating units for their part."""
    return may_close(officer, task, people_ids) or officer.unit_id in coordinator_ids


def parts_of(task: Task, coordinator_ids: set[int]) -> set[int]:
    """The units sharing a task: its own, and those coordinating it (each its part)."""
    return {u for u in (task.unit_id, *coordinator_ids) if u is not None}


def delegable_units(officer: Officer, task: Task, coordinator_ids: set[int]) -> set[int]:
    """The parts of a task this officer may hand to an officer: a head their own unit's (the
    task's, or their unit's share as a coordinating unit), a leader or an admin any part."""
    if oversees_all(officer):
        return parts_of(task, coordinator_ids)
    if officer.role == "head" and (officer.unit_id == task.unit_id or officer.unit_id in coordinator_ids):
        return {officer.unit_id}
    return set()


# --- the same rules, reading their facts -----------------------------------------------------------

def deciders(session: Session, task: Task) -> list[Officer]:
    """Those asked to decide the task's extensions (see `queries.approvers`)."""
    return queries.approvers(session, queries.unit_of(session, task))


def deadline_approvers(session: Session, task: Task, settings) -> list[Officer]:
    """Who may approve moving the task's deadline: the leaders directing its unit (every leader
    when none is named for it) and those the setting `extension_approvers` names."""
    named = [n.strip() for n in settings.extension_approvers.split(",") if n.strip()]
    leaders = queries.directors(session, queries.unit_of(session, task)) + queries.officers_named(session, named)
    return list({o.id: o for o in leaders}.values())


def others_may_decide(session: Session, named: list[Officer]) -> bool:
    """Whether leaders or admins besides those named may decide too (any of them may)."""
    ids = {o.id for o in named}
    return any(o.id not in ids for o in queries.approvers(session, None))


def is_decider(session: Session, officer: Officer) -> bool:
    """May this officer decide some extension requests (for help to list the commands)?"""
    return oversees_all(officer) or any(o.id == officer.id for o in queries.approvers(session, None))


def handable(session: Session, officer: Officer, parts: set[int]) -> list[Officer]:
    """Those `officer` may hand these parts of a task to (`delegable_units`): active officers of
    those units, leaders aside, and not themselves."""
    return [o for o in queries.unit_staff(session, sorted(parts)) if o.id != officer.id]


def may_see(session: Session, officer: Officer, task: Task, people: list[Officer] | None = None) -> bool:
    """May this officer read the task in full ("chi tiết"): its units and people, leaders,
    admins, and whoever was asked to decide its extensions (the office head too).
    `people`, the task's `queries.people`, when the caller has them already."""
    people = queries.people(session, task) if people is None else people
    helping = {u.id for u in queries.coordinators(session, task.id)}
    if may_view(officer, task, {o.id for o in people}, helping):
        return True
    return may_decide(officer, {o.id for o in deciders(session, task)})


def closable(session: Session, officer: Officer, tasks: list[Task]) -> list[int]:
    """Which of these tasks the officer may close, in the order given (given or handed to them:
    `queries.assigned_among`, asked only about those the officer's role does not settle)."""
    unsettled = [t.id for t in tasks if not may_close(officer, t, set())]
    mine = queries.assigned_among(session, officer.id, unsettled)
    return [t.id for t in tasks if may_close(officer, t, {officer.id} if t.id in mine else set())]
