"""Who may do what with a task. Pure rules over facts the handlers read from storage."""

from __future__ import annotations

from storage.models import Officer, Task

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
