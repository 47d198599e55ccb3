"""Thousands of rows or ids in one go, fast on both databases (the sweep's busiest minute).

SQLAlchemy prepares each row of a many-row statement in Python; for thousands of rows that costs
more than the database's own work. Here each column's type is applied once per value by its own
function and the rows go straight to the driver. PostgreSQL answers a statement of thousands of
parameters slowly besides (the driver parses the long text and escapes every value, the server
binds each one: 8,000 outbox rows took seconds, an `IN` of 8,000 ids a good part of one), so
there rows go as one JSON document read as a table (`json_to_recordset`), ids as one array.
SQLite takes many rows at once through `executemany`; its ids go as one JSON list (`json_each`),
as it takes at most 32,766 parameters.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import JSON, ColumnElement, Table, Text, any_, bindparam, cast, column, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlmodel import Session


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _driver_values(session: Session, table: Table, rows: list[dict], names: list[str]) -> list[tuple]:
    """Each row's values as the driver takes them: the column types applied (aware datetimes
    checked and made UTC, JSON serialised on SQLite), as SQLAlchemy would, once per value."""
    dialect = session.get_bind().dialect
    columns = []
    for name in names:
        values, kind = [row[name] for row in rows], table.c[name].type
        process = None if dialect.name == "postgresql" and isinstance(kind, JSON) else \
            kind.dialect_impl(dialect).bind_processor(dialect)  # (PostgreSQL's JSON: the document carries it as it is)
        columns.append(values if process is None else _applied(process, values))
    return list(zip(*columns, strict=True))


def _applied(process, values: list) -> list:
    """`process` on each value, once per distinct value: a column often repeats a few (a moment,
    a status) thousands of times."""
    try:
        done = {value: process(value) for value in set(values)}
    except TypeError:  # unhashable values (JSON lists): one by one
        return [process(value) for value in values]
    return [done[value] for value in values]


def _as_json(value):
    if isinstance(value, date):  # datetimes too: ISO 8601 with their offset, read back as such
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _recordset(session: Session, table: Table, rows: list[dict], names: list[str]):
    """The rows as a derived table of the columns `names` (typed as in `table`), read in their
    order: an INSERT from it gives ids in that order (no sort of thousands of wide rows)."""
    values = _driver_values(session, table, rows, names)
    document = json.dumps([dict(zip(names, row, strict=True)) for row in values], default=_as_json)
    columns = [column(name, table.c[name].type) for name in names]
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
    if _on_postgresql(session):
        given = _recordset(session, table, rows, names)
        chosen = select(*(given.c[name] for name in names))
        statement = (postgresql_insert(table).from_select(names, chosen)
                     .on_conflict_do_nothing(index_elements=[key]).returning(*(table.c[name] for name in returning)))
        return session.execute(statement).all()
    # SQLite: the session holds the write lock from its first statement (storage.db.session_scope),
    # so the rows inserted here are exactly those with an id above the largest before.
    session.flush()  # what the session holds goes first, as with session.execute
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    before = connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {quote(table.name)}").scalar()
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT ({quote(key)}) DO NOTHING", _driver_values(session, table, rows, names))
    return connection.exec_driver_sql(
        f"SELECT {', '.join(map(quote, returning))} FROM {quote(table.name)} WHERE id > ? ORDER BY id",
        (before,)).all()


def update_by_id(session: Session, table: Table, rows: list[dict]) -> None:
    """Set the columns of each row (dicts of the same columns, with "id") on the row of that id."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    if _on_postgresql(session):
        given = _recordset(session, table, rows, ["id", *names])
        session.execute(update(table).where(table.c.id == given.c.id)
                        .values({name: given.c[name] for name in names}))
        return
    session.flush()
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    connection.exec_driver_sql(f"UPDATE {quote(table.name)} SET {', '.join(f'{quote(n)} = ?' for n in names)} "
                               f"WHERE id = ?", _driver_values(session, table, rows, [*names, "id"]))
