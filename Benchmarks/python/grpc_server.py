"""The grpcio side of bench.py: a grpc.aio server with one trivial method, Health/Check, using the
same protobuf messages as Paladin (HealthCheckRequest -> HealthCheckResponse{SERVING}).
Prints "listening on 127.0.0.1:<port>" once bound. Run by bench.py in its own process."""

import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "clients" / "python"))

import grpc  # noqa: E402

from paladin_client.v1 import health_pb2  # noqa: E402

SERVING = health_pb2.HealthCheckResponse(status=health_pb2.SERVING_STATUS_SERVING)


async def check(request, context):
    return SERVING


async def main():
    server = grpc.aio.server()
    handler = grpc.method_handlers_generic_handler("paladin.v1.Health", {
        "Check": grpc.unary_unary_rpc_method_handler(
            check, request_deserializer=health_pb2.HealthCheckRequest.FromString,
            response_serializer=health_pb2.HealthCheckResponse.SerializeToString)})
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(main())
