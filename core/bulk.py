"""Bulk writes: many rows into one table in one statement, with a PostgreSQL fast path.

On PostgreSQL `copy_upsert` COPYs the rows into a temporary staging table and moves them with one
`INSERT ... SELECT ... ON CONFLICT`: no per-row value preparation by the ORM, no per-batch statements.
Elsewhere (SQLite) it is the ordinary `bulk_create` with `update_conflicts` / `ignore_conflicts`.
`copy_into` is the plain insert (no conflict handling) for a caller that already knows its rows are new: on
PostgreSQL one COPY straight into the table with ids taken from its sequence beforehand.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from datetime import date
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction

# COPY text format: backslash first, then the characters that would end a field or a row.
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
_NULL = "\\N"
SMALL = 200  # rows up to which one INSERT ... VALUES is cheaper than staging them with COPY


class Json(str):
    """JSON text already encoded (e.g. for a digest): written as it is, not encoded again."""


def _escape(text: str) -> str:
    for char, escaped in _ESCAPES:  # `in` and `replace` run in C; str.translate with a dict does not
        if char in text:
            text = text.replace(char, escaped)
    return text


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):  # datetime too: ISO with its offset
        return value.isoformat()
    return _escape(str(value))


def _json(value: Any) -> str:
    return _escape(value if isinstance(value, Json) else json.dumps(value))


def _encoder(field: models.Field) -> Callable[[Any], str]:
    """The COPY text of a non-NULL value of this field (the common kinds without type tests per value)."""
    if isinstance(field, models.ForeignKey):  # the id, as its target field's
        return _encoder(field.target_field)
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, models.IntegerField):  # BigIntegerField and the auto fields too
        return str
    if isinstance(field, models.CharField | models.TextField):
        return lambda value: _escape(str(value))
    return _text


def _column(field: models.Field, values: list[Any]) -> list[str]:
    """The COPY texts of one column's values (NULL for None): a column at a time, mostly in C."""
    if None in values:
        encode = _encoder(field)
        return [_NULL if v is None else encode(v) for v in values]
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.IntegerField) and not isinstance(target, models.BooleanField):
        return list(map(str, values))
    if isinstance(target, models.CharField | models.TextField):
        texts = list(map(str, values))
        joined = "".join(texts)  # one look for the characters to escape, rather than one per value
        return list(map(_escape, texts)) if any(char in joined for char, _ in _ESCAPES) else texts
    if type(target) is models.DateField and set(map(type, values)) == {date}:
        return list(map(date.isoformat, values))
    return list(map(_encoder(field), values))


def _fields(model: type[models.Model], names: Iterable[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The quoted column names of these fields."""
    return [connection.ops.quote_name(str(f.column)) for f in _fields(model, names)]


def copy_upsert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    conflict: list[str],
    update: list[str] | None = None,
    returning: list[str] | None = None,
) -> list[tuple]:
    """Insert `rows` (dicts keyed by field name or attname, e.g. `partner_id`; every row the same keys; a JSON
    field's value may be given encoded, as `Json(text)`) into
    `model`'s table. A row whose `conflict` fields (a unique constraint) match an existing row updates that
    row's `update` fields, or is skipped when `update` is None or empty.

    Returns, as tuples of the `returning` fields, the rows inserted or updated (skipped ones are left out),
    in no particular order: include a conflict field to match them up. On PostgreSQL these are read by
    `RETURNING`; elsewhere they are read back by conflict key after `bulk_create` (one more query per 500
    rows), with the same meaning. With `update`, two rows with the same conflict key in one call are an
    error on PostgreSQL: pass each key once.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy_upsert_postgresql(model, rows, conflict=conflict, update=update or [], returning=returning)
    return _bulk_create_upsert(model, rows, conflict=conflict, update=update or [], returning=returning)


def _copy_upsert_postgresql(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    conflict: list[str],
    update: list[str],
    returning: list[str] | None,
) -> list[tuple]:
    qn = connection.ops.quote_name
    names = list(rows[0])
    table = qn(model._meta.db_table)
    columns = ", ".join(_columns(model, names))
    action = "DO NOTHING"
    if update:
        action = "DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in _columns(model, update))
    tail = f"ON CONFLICT ({', '.join(_columns(model, conflict))}) {action}"
    if returning:
        tail += " RETURNING " + ", ".join(_columns(model, returning))
    if len(rows) <= SMALL:  # one statement with its values beats four (stage, COPY, insert, drop)
        is_json = [isinstance(f, models.JSONField) for f in _fields(model, names)]
        params = [
            (row[n] if isinstance(row[n], Json) else json.dumps(row[n])) if j and row[n] is not None else row[n]
            for row in rows
            for n, j in zip(names, is_json, strict=True)
        ]
        values = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(rows))
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values} {tail}", params)
            return [tuple(r) for r in cursor.fetchall()] if returning else []
    stage = qn(f"stage_{model._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        # Column types without the table's constraints (the id is not staged); gone at commit at the latest.
        cursor.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        get = itemgetter(*names)  # the values of every row as a tuple, in C
        _copy(cursor, stage, model, names, map(get, rows) if len(names) > 1 else ((get(r),) for r in rows))
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {tail}")
        result = cursor.fetchall() if returning else []
        cursor.execute(f"DROP TABLE {stage}")
    return [tuple(r) for r in result]


def copy_into(
    model: type[models.Model], columns: list[str], rows: list[tuple], *, same: dict[str, Any] | None = None
) -> list[int]:
    """Insert `rows` (tuples of the values of the fields named in `columns`, names or attnames as for
    `copy_upsert`, without the id) into `model`'s table as they are, each with the values of `same` (fields
    whose value is the same in every row, encoded once): no conflict handling, a unique constraint that fires
    raises IntegrityError. Returns the new ids, in the order of `rows`.

    On PostgreSQL, above `SMALL` rows, the ids are taken from the table's sequence in one query and the rows
    COPYed with them; otherwise (and on SQLite) it is `bulk_create`.
    """
    if not rows:
        return []
    same = same or {}
    if connection.vendor != "postgresql" or len(rows) <= SMALL:
        decoded = [
            {
                k: json.loads(v) if isinstance(v, Json) else v
                for k, v in zip([*columns, *same], [*row, *same.values()], strict=True)
            }
            for row in rows
        ]
        objs = model._default_manager.bulk_create([model(**r) for r in decoded], batch_size=500)
        return [obj.pk for obj in objs]
    pk = model._meta.pk
    assert pk is not None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        ids = [i for (i,) in cursor.fetchall()]
        table = connection.ops.quote_name(model._meta.db_table)
        _copy(cursor, table, model, columns, rows, ids=(pk.attname, ids), same=same)
    return ids


def _copy(
    cursor: Any,
    table: str,
    model: type[models.Model],
    names: list[str],
    rows: Iterable[tuple],
    *,
    ids: tuple[str, list[int]] | None = None,
    same: dict[str, Any] | None = None,
) -> None:
    """COPY `rows` (tuples of the values of the fields `names` of `model`) into `table` (quoted), each row led
    by its id when `ids` (the id field, the ids in row order) and followed by the values of `same`."""
    same = same or {}
    shared = zip(same.values(), _fields(model, same), strict=True)
    tail = "".join("\t" + (_NULL if v is None else _encoder(f)(v)) for v, f in shared) + "\n"
    rows = list(rows)
    if not rows:
        return
    columns_of = zip(*rows, strict=True)
    texts = [_column(f, list(values)) for f, values in zip(_fields(model, names), columns_of, strict=True)]
    if ids:
        if len(ids[1]) != len(rows):
            raise ValueError(f"{len(ids[1])} ids for {len(rows)} rows")
        texts.insert(0, list(map(str, ids[1])))
    buffer = io.StringIO(tail.join(map("\t".join, zip(*texts, strict=True))) + tail)
    columns = ", ".join(_columns(model, [*([ids[0]] if ids else []), *names, *same]))
    with connection.wrap_database_errors:  # as Django's own calls: IntegrityError, not the driver's error
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _bulk_create_upsert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    conflict: list[str],
    update: list[str],
    returning: list[str] | None,
) -> list[tuple]:
    conflict_fields = _fields(model, conflict)
    key_names = [f.attname for f in conflict_fields]

    def key(row: dict[str, Any]) -> tuple:
        return tuple(row[f.name] if f.name in row else row[f.attname] for f in conflict_fields)

    # A NULL in the key never conflicts (as on PostgreSQL): those rows are plain inserts, read off the objects.
    rows = [{k: json.loads(v) if isinstance(v, Json) else v for k, v in r.items()} for r in rows]
    plain = [model(**r) for r in rows if None in key(r)]
    keyed = [r for r in rows if None not in key(r)]
    wanted = list(dict.fromkeys(key(r) for r in keyed))  # distinct keys, input order
    existing = set() if update else set(_read_back(model, key_names, wanted, key_names))
    with transaction.atomic():
        model._default_manager.bulk_create(plain, batch_size=500)
        model._default_manager.bulk_create(
            [model(**r) for r in keyed],
            batch_size=500,
            update_conflicts=bool(update),
            ignore_conflicts=not update,
            unique_fields=[f.name for f in conflict_fields] if update else None,
            update_fields=[f.name for f in _fields(model, update)] if update else None,
        )
    if not returning:
        return []
    columns = [f.attname for f in _fields(model, returning)]
    result = [tuple(getattr(obj, c) for c in columns) for obj in plain]
    return result + _read_back(model, key_names, [k for k in wanted if k not in existing], columns)


def _read_back(model: type[models.Model], key_names: list[str], keys: list[tuple], columns: list[str]) -> list[tuple]:
    """The `columns` of the rows with these conflict keys (tuples of `key_names` values), 500 keys a query."""
    found: list[tuple] = []
    for start in range(0, len(keys), 500):
        condition = models.Q()
        for k in keys[start : start + 500]:
            condition |= models.Q(**dict(zip(key_names, k, strict=True)))
        found.extend(model._default_manager.filter(condition).values_list(*columns))
    return found
