"""Thousands of rows or ids in one statement, fast on both databases (the sweep's busiest minute).

PostgreSQL answers a statement of thousands of parameters slowly: the driver parses the long
text and escapes every value, the server binds each one (8,000 outbox rows took seconds, an
`IN` of 8,000 ids a good part of one). There rows go as one JSON document the server reads as
a table (`json_to_recordset`), ids as one array. SQLite reads its many-row forms quickly; its
ids go as one JSON list (`json_each`), as it takes at most 32,766 parameters.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import JSON, ColumnElement, Table, Text, any_, bindparam, cast, column, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

ORDER = "row_order"  # the rows' order in the document, kept by the insert (ids follow it)


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _as_json(value):
    if isinstance(value, date):  # datetimes too: ISO 8601 with their offset, read back as such
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _recordset(table: Table, rows: list[dict], names: list[str]):
    """The rows as a derived table of the columns `names` (typed as in `table`) and ORDER."""
    document = json.dumps([{**row, ORDER: n} for n, row in enumerate(rows)], default=_as_json)
    columns = [column(name, table.c[name].type) for name in names] + [column(ORDER, BIGINT)]
    return (func.json_to_recordset(cast(bindparam("rows", document, type_=Text), JSON))
            .table_valued(*columns).render_derived(name="given", with_types=True))


def among(session: Session, column, values) -> ColumnElement[bool]:
    """`column IN values` for thousands of values, as one parameter."""
    values = list(values)
    if _on_postgresql(session):
        return column == any_(literal(values, ARRAY(column.type)))
    return column.in_(select(func.json_each(literal(json.dumps(values))).table_valued("value").c.value))


def insert_new(session: Session, table: Table, rows: list[dict], key: str, *returning: str) -> list:
    """Insert `rows` (dicts of the same columns) in their order, skipping those whose unique `key`
    is already taken (by an earlier row or a concurrent process); the `returning` columns of the
    rows inserted."""
    if not rows:
        return []
    names = list(rows[0])
    if not _on_postgresql(session):
        statement = (sqlite_insert(table).on_conflict_do_nothing(index_elements=[key])
                     .returning(*(table.c[name] for name in returning)))
        return session.execute(statement, rows).all()
    given = _recordset(table, rows, names)
    chosen = select(*(given.c[name] for name in names)).order_by(given.c[ORDER])
    statement = (postgresql_insert(table).from_select(names, chosen).on_conflict_do_nothing(index_elements=[key])
                 .returning(*(table.c[name] for name in returning)))
    return session.execute(statement).all()


def update_by_id(session: Session, table: Table, rows: list[dict]) -> None:
    """Set the columns of each row (dicts of the same columns, with "id") on the row of that id."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    if not _on_postgresql(session):
        statement = (update(table).where(table.c.id == bindparam("row_id"))
                     .values({name: bindparam(f"row_{name}") for name in names}))
        session.execute(statement, [{f"row_{name}": value for name, value in row.items()} for row in rows])
        return
    given = _recordset(table, rows, ["id", *names])
    session.execute(update(table).where(table.c.id == given.c.id).values({name: given.c[name] for name in names}))
