"""Python client of the Paladin wire protocol 1.0 (docs/protocol.md), sync and asyncio.

    import paladin_client as pc
    with pc.connect("127.0.0.1", 50051) as conn:
        print(conn.health.check().status)
"""

from . import frames, paging
from ._aio import AsyncConnection, AsyncResponseStream, AsyncStreamCall, connect_async
from ._sync import Connection, ResponseStream, connect
from ._tls import client_context as tls_context
from .status import PaladinError, StatusCode
from .v1 import battalion_pb2, frame_pb2, garrison_pb2, health_pb2, paladin_pb2, server_info_pb2
from .v1.services import METHODS

__version__ = "0.1.0"

__all__ = [
    "AsyncConnection", "AsyncResponseStream", "AsyncStreamCall", "Connection", "METHODS", "PaladinError", "ResponseStream",
    "StatusCode", "battalion_pb2", "connect", "connect_async", "frame_pb2", "frames", "garrison_pb2",
    "health_pb2", "paging", "paladin_pb2", "server_info_pb2", "tls_context",
]
