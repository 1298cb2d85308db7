"""A model provider that misbehaves on purpose, speaking OpenAI's chat-completions protocol.

Each path prefix is one fault; a paladin points its provider's base_url at it:
  /inf/v1     429 with `Retry-After: inf` (and `retry-after-ms: 1e40`)
  /line/v1    200 text/event-stream whose first `data:` line never ends
  /body/v1    200 application/json whose body never ends (no Content-Length)
  /slow/v1    a normal streamed answer, one chunk every 50 ms (a slow but honest model)
"""

import http.server
import json
import socketserver
import threading
import time

CHUNK = b"a" * 65536


class FaultyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        try:
            if self.path.startswith("/inf/"):
                self.send_response(429)
                self.send_header("Retry-After", "inf")
                self.send_header("retry-after-ms", "1e40")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.startswith("/line/"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"data: ")
                while True:
                    self.wfile.write(CHUNK)
            elif self.path.startswith("/body/"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"choices":[{"message":{"role":"assistant","content":"')
                while True:
                    self.wfile.write(CHUNK)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for word in ["slow ", "but ", "honest"]:
                    chunk = {"choices": [{"index": 0, "delta": {"content": word}}]}
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


class FaultyProvider(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start():
    """Starts the fake provider on a free port; returns (server, port)."""
    server = FaultyProvider(("127.0.0.1", 0), FaultyHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
