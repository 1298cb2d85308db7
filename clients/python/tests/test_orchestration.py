"""PaladinService and BattalionService against a real `paladin serve --config` (scripted provider).

The server (conftest.ORCHESTRATION_CONFIG) runs the deterministic scripted provider: `offline`
echoes the input unless the paladin has scripted replies, `slow` answers after 30 s. The session
server is shared, so every test that creates something uses names of its own.
"""

import asyncio
import json
import signal
import time
import uuid

import pytest

import paladin_client as pc
from conftest import ORCHESTRATION_CONFIG, Server
from paladin_client.v1 import battalion_pb2 as B
from paladin_client.v1 import garrison_pb2 as G
from paladin_client.v1 import paladin_pb2 as P

Code = pc.StatusCode


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def definition(name: str, provider: str = "offline", **fields) -> P.PaladinDefinition:
    return P.PaladinDefinition(name=name, provider=provider, **fields)


def error_of(call, *args, **kwargs) -> pc.PaladinError:
    with pytest.raises(pc.PaladinError) as err:
        call(*args, **kwargs)
    return err.value


def wait_for_run(conn, run_id: str, timeout: float = 30) -> B.BattalionRun:
    """GetRun until the run has left RUNNING (the record is written as the run unwinds)."""
    deadline = time.monotonic() + timeout
    while True:
        run = conn.battalion.get_run(id=run_id)
        if run.status != B.RUN_STATUS_RUNNING or time.monotonic() > deadline:
            return run
        time.sleep(0.05)


def check_run_events(events, members):
    """started first, result last; per member: started, its deltas, then finished."""
    kinds = [e.WhichOneof("event") for e in events]
    assert kinds[0] == "started" and kinds[-1] == "result", kinds
    assert "started" not in kinds[1:] and "result" not in kinds[:-1]
    started, result = events[0].started, events[-1].result
    assert started.status == B.RUN_STATUS_RUNNING and started.id.startswith("run-")
    assert result.id == started.id
    running, finished = set(), []
    for event in events[1:-1]:
        kind = event.WhichOneof("event")
        if kind == "member_started":
            assert event.member_started.member not in running
            running.add(event.member_started.member)
        elif kind == "member_delta":
            assert event.member_delta.member in running, f"a delta from {event.member_delta.member}, not running"
        elif kind == "member_finished":
            name = event.member_finished.step.member
            assert name in running, f"{name} finished without starting"
            running.remove(name)
            finished.append(name)
        else:
            pytest.fail(f"unexpected event in the middle: {event}")
    assert not running
    assert sorted(finished) == sorted(members)
    return started, result, finished


# --- PaladinService -----------------------------------------------------------------------------

def test_create_get_list_update_delete_paladin(orch):
    name = unique("scout")
    created = orch.paladin.create_paladin(definition=definition(
        name, system_prompt="Be brief.", stop=["END"], tools=[P.ToolRef(name="word_count")], max_turns=3))
    assert created.version == 1 and created.created_at_us > 0
    assert created.definition.system_prompt == "Be brief." and list(created.definition.stop) == ["END"]

    err = error_of(orch.paladin.create_paladin, definition=definition(name))
    assert err.code is Code.ALREADY_EXISTS and not err.local

    got = orch.paladin.get_paladin(name=name)
    assert [t.name for t in got.definition.tools] == ["word_count"] and got.version == 1
    assert error_of(orch.paladin.get_paladin, name=unique("nobody")).code is Code.NOT_FOUND

    names = [p.definition.name for p in orch.paladin.list_paladins().paladins]
    assert {name, "poet", "writer", "sloth-x"} <= set(names)
    assert names == sorted(names)

    updated = orch.paladin.update_paladin(definition=definition(name, system_prompt="Be thorough."), expected_version=1)
    assert updated.version == 2 and updated.definition.system_prompt == "Be thorough."
    assert updated.created_at_us == created.created_at_us and updated.updated_at_us >= created.updated_at_us
    err = error_of(orch.paladin.update_paladin, definition=definition(name, system_prompt="stale"), expected_version=1)
    assert err.code is Code.ABORTED
    assert orch.paladin.get_paladin(name=name).definition.system_prompt == "Be thorough."
    assert orch.paladin.update_paladin(definition=definition(name)).version == 3  # 0 = no check
    assert error_of(orch.paladin.update_paladin, definition=definition(unique("ghost"))).code is Code.NOT_FOUND

    orch.paladin.delete_paladin(name=name)
    assert error_of(orch.paladin.delete_paladin, name=name).code is Code.NOT_FOUND
    assert name not in [p.definition.name for p in orch.paladin.list_paladins().paladins]


def test_every_definition_field_round_trips(orch):
    sent = definition(
        unique("full"), description="reads closely", system_prompt="You are careful.", model="m-1",
        temperature=0.25, max_tokens=128, stop=["END", "STOP"], tools=[P.ToolRef(name="current_time"), P.ToolRef(name="word_count")],
        garrison=P.GarrisonPolicy(eviction=P.EVICTION_POLICY_SLIDING_WINDOW, max_entries=20, max_tokens=4000),
        timeout_ms=5000, retry=P.RetryPolicy(max_attempts=3, base_delay_ms=50, max_delay_ms=500, jitter=True), max_turns=4,
        concurrent_session=P.CONCURRENT_SESSION_POLICY_INTERRUPT)
    assert orch.paladin.create_paladin(definition=sent).definition == sent
    assert orch.paladin.get_paladin(name=sent.name).definition == sent


def test_labels_round_trip(orch):
    name = unique("labelled")
    created = orch.paladin.create_paladin(definition=definition(name, labels={"team": "py", "tier": "gold"}))
    assert dict(created.definition.labels) == {"team": "py", "tier": "gold"}
    assert dict(orch.paladin.get_paladin(name=name).definition.labels) == {"team": "py", "tier": "gold"}


@pytest.mark.parametrize("fields, field", [
    ({"name": "bad name!"}, "definition.name"),
    ({"provider": "missing"}, "definition.provider"),
    ({"temperature": 2.5}, "definition.temperature"),
    ({"tools": [P.ToolRef(name="hammer")]}, "definition.tools"),
])
def test_invalid_definitions_name_their_field(orch, fields, field):
    values = {"name": unique("ok"), "provider": "offline", **fields}
    err = error_of(orch.paladin.create_paladin, definition=P.PaladinDefinition(**values))
    assert err.code is Code.INVALID_ARGUMENT
    assert err.detail("field") == field
    assert err.message.startswith(field)


def test_a_missing_definition_is_invalid(orch):
    err = error_of(orch.paladin.create_paladin)
    assert err.code is Code.INVALID_ARGUMENT and err.detail("field") == "definition"


def test_a_paladin_in_use_by_a_battalion_cannot_be_deleted(orch):
    a, b = unique("a"), unique("b")
    for name in (a, b):
        orch.paladin.create_paladin(definition=definition(name))
    battalion = unique("duo")
    orch.battalion.create_battalion(definition=B.BattalionDefinition(name=battalion, maneuver=B.ManeuverSpec(flow=f"{a} -> {b}")))
    err = error_of(orch.paladin.delete_paladin, name=b)
    assert err.code is Code.FAILED_PRECONDITION and not err.local
    assert error_of(orch.paladin.delete_paladin, name="intake").code is Code.FAILED_PRECONDITION  # the config's battalion
    orch.battalion.delete_battalion(name=battalion)
    orch.paladin.delete_paladin(name=b)  # free now
    assert error_of(orch.paladin.get_paladin, name=b).code is Code.NOT_FOUND


def test_execute_returns_output_usage_turns_and_renders(orch):
    response = orch.paladin.execute(paladin="poet", input="a poem", format=P.OUTPUT_FORMAT_MARKDOWN)
    assert response.output == "roses are red, violets are blue"
    assert response.turns == 1 and response.stop_reason == "final"
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens > 0
    assert response.duration_us > 0
    assert "roses are red, violets are blue" in response.rendered and "## Paladin: poet" in response.rendered

    echoed = orch.paladin.execute(paladin="editor", input="héllo ⚔ wörld", format=P.OUTPUT_FORMAT_JSON)
    assert echoed.output == "héllo ⚔ wörld"
    rendered = json.loads(echoed.rendered)
    assert rendered["output"] == "héllo ⚔ wörld" and rendered["paladin"] == "editor" and rendered["turns"] == 1
    assert orch.paladin.execute(paladin="editor", input="plain").rendered == ""  # no format, nothing rendered

    assert error_of(orch.paladin.execute, paladin=unique("nobody"), input="x").code is Code.NOT_FOUND


def test_execute_stream_sends_deltas_then_final(orch):
    deltas, finals = [], []
    with orch.paladin.execute_stream(paladin="poet", input="a poem") as stream:
        for event in stream:
            kind = event.WhichOneof("event")
            if kind == "delta":
                assert not finals, "a delta after final"
                deltas.append(event.delta)
            elif kind == "final":
                finals.append(event.final)
            else:
                pytest.fail(f"unexpected event {event}")
        assert stream.status.code == Code.OK
    assert len(deltas) > 1
    assert "".join(deltas) == "roses are red, violets are blue"
    assert [f.output for f in finals] == ["roses are red, violets are blue"]
    assert finals[0].stop_reason == "final" and finals[0].usage.completion_tokens > 0
    assert orch.open_streams == 0

    with pytest.raises(pc.PaladinError) as err:
        list(orch.paladin.execute_stream(paladin=unique("nobody"), input="x"))
    assert err.value.code is Code.NOT_FOUND


def test_session_id_threads_the_conversation_through_the_garrison(orch):
    session = unique("conv")
    first = orch.paladin.execute(paladin="editor", input="first", session_id=session)
    second = orch.paladin.execute(paladin="writer", input="second", session_id=session)
    assert (first.output, second.output) == ("first", "draft")
    entries = orch.garrison.history(session_id=session).entries
    assert [(e.role, e.content) for e in entries] == [
        (G.ROLE_USER, "first"), (G.ROLE_ASSISTANT, "first"), (G.ROLE_USER, "second"), (G.ROLE_ASSISTANT, "draft")]
    # The history goes into the prompt: the same call in a session with history costs more prompt tokens.
    alone = orch.paladin.execute(paladin="editor", input="third")
    threaded = orch.paladin.execute(paladin="editor", input="third", session_id=session)
    assert threaded.usage.prompt_tokens > alone.usage.prompt_tokens
    assert any(s.session_id == session and s.entry_count == 6 for s in orch.garrison.list_sessions().sessions)

    err = error_of(orch.paladin.execute, paladin="editor", input="x", session_id="bad session!")
    assert err.code is Code.INVALID_ARGUMENT
    # The stream writes to the session too.
    list(orch.paladin.execute_stream(paladin="poet", input="fourth", session_id=session))
    assert [e.content for e in orch.garrison.history(session_id=session, limit=2).entries] == [
        "fourth", "roses are red, violets are blue"]


# --- BattalionService: definitions ---------------------------------------------------------------

def test_create_get_list_delete_battalion(orch):
    name = unique("review")
    flow = "intake -> (security, performance) -> synthesis"
    created = orch.battalion.create_battalion(definition=B.BattalionDefinition(
        name=name, description="two reviewers", maneuver=B.ManeuverSpec(flow=flow),
        error_strategy=B.ERROR_STRATEGY_CONTINUE_ON_ERROR, timeout_ms=60000))
    assert created.definition.maneuver.flow == flow and created.created_at_us > 0
    err = error_of(orch.battalion.create_battalion,
                   definition=B.BattalionDefinition(name=name, formation=B.FormationSpec(members=["poet"])))
    assert err.code is Code.ALREADY_EXISTS

    got = orch.battalion.get_battalion(name=name)
    assert got.definition.WhichOneof("pattern") == "maneuver" and got.definition.maneuver.flow == flow
    assert got.definition.error_strategy == B.ERROR_STRATEGY_CONTINUE_ON_ERROR and got.definition.timeout_ms == 60000
    names = [b.definition.name for b in orch.battalion.list_battalions().battalions]
    assert {name, "review", "pipeline", "sloths", "doomed"} <= set(names)

    orch.battalion.delete_battalion(name=name)
    assert error_of(orch.battalion.delete_battalion, name=name).code is Code.NOT_FOUND
    assert error_of(orch.battalion.get_battalion, name=name).code is Code.NOT_FOUND
    assert name not in [b.definition.name for b in orch.battalion.list_battalions().battalions]


def test_invalid_battalions_name_their_field(orch):
    name = unique("broken")
    err = error_of(orch.battalion.create_battalion,
                   definition=B.BattalionDefinition(name=name, maneuver=B.ManeuverSpec(flow="intake -> (security, ")))
    assert err.code is Code.INVALID_ARGUMENT
    assert err.detail("field") == "definition.maneuver"
    assert "1:20" in err.message and "expected an agent name" in err.message  # where and why it does not parse

    zed = unique("zed")
    err = error_of(orch.battalion.create_battalion,
                   definition=B.BattalionDefinition(name=name, formation=B.FormationSpec(members=["poet", zed])))
    assert err.code is Code.INVALID_ARGUMENT and zed in err.message and err.detail("field") == "definition.formation"
    err = error_of(orch.battalion.create_battalion,
                   definition=B.BattalionDefinition(name=name, maneuver=B.ManeuverSpec(flow=f"poet -> {zed}")))
    assert err.code is Code.INVALID_ARGUMENT and zed in err.message and err.detail("field") == "definition.maneuver"
    err = error_of(orch.battalion.create_battalion, definition=B.BattalionDefinition(
        name=name, phalanx=B.PhalanxSpec(members=["poet", "editor"], aggregation=B.AGGREGATION_VOTE)))
    assert err.code is Code.INVALID_ARGUMENT and err.detail("field") == "definition.phalanx.judge"
    err = error_of(orch.battalion.create_battalion,
                   definition=B.BattalionDefinition(name="bad name!", formation=B.FormationSpec(members=["poet"])))
    assert err.code is Code.INVALID_ARGUMENT and err.detail("field") == "definition.name"

    err = error_of(orch.battalion.create_battalion, definition=B.BattalionDefinition(name=name))
    assert err.code is Code.INVALID_ARGUMENT and err.detail("field") == "definition.pattern"
    assert error_of(orch.battalion.get_battalion, name=name).code is Code.NOT_FOUND  # nothing was created


# --- BattalionService: runs ----------------------------------------------------------------------

def test_run_records_every_step_and_renders_a_table(orch):
    run = orch.battalion.run(battalion="pipeline", input="write", format=P.OUTPUT_FORMAT_TABLE)
    assert run.status == B.RUN_STATUS_COMPLETED and run.pattern == "formation" and run.battalion == "pipeline"
    assert run.input == "write" and run.final_output == "draft"  # the editor echoes the writer's draft
    assert [s.member for s in run.steps] == ["writer", "editor"]
    assert [s.output for s in run.steps] == ["draft", "draft"]
    assert all(s.status == B.STEP_STATUS_SUCCEEDED and s.attempts == 1 and s.usage.total_tokens > 0 for s in run.steps)
    assert run.usage.total_tokens == sum(s.usage.total_tokens for s in run.steps) > 0
    assert run.finished_at_us >= run.started_at_us > 0
    assert "│" in run.rendered and "writer" in run.rendered and "completed" in run.rendered

    stored = orch.battalion.get_run(id=run.id)
    assert stored.status == B.RUN_STATUS_COMPLETED and list(stored.steps) == list(run.steps)
    assert stored.final_output == "draft"
    assert error_of(orch.battalion.get_run, id="run-nope").code is Code.NOT_FOUND
    assert error_of(orch.battalion.run, battalion=unique("nothing"), input="x").code is Code.NOT_FOUND

    cancelled = orch.battalion.cancel_run(id=run.id)
    assert cancelled.cancelled is False  # it had finished
    assert error_of(orch.battalion.cancel_run, id="run-nope").code is Code.NOT_FOUND


def test_list_runs_filters(orch):
    a, b = unique("a"), unique("b")
    orch.paladin.create_paladin(definition=definition(a))
    orch.paladin.create_paladin(definition=definition(b))
    battalion = unique("listed")
    orch.battalion.create_battalion(definition=B.BattalionDefinition(name=battalion, formation=B.FormationSpec(members=[a, b])))
    runs = [orch.battalion.run(battalion=battalion, input=f"input {i}") for i in range(3)]
    ids = [r.id for r in runs]

    listed = orch.battalion.list_runs(battalion=battalion).runs
    assert [r.id for r in listed] == ids[::-1]  # newest first
    assert [r.final_output for r in listed] == ["input 2", "input 1", "input 0"]
    assert [r.id for r in orch.battalion.list_runs(battalion=battalion, status=B.RUN_STATUS_COMPLETED).runs] == ids[::-1]
    assert orch.battalion.list_runs(battalion=battalion, status=B.RUN_STATUS_FAILED).runs == []
    assert [r.id for r in orch.battalion.list_runs(battalion=battalion, limit=1).runs] == [ids[2]]
    after = orch.battalion.list_runs(battalion=battalion, started_after_us=runs[0].started_at_us).runs
    assert [r.id for r in after] == [ids[2], ids[1]]
    before = orch.battalion.list_runs(battalion=battalion, started_before_us=runs[2].started_at_us).runs
    assert [r.id for r in before] == [ids[1], ids[0]]
    assert set(ids) <= {r.id for r in orch.battalion.list_runs(limit=500).runs}  # no filter: every battalion
    # A limit above the maximum page size is clamped, not refused.
    assert [r.id for r in orch.battalion.list_runs(battalion=battalion, limit=5000).runs] == ids[::-1]


def test_run_stream_events_arrive_in_a_valid_order(orch):
    with orch.battalion.run_stream(battalion="review", input="func f() {}") as stream:
        events = list(stream)
        assert stream.status.code == Code.OK
    started, result, finished = check_run_events(events, ["intake", "security", "performance", "style", "synthesis"])
    assert finished[0] == "intake" and finished[-1] == "synthesis"
    assert result.status == B.RUN_STATUS_COMPLETED and result.final_output == "merged review"
    assert result.pattern == "maneuver" and started.input == result.input == "func f() {}"
    # The synthesis member's deltas spell its output.
    synthesis = "".join(e.member_delta.text for e in events
                        if e.WhichOneof("event") == "member_delta" and e.member_delta.member == "synthesis")
    assert synthesis == "merged review"
    assert orch.battalion.get_run(id=started.id).status == B.RUN_STATUS_COMPLETED


def test_cancel_run_of_a_slow_run_ends_it_cancelled_quickly(orch):
    start = time.monotonic()
    run_id, result, members_started = None, None, 0
    with orch.battalion.run_stream(battalion="sloths", input="wait", timeout=120) as stream:
        for event in stream:
            kind = event.WhichOneof("event")
            if kind == "started":
                run_id = event.started.id
            elif kind == "member_started":
                members_started += 1
                if members_started == 3:
                    assert orch.battalion.get_run(id=run_id).status == B.RUN_STATUS_RUNNING
                    assert orch.battalion.cancel_run(id=run_id).cancelled is True
            elif kind == "result":
                result = event.result
        assert stream.status.code == Code.OK  # a cancelled run still ends the call OK
    assert time.monotonic() - start < 20, "the members waited for their 30 s replies"
    assert result is not None and result.id == run_id and result.status == B.RUN_STATUS_CANCELLED
    recorded = orch.battalion.get_run(id=run_id)
    assert recorded.status == B.RUN_STATUS_CANCELLED
    assert sorted(s.member for s in recorded.steps) == ["sloth-x", "sloth-y", "sloth-z"]
    assert all(s.status == B.STEP_STATUS_CANCELLED for s in recorded.steps)
    assert run_id in [r.id for r in orch.battalion.list_runs(battalion="sloths", status=B.RUN_STATUS_CANCELLED).runs]
    assert orch.battalion.cancel_run(id=run_id).cancelled is False  # already over


def test_a_call_deadline_mid_battalion_is_deadline_exceeded_and_recorded_timed_out(orch):
    # The server's deadline (timeout_us) ends the call: wait for its END, not the local timer,
    # so the run is cut by the deadline and not by our CANCEL.
    start = time.monotonic()
    stream = orch.battalion.run_stream(battalion="doomed", input="go", timeout=1.0)
    stream._deadline = None
    events = []
    with pytest.raises(pc.PaladinError) as err:
        for event in stream:
            events.append(event)
    assert err.value.code is Code.DEADLINE_EXCEEDED and not err.value.local
    assert time.monotonic() - start < 20
    run_id = events[0].started.id
    assert err.value.detail("run_id") == run_id
    recorded = wait_for_run(orch, run_id)
    assert recorded.status == B.RUN_STATUS_TIMED_OUT
    assert [(s.member, s.status) for s in recorded.steps][:1] == [("writer", B.STEP_STATUS_SUCCEEDED)]
    assert "editor" not in [s.member for s in recorded.steps]  # the member after the stuck one never ran
    assert run_id in [r.id for r in orch.battalion.list_runs(battalion="doomed", status=B.RUN_STATUS_TIMED_OUT).runs]


def test_a_unary_run_with_a_deadline_is_deadline_exceeded_and_the_run_ends(orch):
    battalion = unique("doomed")
    orch.battalion.create_battalion(definition=B.BattalionDefinition(
        name=battalion, formation=B.FormationSpec(members=["writer", "sloth-y", "editor"])))
    start = time.monotonic()
    err = error_of(orch.battalion.run, battalion=battalion, input="go", timeout=0.5)
    assert err.code is Code.DEADLINE_EXCEEDED
    assert time.monotonic() - start < 20
    deadline = time.monotonic() + 30
    while True:
        runs = orch.battalion.list_runs(battalion=battalion).runs
        if (runs and runs[0].status != B.RUN_STATUS_RUNNING) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(runs) == 1
    # The client's timer and the server's deadline fire together: the run ends timed out (the
    # server's deadline) or cancelled (the client's CANCEL got there first); never completed.
    assert runs[0].status in (B.RUN_STATUS_TIMED_OUT, B.RUN_STATUS_CANCELLED)
    assert runs[0].steps[0].member == "writer" and runs[0].steps[0].status == B.STEP_STATUS_SUCCEEDED
    assert "editor" not in [s.member for s in runs[0].steps]


def test_a_battalion_timeout_ends_the_call_ok_with_a_timed_out_run(orch):
    battalion = unique("hurried")
    orch.battalion.create_battalion(definition=B.BattalionDefinition(
        name=battalion, formation=B.FormationSpec(members=["writer", "sloth-z"]), timeout_ms=300))
    run = orch.battalion.run(battalion=battalion, input="go", timeout=60)
    assert run.status == B.RUN_STATUS_TIMED_OUT
    assert orch.battalion.get_run(id=run.id).status == B.RUN_STATUS_TIMED_OUT


def test_resume_of_a_run_that_was_not_interrupted_is_failed_precondition(orch):
    run = orch.battalion.run(battalion="pipeline", input="write")
    err = error_of(orch.battalion.run, resume_run_id=run.id)
    assert err.code is Code.FAILED_PRECONDITION and not err.local
    assert error_of(orch.battalion.run, resume_run_id="run-never").code is Code.NOT_FOUND


def crash_mid_run(tmp_path, policy):
    """Runs "doomed" on a SQLite store with `on_interrupt: policy`, kill -9s the server while
    sloth-x runs (writer's step recorded), and returns the run id and the second life's config:
    a quick provider and a writer that would now answer differently."""
    store = tmp_path / "runs.db"
    first_life = ORCHESTRATION_CONFIG.replace('path: ":memory:"', f'path: "{store}"').replace(
        "  doomed:\n", f"  doomed:\n    on_interrupt: {policy}\n")
    second_life = first_life.replace("delay: 30s", "delay: off").replace('writer: ["draft"]', 'writer: ["fresh draft"]')
    srv = Server(config=first_life, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            with c.battalion.run_stream(battalion="doomed", input="go") as stream:
                for event in stream:
                    kind = event.WhichOneof("event")
                    if kind == "started":
                        run_id = event.started.id
                    if kind == "member_started" and event.member_started.member == "sloth-x":
                        # Crash while the call is still open (leaving the stream would CANCEL it).
                        assert c.battalion.get_run(id=run_id).steps[0].output == "draft"
                        srv.process.send_signal(signal.SIGKILL)
                        srv.process.wait(30)
                        break
    finally:
        srv.stop(signal.SIGKILL, keep_workdir=True)
    return run_id, second_life


def test_a_run_interrupted_by_a_crash_resumes_by_hand_after_restart(tmp_path):
    # on_interrupt: mark leaves it interrupted; resume_run_id resumes it under its id, and the
    # recorded writer step is replayed, not re-run.
    run_id, second_life = crash_mid_run(tmp_path, "mark")
    srv = Server(config=second_life, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            interrupted = c.battalion.get_run(id=run_id)
            assert interrupted.status == B.RUN_STATUS_INTERRUPTED and interrupted.attempt == 1
            assert run_id in [r.id for r in c.battalion.list_runs(status=B.RUN_STATUS_INTERRUPTED).runs]
            resumed = c.battalion.run(resume_run_id=run_id, timeout=60)
            assert resumed.id == run_id and resumed.attempt == 2 and resumed.status == B.RUN_STATUS_COMPLETED
            assert resumed.input == "go"
            assert [s.member for s in resumed.steps] == ["writer", "sloth-x", "editor"]
            # writer's recorded step is replayed ("draft", not "fresh draft"); the others ran now.
            assert [s.output for s in resumed.steps] == ["draft", "too late", "too late"]
            assert error_of(c.battalion.run, resume_run_id=run_id).code is Code.FAILED_PRECONDITION
    finally:
        srv.stop(keep_workdir=True)


def test_a_run_interrupted_by_a_crash_resumes_by_itself_at_the_next_start(tmp_path):
    # on_interrupt: resume (the default): the restarted server resumes it under its id, and a
    # watcher attached by id sees it from its start to its end.
    run_id, second_life = crash_mid_run(tmp_path, "resume")
    srv = Server(config=second_life, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            kinds = [e.WhichOneof("event") for e in c.battalion.run_stream(attach_run_id=run_id, timeout=60)]
            assert kinds[0] == "started" and kinds[-1] == "result"
            run = c.battalion.get_run(id=run_id)
            assert run.status == B.RUN_STATUS_COMPLETED and run.attempt == 2
            assert [s.output for s in run.steps] == ["draft", "too late", "too late"]
    finally:
        srv.stop(keep_workdir=True)


def test_definitions_created_over_the_wire_survive_a_restart_with_their_versions(tmp_path):
    # SQLite store: a paladin and a battalion created (and updated) over the wire are there
    # after a restart, with their versions; the file's paladins are read-only over the wire.
    config = ORCHESTRATION_CONFIG.replace('path: ":memory:"', f'path: "{tmp_path / "catalog.db"}"')
    srv = Server(config=config, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            c.paladin.create_paladin(definition=definition("kept", system_prompt="one"))
            assert c.paladin.update_paladin(definition=definition("kept", system_prompt="two")).version == 2
            pair = B.BattalionDefinition(name="kept-pair", formation=B.FormationSpec(members=["kept", "poet"]))
            assert c.battalion.create_battalion(definition=pair).source == P.DEFINITION_SOURCE_API
            trio = B.BattalionDefinition(name="kept-pair", formation=B.FormationSpec(members=["kept", "poet", "kept"]))
            assert c.battalion.update_battalion(definition=trio, expected_version=1).version == 2
            err = error_of(c.paladin.update_paladin, definition=definition("poet"))
            assert err.code is Code.FAILED_PRECONDITION and "configuration file" in err.message
    finally:
        srv.stop(keep_workdir=True)

    srv = Server(config=config, workdir=str(tmp_path))
    try:
        with pc.connect(srv.host, srv.port) as c:
            kept = c.paladin.get_paladin(name="kept")
            assert (kept.version, kept.source, kept.definition.system_prompt) == (2, P.DEFINITION_SOURCE_API, "two")
            assert c.paladin.get_paladin(name="poet").source == P.DEFINITION_SOURCE_FILE
            run = c.battalion.run(battalion="kept-pair", input="go", timeout=60)
            assert run.status == B.RUN_STATUS_COMPLETED
            assert run.battalion_version == 2 and dict(run.member_versions) == {"kept": 2, "poet": 1}
    finally:
        srv.stop(keep_workdir=True)


# --- asyncio -------------------------------------------------------------------------------------

def arun(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_asyncio_paladin_crud_execute_and_stream(orchestration_server):
    async def main():
        async with await pc.connect_async(orchestration_server.host, orchestration_server.port) as c:
            name = unique("aio")
            assert (await c.paladin.create_paladin(definition=definition(name))).version == 1
            with pytest.raises(pc.PaladinError) as err:
                await c.paladin.create_paladin(definition=definition(name))
            assert err.value.code is Code.ALREADY_EXISTS
            with pytest.raises(pc.PaladinError) as err:
                await c.paladin.create_paladin(definition=definition(unique("hot"), temperature=3.0))
            assert err.value.code is Code.INVALID_ARGUMENT and err.value.detail("field") == "definition.temperature"
            assert (await c.paladin.update_paladin(definition=definition(name, description="d"), expected_version=1)).version == 2
            with pytest.raises(pc.PaladinError) as err:
                await c.paladin.update_paladin(definition=definition(name), expected_version=1)
            assert err.value.code is Code.ABORTED
            assert name in [p.definition.name for p in (await c.paladin.list_paladins()).paladins]

            # Concurrent executions on one connection, each its own echo.
            outputs = await asyncio.gather(*[c.paladin.execute(paladin=name, input=f"n{i}") for i in range(20)])
            assert [o.output for o in outputs] == [f"n{i}" for i in range(20)]

            deltas, final = [], None
            async with c.paladin.execute_stream(paladin="poet", input="a poem") as stream:
                async for event in stream:
                    kind = event.WhichOneof("event")
                    assert final is None, "an event after final"
                    if kind == "delta":
                        deltas.append(event.delta)
                    else:
                        assert kind == "final"
                        final = event.final
            assert len(deltas) > 1 and "".join(deltas) == final.output == "roses are red, violets are blue"

            await c.paladin.delete_paladin(name=name)
            with pytest.raises(pc.PaladinError) as err:
                await c.paladin.get_paladin(name=name)
            assert err.value.code is Code.NOT_FOUND
    arun(main())


def test_asyncio_run_stream_and_cancel_run(orchestration_server):
    async def main():
        async with await pc.connect_async(orchestration_server.host, orchestration_server.port) as c:
            # Two streamed runs of the review battalion at once on one connection.
            async def collect():
                return [event async for event in c.battalion.run_stream(battalion="review", input="patch")]
            for events in await asyncio.gather(collect(), collect()):
                _, result, _ = check_run_events(events, ["intake", "security", "performance", "style", "synthesis"])
                assert result.status == B.RUN_STATUS_COMPLETED and result.final_output == "merged review"

            # CancelRun from another task while the stream waits on the slow members.
            start = time.monotonic()
            events, members_started = [], 0
            async for event in c.battalion.run_stream(battalion="sloths", input="wait"):
                events.append(event)
                if event.WhichOneof("event") == "member_started":
                    members_started += 1
                    if members_started == 3:
                        assert (await c.battalion.cancel_run(id=events[0].started.id)).cancelled is True
            assert time.monotonic() - start < 20
            _, result, _ = check_run_events(events, ["sloth-x", "sloth-y", "sloth-z"])
            assert result.status == B.RUN_STATUS_CANCELLED
            assert (await c.battalion.get_run(id=result.id)).status == B.RUN_STATUS_CANCELLED
            listed = (await c.battalion.list_runs(battalion="sloths", status=B.RUN_STATUS_CANCELLED)).runs
            assert result.id in [r.id for r in listed]

            run = await c.battalion.run(battalion="pipeline", input="write", format=P.OUTPUT_FORMAT_TABLE)
            assert run.status == B.RUN_STATUS_COMPLETED and "│" in run.rendered
            with pytest.raises(pc.PaladinError) as err:
                await c.battalion.run(resume_run_id=run.id)
            assert err.value.code is Code.FAILED_PRECONDITION
            assert c.open_streams == 0
    arun(main())
