"""Runs that outlive their caller: StartRun, watching a run by id (RunStream attach_run_id),
GetRun and CancelRun from other connections, against a real server with the scripted provider."""

import asyncio

import pytest

import paladin_client as pc

from paladin_client.v1 import battalion_pb2 as B
from paladin_client.v1 import paladin_pb2 as P

Code = pc.StatusCode


def kinds(events):
    return [e.WhichOneof("event") for e in events]


def test_a_started_run_outlives_its_connection_and_a_watcher_sees_it_whole(orchestration_server):
    srv = orchestration_server
    with pc.connect(srv.host, srv.port) as c:
        started = c.battalion.start_run(battalion="pipeline", input="go")
        assert started.status == B.RUN_STATUS_RUNNING and started.id.startswith("run-")
        assert started.attempt == 1 and started.battalion_version == 1
    # The connection that started it is gone; another one watches it from its start.
    with pc.connect(srv.host, srv.port) as c:
        events = list(c.battalion.run_stream(attach_run_id=started.id, format=P.OUTPUT_FORMAT_JSON, timeout=30))
        assert kinds(events)[0] == "started" and kinds(events)[-1] == "result"
        assert [e.member_finished.step.member for e in events if e.WhichOneof("event") == "member_finished"] == ["writer", "editor"]
        assert '"final_output"' in events[-1].result.rendered
        run = c.battalion.get_run(id=started.id)
        assert run.status == B.RUN_STATUS_COMPLETED and run.final_output == events[-1].result.final_output


def test_a_watcher_leaving_never_cancels_the_run_and_cancel_reaches_it_from_anywhere(orchestration_server):
    srv = orchestration_server
    with pc.connect(srv.host, srv.port) as c:
        started = c.battalion.start_run(battalion="sloths", input="go")  # answers after 30 s
        with c.battalion.run_stream(attach_run_id=started.id) as stream:
            assert next(iter(stream)).WhichOneof("event") == "started"
        # The watcher left (CANCEL): the run goes on.
        assert c.battalion.get_run(id=started.id).status == B.RUN_STATUS_RUNNING
    with pc.connect(srv.host, srv.port) as watcher, pc.connect(srv.host, srv.port) as other:
        stream = watcher.battalion.run_stream(attach_run_id=started.id, timeout=30)
        assert other.battalion.cancel_run(id=started.id).cancelled
        events = list(stream)
        assert events[-1].result.status == B.RUN_STATUS_CANCELLED
        assert other.battalion.get_run(id=started.id).status == B.RUN_STATUS_CANCELLED


def test_bad_attach_and_start_requests(orchestration_server):
    srv = orchestration_server
    with pc.connect(srv.host, srv.port) as c:
        with pytest.raises(pc.PaladinError) as err:
            c.battalion.run(attach_run_id="run-nobody")
        assert err.value.code is Code.NOT_FOUND
        with pytest.raises(pc.PaladinError) as err:
            c.battalion.run(attach_run_id="run-x", battalion="pipeline")
        assert err.value.code is Code.INVALID_ARGUMENT and err.value.detail("field") == "attach_run_id"
        with pytest.raises(pc.PaladinError) as err:
            c.battalion.start_run(battalion="no-such")
        assert err.value.code is Code.NOT_FOUND


def test_asyncio_start_then_wait_with_run_attach(orchestration_server):
    srv = orchestration_server

    async def main():
        conn = await pc.connect_async(srv.host, srv.port)
        try:
            started = await conn.battalion.start_run(battalion="review", input="diff")
            ended = await conn.battalion.run(attach_run_id=started.id, timeout=30)
            assert ended.id == started.id and ended.status == B.RUN_STATUS_COMPLETED
            assert ended.final_output == "merged review"
        finally:
            await conn.close()

    asyncio.run(main())


APPROVAL_CONFIG = """
store: { path: ":memory:" }
providers:
  offline: { kind: scripted, replies: { writer: ["draft"], publisher: ["published"] } }
paladins:
  writer: { provider: offline }
  publisher:
    provider: offline
    approval: { when: before_run, reason: "publish this? {input}" }
battalions:
  release: { formation: { members: [writer, publisher] } }
"""


def test_a_run_waits_for_approval_and_approve_step_resumes_it(tmp_path):
    from conftest import Server

    srv = Server(config=APPROVAL_CONFIG, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            paused = c.battalion.run(battalion="release", input="notes", timeout=30)
            assert paused.status == B.RUN_STATUS_WAITING_APPROVAL
            [approval] = paused.approvals
            assert approval.step == "publisher#1" and approval.decision == B.APPROVAL_DECISION_PENDING
            assert approval.reason == "publish this? draft"
            resumed = c.battalion.approve_step(run_id=paused.id, step="publisher#1",
                                               decision=B.APPROVAL_DECISION_APPROVED, comment="go")
            assert resumed.id == paused.id and resumed.status == B.RUN_STATUS_RUNNING
            done = c.battalion.run(attach_run_id=paused.id, timeout=30)
            assert done.status == B.RUN_STATUS_COMPLETED and done.final_output == "published"
            with pytest.raises(pc.PaladinError) as err:
                c.battalion.approve_step(run_id=paused.id, step="publisher#1", decision=B.APPROVAL_DECISION_REJECTED)
            assert err.value.code is Code.FAILED_PRECONDITION
    finally:
        srv.stop()
