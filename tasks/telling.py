"""Who is told of a change to a task, and the one short line each reads.

`told` is pure: the change (what, by whom) and the people the task concerns in, the lines out.
Whoever made the change turns the lines into messages: the conversation does it for changes
made in chat, and the console can do it for a change it makes on someone's behalf (its own
`actor` and `actor_id`, or None). `concerned` reads the people from storage.

The rule: when a task is closed, reopened, handed over, taken back or given more time by
someone, the people who answer for it hear of it once — the head of its unit, the officers
named or handed it, and whoever handed it to them — but not the one who did it, and not
leaders (they read it in their summaries, not one message per change). Those a request for
more time went to hear who decided it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from storage.models import Task
from tasks import queries
from tasks.wording import say_day, say_names

CLOSED, REOPENED, DELEGATED, REVOKED, EXTENDED, REFUSED, PART_DONE, NOTED = (
    "closed", "reopened", "delegated", "revoked", "extended", "refused", "part_done", "noted")


@dataclass(frozen=True)
class Concerned:
    """Officer ids of those a task's changes concern."""

    heads: tuple[int, ...] = ()
    named: tuple[int, ...] = ()
    delegates: tuple[int, ...] = ()
    delegators: tuple[int, ...] = ()
    leaders: frozenset[int] = frozenset()
    deciders: tuple[int, ...] = ()  # those a request for more time goes to

    def answering(self) -> list[int]:
        """Those who answer for the task, each once, leaders aside."""
        ids = dict.fromkeys(self.heads + self.named + self.delegates + self.delegators)
        return [i for i in ids if i not in self.leaders]


@dataclass(frozen=True)
class Change:
    action: str
    task_id: int
    about: str  # the task's gist
    actor: str  # who made the change, as readers know them ("Trần Ngọc Lâm", "Văn phòng Sở")
    actor_id: int | None = None
    to: tuple[int, ...] = ()  # officers handed the task, or those it was taken from
    to_names: tuple[str, ...] = ()
    text: str = ""  # the task's whole text and deadline in words, for those just handed it
    deadline: str = ""
    day: date | None = None  # the deadline granted
    unit: str = ""  # the coordinating unit whose part is done
    note: str | None = None


@dataclass(frozen=True)
class Tell:
    officer_id: int
    text: str
    handed: bool = False  # they were just handed the task: their message offers its actions


@dataclass
class _Lines:
    """One line per reader: the first rule that speaks to someone wins."""

    skip: set[int]
    found: dict[int, Tell] = field(default_factory=dict)

    def add(self, officer_ids, text: str, handed: bool = False) -> None:
        for officer_id in officer_ids:
            if officer_id not in self.skip and officer_id not in self.found:
                self.found[officer_id] = Tell(officer_id, text, handed)


def told(change: Change, people: Concerned, today: date, told_already: frozenset[int] = frozenset()) -> list[Tell]:
    """Who hears of `change`, and what (see the module's rule); `told_already`: those the caller
    tells in its own words (the asker of an extension, say)."""
    task = f"việc #{change.task_id} ({change.about})"
    lines = _Lines(skip={change.actor_id, *told_already} - {None})
    said = f": {change.note}" if change.note else ""
    if change.action == CLOSED:
        lines.add(people.answering(), f"{task[:1].upper()}{task[1:]} đã được {change.actor} báo xong{said}.")
    elif change.action == REOPENED:
        lines.add(people.answering(), f"{task[:1].upper()}{task[1:]} đã được {change.actor} mở lại{said}.")
    elif change.action == DELEGATED:
        lines.add(change.to, _handed(change), handed=True)
        lines.add(people.answering(), f"{change.actor} đã giao {task} cho {say_names(change.to_names)}.")
    elif change.action == REVOKED:
        lines.add(change.to, f"{change.actor} đã thu hồi {task}: anh/chị không cần theo dõi việc này nữa.")
        lines.add(people.answering(), f"{change.actor} đã thu hồi {task} đã giao cho {say_names(change.to_names)}.")
    elif change.action == EXTENDED:
        lines.add(people.deciders, f"Đề nghị gia hạn {task} đã được {change.actor} duyệt.")
        lines.add(people.answering(), f"{task[:1].upper()}{task[1:]} đã được {change.actor} gia hạn đến "
                                      f"{say_day(change.day, today)}.")
    elif change.action == REFUSED:
        lines.add(people.deciders, f"Đề nghị gia hạn {task} đã được {change.actor} từ chối.")
    elif change.action == NOTED:
        lines.add(people.answering(), f"{change.actor} ghi chú cho {task}{said}.")
    elif change.action == PART_DONE:
        lines.add(people.answering(), f"{change.unit} đã xong phần phối hợp {task} ({change.actor}){said}.")
    return list(lines.found.values())


def _handed(change: Change) -> str:
    return (f"Anh/chị được {change.actor} giao việc #{change.task_id}: {change.text}\n"
            f"• {change.deadline[:1].upper()}{change.deadline[1:]}\n"
            f"Báo tiến độ: «tiến độ {change.task_id}: nội dung»; khi hoàn thành: «xong {change.task_id}».")


def concerned(session: Session, task: Task, deciders: list | None = None) -> Concerned:
    """The people `task` concerns, as they stand now (`deciders`: those its requests go to)."""
    handed = queries.delegations(session, task.id)
    return Concerned(
        heads=tuple(o.id for o in queries.unit_heads(session, task.unit_id)),
        named=tuple(o.id for o in queries.assignees(session, task.id)),
        delegates=tuple(o.id for _, o in handed),
        delegators=tuple(d.delegated_by_id for d, _ in handed if d.delegated_by_id),
        leaders=frozenset(queries.leader_ids(session)),
        deciders=tuple(o.id for o in deciders or ()),
    )
