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
    """Approve or refuse an extension: those it was sent to, any leader, any admin."""
    return oversees_all(officer) or officer.id in approver_ids


# --- the same rules, reading their facts -----------------------------------------------------------

def deciders(session: Session, task: Task) -> list[Officer]:
    """Those asked to decide the task's extensions (see `queries.approvers`)."""
    return queries.approvers(session, queries.unit_of(session, task))


def others_may_decide(session: Session, named: list[Officer]) -> bool:
    """Whether leaders or admins besides those named may decide too (any of them may)."""
    ids = {o.id for o in named}
    return any(o.id not in ids for o in queries.approvers(session, None))


def is_decider(session: Session, officer: Officer) -> bool:
    """May this officer decide some extension requests (for help to list the commands)?"""
    return oversees_all(officer) or any(o.id == officer.id for o in queries.approvers(session, None))


def may_see(session: Session, officer: Officer, task: Task, people: list[Officer] | None = None) -> bool:
    """May this officer read the task in full ("chi tiết"): its units and people, leaders,
    admins, and whoever was asked to decide its extensions (the office head too).
    `people`, the task's assignees, when the caller has them already."""
    people = queries.assignees(session, task.id) if people is None else people
    helping = {u.id for u in queries.coordinators(session, task.id)}
    if may_view(officer, task, {o.id for o in people}, helping):
        return True
    return may_decide(officer, {o.id for o in deciders(session, task)})


def closable(session: Session, officer: Officer, tasks: list[Task]) -> list[int]:
    """Which of these tasks the officer may close, in the order given."""
    mine = queries.assigned_among(session, officer.id, [t.id for t in tasks])
    return [t.id for t in tasks if may_close(officer, t, {officer.id} if t.id in mine else set())]
