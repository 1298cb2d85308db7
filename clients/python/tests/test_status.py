"""PaladinError without a server: the details helpers."""

from paladin_client.status import PaladinError, StatusCode


def test_retry_after_ms_reads_the_servers_hint():
    error = PaladinError(StatusCode.RESOURCE_EXHAUSTED, "too many battalion runs in flight",
                         [("retry_after_ms", "1000")])
    assert error.retry_after_ms == 1000


def test_retry_after_ms_is_none_when_absent_or_not_a_whole_number():
    assert PaladinError(StatusCode.RESOURCE_EXHAUSTED, "x").retry_after_ms is None
    assert PaladinError(StatusCode.RESOURCE_EXHAUSTED, "x", [("retry_after_ms", "soon")]).retry_after_ms is None
