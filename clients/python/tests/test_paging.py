"""Paged list and read calls against a real server whose max_page_size is 5 (docs/protocol.md
§14.1): the new fields, clamping, walking every page, and forged tokens."""

import asyncio

import pytest

import paladin_client as pc
from conftest import Server
from paladin_client.paging import apages, history, items, pages
from paladin_client.v1 import garrison_pb2

E = garrison_pb2.GarrisonEntry

CONFIG = """
server:
  limits:
    max_page_size: 5
store:
  path: ":memory:"
providers:
  offline: {kind: scripted}
paladins:
""" + "".join(f"  p{i:02}: {{provider: offline}}\n" for i in range(12))


@pytest.fixture(scope="module")
def paged_server():
    srv = Server(config=CONFIG)
    with pc.connect(srv.host, srv.port) as conn:
        for i in range(23):
            conn.garrison.append(session_id="long", entries=[E(role=garrison_pb2.ROLE_USER, content=f"line {i}")])
        for i in range(7):
            conn.garrison.append(session_id=f"other-{i}", entries=[E(role=garrison_pb2.ROLE_USER, content="x")])
    yield srv
    srv.stop()


@pytest.fixture()
def conn(paged_server):
    with pc.connect(paged_server.host, paged_server.port) as c:
        yield c


def test_a_limit_above_the_page_size_is_clamped_and_says_more_remain(conn):
    page = conn.garrison.history(session_id="long", limit=0xFFFFFFFF)
    assert [e.content for e in page.entries] == [f"line {i}" for i in range(18, 23)]
    assert page.next_page_token
    older = conn.garrison.history(session_id="long", limit=0xFFFFFFFF, page_token=page.next_page_token)
    assert [e.content for e in older.entries] == [f"line {i}" for i in range(13, 18)]


def test_walking_every_page_sees_every_item_once_in_order(conn):
    assert [e.content for e in history(conn.garrison, "long")] == [f"line {i}" for i in range(23)]
    found = items(conn.garrison.search, "entries", session_id="long", query="LINE", limit=3)
    assert [e.content for e in found] == [f"line {i}" for i in reversed(range(23))]
    sessions = items(conn.garrison.list_sessions, "sessions", limit=2)
    assert sorted(s.session_id for s in sessions) == sorted(["long"] + [f"other-{i}" for i in range(7)])
    paladins = items(conn.paladin.list_paladins, "paladins")
    assert [p.definition.name for p in paladins] == [f"p{i:02}" for i in range(12)]
    assert len(list(pages(conn.paladin.list_paladins))) == 3
    assert list(pages(conn.battalion.list_battalions))[0].next_page_token == ""
    assert items(conn.battalion.list_runs, "runs") == []


def test_the_request_message_form_is_copied_not_changed(conn):
    request = garrison_pb2.SearchRequest(session_id="long", query="line", limit=10)
    walked = list(pages(conn.garrison.search, request))
    assert [len(p.entries) for p in walked] == [5, 5, 5, 5, 3]
    assert request.page_token == ""


def test_a_forged_or_misused_token_is_invalid_argument(conn):
    token = conn.garrison.history(session_id="long", limit=2).next_page_token
    tampered = token[:9] + ("B" if token[9] == "A" else "A") + token[10:]
    for forged in ["garbage!", "AAAA", tampered, token[:-3], token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), "A" * 4000]:
        with pytest.raises(pc.PaladinError) as err:
            conn.garrison.history(session_id="long", page_token=forged)
        assert err.value.code is pc.StatusCode.INVALID_ARGUMENT
        assert ("field", "page_token") in list(err.value.details)
    with pytest.raises(pc.PaladinError) as err:
        conn.garrison.history(session_id="other-1", page_token=token)
    assert err.value.code is pc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(pc.PaladinError) as err:
        conn.battalion.list_runs(page_token=token)
    assert err.value.code is pc.StatusCode.INVALID_ARGUMENT


def test_asyncio_pages(paged_server):
    async def walk():
        async with await pc.connect_async(paged_server.host, paged_server.port) as conn:
            return [p async for p in apages(conn.paladin.list_paladins, limit=4)]
    walked = asyncio.run(walk())
    assert [len(p.paladins) for p in walked] == [4, 4, 4]
    assert walked[-1].next_page_token == ""
