"""2,000 console requests of every shape — ids past 2^31, negative, NUL in filters, broken
percent-encoding, forms and uploads of anything — and never a 500 (on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.models import utcnow
from tests.fixtures.db import both_databases
from tests.fixtures.scheduler import publish_seed

PAGES = [
    "/console/", "/console/tasks", "/console/tasks/{id}", "/console/notices/{id}", "/console/notices/{id}/report.docx",
    "/console/notices/{id}/rows/{id}/edit", "/console/notices/{id}/rows/new", "/console/imports/corrections/{id}",
    "/console/directory", "/console/directory/officers/{id}", "/console/directory/units/{id}",
    "/console/directory/officers/new", "/console/deliveries", "/console/report", "/console/report.xlsx",
    "/console/import", "/console/zalo", "/console/who", "/console/sign-in",
]
POSTS = [
    "/console/tasks/{id}/close", "/console/tasks/{id}/reopen", "/console/tasks/{id}/extend", "/console/tasks/{id}/note",
    "/console/notices/{id}/publish", "/console/notices/{id}/rows/{id}", "/console/notices/{id}/rows/{id}/split",
    "/console/notices/{id}/rows/{id}/delete", "/console/notices/{id}/merge", "/console/notices/{id}/rows",
    "/console/notices/{id}/discard", "/console/imports/corrections/{id}/apply", "/console/imports/corrections/{id}/drop",
    "/console/directory/officers/new", "/console/directory/officers/{id}", "/console/directory/officers/{id}/active",
    "/console/directory/officers/{id}/link-code", "/console/directory/units/new", "/console/directory/units/{id}",
    "/console/directory/units/{id}/active", "/console/who", "/console/directory/file/confirm",
]
FIELDS = ["q", "unit", "notice", "status", "due", "sort", "dir", "page", "name", "kind", "from", "to", "authority",
          "day", "note", "text", "unit_id", "people", "partners", "deadline_kind", "deadline_date", "deadline_time",
          "deadline_start", "first", "second", "merge", "checked", "ref", "full_name", "title", "role", "phone",
          "code", "aliases", "active", "replace", "clerk", "clerk_name", "next"]

ids = st.one_of(st.integers(1, 40), st.integers(2**31 - 2, 2**31 + 2), st.integers(10**18, 10**30),
                st.integers(-5, 0))
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "late", "done_late", "cancelled", "week", "overdue", "deadline", "unit", "desc",
                     "2025-02-30", "9999-12-31", "0001-01-01", "25:99", "on", "period", "recurring", "none", "keep",
                     "admin", "#1", "%", "_", "'; drop table task; --", "=1+1", "\u202e", "\ud800"]),
    st.integers(-10, 10**12).map(str),
)
broken_query = st.sampled_from(["%ED%A0%80", "%FF", "%00", "%", "%%", "a=%E2%82", "status=%00", "page=1e999"])


def _path(template: str, draw_ids: list[int]) -> str:
    numbers = iter(draw_ids)
    return re.sub(r"\{id\}", lambda _: str(next(numbers)), template)


@pytest.fixture
def office_console(client, runtime, office):
    publish_seed(runtime, utcnow())
    return client


def _token(client) -> str:
    page = client.get("/console/who").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def _clean(text: str) -> str:
    """What a browser can send in a URL or form: text without lone surrogates."""
    return text.encode("utf-8", "replace").decode("utf-8")


@both_databases
@settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))
@given(page=st.sampled_from(PAGES), path_ids=st.lists(ids, min_size=2, max_size=2),
       query=st.dictionaries(st.sampled_from(FIELDS), values, max_size=5), broken=st.one_of(st.none(), broken_query))
def test_no_page_answers_500(office_console, page, path_ids, query, broken):
    path = _path(page, path_ids)
    query_string = "&".join(f"{quote(k)}={quote(_clean(v))}" for k, v in query.items())
    if broken:
        query_string = f"{query_string}&{broken}" if query_string else broken
    response = office_console.get(f"{path}?{query_string}")
    assert response.status_code < 500, (path, query_string, response.status_code)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(POSTS), path_ids=st.lists(ids, min_size=2, max_size=2),
       form=st.dictionaries(st.sampled_from(FIELDS), st.one_of(values, st.lists(values, max_size=3)), max_size=8))
def test_no_form_answers_500(office_console, target, path_ids, form):
    path = _path(target, path_ids)
    data = {k: ([_clean(x) for x in v] if isinstance(v, list) else _clean(v)) for k, v in form.items()}
    response = office_console.post(path, data={"csrf_token": _token(office_console), **data})
    assert response.status_code < 500, (path, data, response.status_code)


@both_databases
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(["/console/import", "/console/directory/file", "/console/directory"]),
       name=st.one_of(st.text(max_size=40), st.sampled_from(["a.txt", "b.csv", "c.pdf", "d.docx", "../../x.csv", ".csv",
                                                              "con.txt", "x\x00.txt", "tuan.md"])),
       content=st.one_of(st.binary(max_size=2048), st.text(max_size=1500).map(lambda t: t.encode("utf-8", "replace")),
                         st.sampled_from([b"Ho va ten,Don vi\nA,B\n", b"code,name,aliases,kind\nX,Y,,nope\n",
                                          b"Ho va ten,Don vi,Vai tro\nA\x00,VP,chuyen vien\n", "1. Văn phòng Sở\n- Việc\x00 a.\n".encode(),
                                          b"PK\x03\x04", b"%PDF-1.4", b"\xef\xbb\xbf", b"\x00" * 10])))
def test_no_upload_answers_500(office_console, target, name, content):
    fields = {"notice": None, "file": None, "units": None, "officers": None}
    files = {field: (io.BytesIO(content), _clean(name)) for field in fields}
    response = office_console.post(target, data={"csrf_token": _token(office_console), **files},
                                   content_type="multipart/form-data")
    assert response.status_code < 500, (target, name, response.status_code)
