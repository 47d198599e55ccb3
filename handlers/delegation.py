"""Handing a task to officers: "giao 9 cho Châu", "giao lại 9 cho Dung", "thu hồi 9".

A head hands their unit's part of a task to officers of their unit (the head of a coordinating
unit, that unit's share); a leader any part (`tasks.permissions.delegable_units`). The officer
is named by any part of their name, written any way; several matches are offered as buttons.
From then on the task's reminders go to the officer, the head keeping the last day's and the
overdue ones (`tasks.planner`); the officer is told at once with the task and its buttons, and
those answering for the task hear of it (`tasks.telling`).
"""

from __future__ import annotations

from handlers import replies, telling
from handlers import replies_changes as said
from handlers.parsing import Message, at_most, leads, phrase_key
from handlers.routing import HEADS, Context, Router
from storage.models import TASK_OPEN, Officer, Task, Unit
from tasks import lifecycle, permissions, queries
from tasks.telling import DELEGATED, REVOKED
from tasks.wording import say_deadline
from zalo.messages import Button, Outgoing

router = Router()

# Said before a name ("cho đồng chí Châu", "cho chị Châu") or after it ("… Châu nhé"): not the name.
_BEFORE_NAME = {"cho", "dong", "chi", "d", "c", "em", "anh", "ban", "co", "chu", "ong", "ba", "a"}
_AFTER_NAME = {"nhe", "nha", "nhen", "a", "voi", "giup", "di", "luon"}


def _number_follows(message: Message, start: int, after: int) -> bool:
    """"giao 9 …", "giao #9 …", "giao việc 9 …"; or "giao cho Châu" leading a reply to a task's message."""
    words = [t for t in message.tokens[after:after + 3] if t.key not in ("viec", "so", "#")]
    return bool(words) and (words[0].is_number or (words[0].key == "cho" and leads(message, start)))


def name_written(message: Message, index: int) -> tuple[tuple[str, ...], str]:
    """The name written from token `index` on, titles and politeness aside: its folded words,
    and the words as written."""
    tokens = [t for t in message.tokens[index:] if t.key.isalnum()]
    while len(tokens) > 1 and tokens[0].key in _BEFORE_NAME:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].key in _AFTER_NAME:
        tokens.pop()
    tokens = [t for t in tokens if t.key != "cho"]
    return tuple(t.key for t in tokens), " ".join(t.text for t in tokens)


def matching(staff: list[Officer], words: tuple[str, ...]) -> list[Officer]:
    """Those whose name holds every word written (folded: "chau", "Minh Châu", "HOANG MINH CHAU"),
    the one named in full first; else those whose name has words beginning so ("Ch")."""
    names = [(o, phrase_key(o.full_name)) for o in staff]
    whole = [o for o, name in names if words == name]
    if whole:
        return whole
    found = [o for o, name in names if all(w in name for w in words)]
    return found or [o for o, name in names if all(any(n.startswith(w) for n in name) for w in words)]


def _task_for(ctx: Context, n: int) -> tuple[Task, set[int]] | str:
    """Task #n and the parts of it this officer may hand out, or why not."""
    task = queries.published_task(ctx.session, n)
    if task is None:
        return replies.not_found(n)
    if task.status != TASK_OPEN:
        return said.delegate_closed(n)
    helping = {u.id for u in queries.coordinators(ctx.session, task.id)}
    parts = permissions.delegable_units(ctx.officer, task, helping)
    return (task, parts) if parts else said.cannot_delegate(n)


def _chosen(ctx: Context, numbers: list[int], parts: set[int], words: tuple[str, ...], written: str,
            command: str) -> Officer | list[Outgoing]:
    """The one officer the words name among those the tasks may be handed to, or what to ask."""
    staff = permissions.handable(ctx.session, ctx.officer, parts)
    found = matching(staff, words) if words else []
    if len(found) == 1:
        return found[0]
    listed = ", ".join(str(n) for n in numbers)
    if not found:
        units = [ctx.session.get(Unit, u).name for u in sorted(parts)]
        return [ctx.reply(said.nobody_named(written or "…", units), (replies.detail_button(numbers[0]),))]
    if len(found) > replies.MAX_BUTTONS:
        return [ctx.reply(said.too_many_named(written, len(found)))]
    choices = [Button(f"{o.full_name} ({o.title})" if o.title else o.full_name, f"{command} {listed} cho {o.full_name}")
               for o in found]
    return [ctx.reply(said.which_officer(numbers[0], written), tuple(choices))]


def _handed(ctx: Context, task: Task, officer: Officer, redo: bool) -> tuple[bool, list[Outgoing]]:
    """Hand `task` to `officer` (`lifecycle.hand_over`); whether it was newly handed, and the
    messages to those concerned."""
    lines = []
    taken, given = lifecycle.hand_over(ctx.session, task, ctx.officer, officer, ctx.settings, ctx.now, redo=redo)
    if taken:
        made = telling.change(ctx, task, REVOKED, to=tuple(o.id for o in taken), to_names=tuple(o.full_name for o in taken))
        lines += telling.tell(ctx, task, made, frozenset({officer.id}))  # told below that it is theirs now
    if given:
        made = telling.change(ctx, task, DELEGATED, to=(officer.id,), to_names=(officer.full_name,), text=task.text,
                              deadline=say_deadline(task, ctx.now, ctx.zone))
        lines += telling.tell(ctx, task, made)
    return given, telling.messages(ctx.session, lines)


def _delegate(ctx: Context, command: str, redo: bool) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(said.delegate_usage(command), (replies.MY_TASKS,))]
    taken, left = at_most(numbers)
    tasks, lines = [], []
    for n in taken:
        found = _task_for(ctx, n)
        if isinstance(found, tuple):
            tasks.append(found)
        else:
            lines.append(found)
    if not tasks:
        return [ctx.reply("\n".join(lines), (replies.MY_TASKS,))]
    words, written = name_written(ctx.message, end)
    chosen = _chosen(ctx, [t.id for t, _ in tasks], set().union(*(p for _, p in tasks)), words, written, command)
    if not isinstance(chosen, Officer):
        return chosen
    out = []
    for task, allowed in tasks:
        if chosen.unit_id not in allowed:
            lines.append(said.nobody_named(chosen.full_name, [ctx.session.get(Unit, u).name for u in sorted(allowed)]))
            continue
        given, told = _handed(ctx, task, chosen, redo)
        unreachable = [chosen.full_name] if given and not chosen.zalo_user_id else []
        lines.append(said.delegated(task.id, [chosen.full_name] if given else [], [] if given else [chosen.full_name],
                                    unreachable))
        out += told
    if left:
        lines.append(replies.untouched(left, len(taken)))
    first = tasks[0][0].id
    return [ctx.reply("\n".join(lines), (replies.detail_button(first), replies.UNIT_TASKS),
                      first if len(tasks) == 1 else None), *out]


@router.command("giao lại", usage="giao lại N cho TÊN", what="giao việc #N cho người khác thay người đang làm",
                audience=HEADS, fits=_number_follows)
def redelegate(ctx: Context) -> list[Outgoing]:
    return _delegate(ctx, "giao lại", redo=True)


@router.command("giao", usage="giao N cho TÊN", what="giao việc #N cho cán bộ của đơn vị (nhiều người cũng được)",
                audience=HEADS, fits=_number_follows)
def delegate(ctx: Context) -> list[Outgoing]:
    return _delegate(ctx, "giao", redo=False)


@router.command("thu hồi", usage="thu hồi N", what="thu hồi việc #N đã giao (hoặc «thu hồi N TÊN»)",
                audience=HEADS, fits=lambda message, start, _after: leads(message, start))
def revoke(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(said.revoke_usage(), (replies.MY_TASKS,))]
    found = _task_for(ctx, numbers[0])
    if not isinstance(found, tuple):
        return [ctx.reply(found, (replies.MY_TASKS,))]
    task, parts = found
    standing = [o for d, o in queries.delegations(ctx.session, task.id) if d.unit_id in parts]
    words, _ = name_written(ctx.message, end)
    chosen = matching(standing, words) if words else standing
    taken = lifecycle.revoke(ctx.session, task, ctx.officer, chosen, ctx.settings, ctx.now)
    if not taken:
        return [ctx.reply(said.nothing_to_revoke(task.id), (replies.detail_button(task.id),), task.id)]
    made = telling.change(ctx, task, REVOKED, to=tuple(o.id for o in taken), to_names=tuple(o.full_name for o in taken))
    told = telling.messages(ctx.session, telling.tell(ctx, task, made))
    return [ctx.reply(said.revoked(task.id, [o.full_name for o in taken]), (replies.detail_button(task.id),), task.id),
            *told]
