"""Status codes and the exception every failed call raises (docs/protocol.md §8)."""

from __future__ import annotations

import enum
from typing import List, Optional, Tuple


class StatusCode(enum.IntEnum):
    """gRPC status codes, with gRPC's meanings (docs/protocol.md §8)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def of(cls, code: int) -> "StatusCode":
        """The code for a wire value; values above 16 are UNKNOWN (§8)."""
        return cls(code) if 0 <= code <= 16 else cls.UNKNOWN


class PaladinError(Exception):
    """A call (or the connection) ended with a non-OK status.

    Branch on `code`; `message` is for humans (§2: clients must not parse it). `details` holds
    the Status's structured pairs, e.g. ("field", "definition.name") for INVALID_ARGUMENT.
    `local` is True when the client produced the status itself (deadline, cancel, lost
    connection) rather than reading it from an END or GOAWAY.
    """

    def __init__(
        self,
        code: int,
        message: str = "",
        details: Optional[List[Tuple[str, str]]] = None,
        *,
        local: bool = False,
    ) -> None:
        self.code = StatusCode.of(int(code))
        self.message = message
        self.details = details or []
        self.local = local
        super().__init__(f"{self.code.name}: {message}" if message else self.code.name)

    def detail(self, key: str) -> Optional[str]:
        """The first value of a details pair with this key, or None."""
        for k, v in self.details:
            if k == key:
                return v
        return None

    @property
    def retry_after_ms(self) -> Optional[int]:
        """The server's hint of how long to wait before retrying a call it shed
        (RESOURCE_EXHAUSTED at a cap on work in flight, a busy database), from
        details["retry_after_ms"]; None when absent or not a whole number."""
        value = self.detail("retry_after_ms")
        if value is None or not value.isdigit():
            return None
        return int(value)

    @classmethod
    def from_status(cls, status) -> "PaladinError":
        """From a paladin.v1.Status (an END payload)."""
        return cls(status.code, status.message, [(d.key, d.value) for d in status.details])
