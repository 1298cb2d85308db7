"""TLS for the blocking client: one SSL object shared by the reader thread and the writers.

OpenSSL does not allow one SSL object to be used by two threads at once, and a plain
SSLSocket would hold it while blocked in recv. So the SSL object works on memory buffers
(ssl.MemoryBIO) under a short lock, and the raw socket is read and written outside it: a
writer never waits for the reader, and the reader never waits on the network holding the lock.
"""

import socket
import ssl
import threading
from typing import Optional


class TLSSocket:
    """The subset of socket the blocking client uses (recv, sendall, shutdown, close), over TLS."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, server_hostname: Optional[str]) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._ssl = context.wrap_bio(self._incoming, self._outgoing, server_side=False,
                                     server_hostname=server_hostname)
        self._ssl_lock = threading.Lock()   # held only for in-memory SSL work
        self._send_lock = threading.Lock()  # keeps TLS records in the order they were made
        self._handshake()

    def _handshake(self) -> None:
        while True:
            try:
                self._ssl.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                data = self._sock.recv(65536)
                if not data:
                    raise ConnectionError("the server closed the connection during the TLS handshake")
                self._incoming.write(data)

    def _flush(self) -> None:
        with self._send_lock:
            with self._ssl_lock:
                pending = self._outgoing.read()
            if pending:
                self._sock.sendall(pending)

    def sendall(self, data: bytes) -> None:
        with self._send_lock:
            with self._ssl_lock:
                self._ssl.write(data)
                pending = self._outgoing.read()
            self._sock.sendall(pending)

    def recv(self, size: int) -> bytes:
        while True:
            with self._ssl_lock:
                try:
                    data = self._ssl.read(size)
                except ssl.SSLWantReadError:
                    data = None
                except ssl.SSLZeroReturnError:
                    return b""  # close_notify: the server closed
                replies = self._outgoing.pending
            if replies:
                self._flush()  # e.g. a key update answered while reading
            if data is not None:
                return data
            raw = self._sock.recv(65536)
            if not raw:
                return b""
            with self._ssl_lock:
                self._incoming.write(raw)

    def settimeout(self, timeout: Optional[float]) -> None:
        self._sock.settimeout(timeout)

    def setsockopt(self, *args) -> None:
        self._sock.setsockopt(*args)

    def shutdown(self, how: int) -> None:
        self._sock.shutdown(how)

    def close(self) -> None:
        self._sock.close()


def client_context(ca_file: Optional[str] = None, cert_file: Optional[str] = None,
                   key_file: Optional[str] = None) -> ssl.SSLContext:
    """A verifying TLS 1.2+ client context: the CAs of `ca_file` (else the system's), and a
    client certificate for servers that require mTLS."""
    context = ssl.create_default_context(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert_file:
        context.load_cert_chain(cert_file, key_file)
    return context
