"""Providers' send APIs, faked at their HTTP boundary: local servers that answer as the
providers' documentation shows, for anymail's real backends pointed at them with their API_URL
settings. Only the network is fake.

Postmark (POST /email): an address starting "inactive@" is refused as Postmark refuses an
address on its bounce and complaint list (HTTP 422, ErrorCode 406); with `down` set every call
is a 500. Postal (POST /api/v1/send/message) has no metadata, so anymail refuses to send any.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INACTIVE = (
    "You tried to send to a recipient that has been marked as inactive.\n"
    "Found inactive addresses: {address}.\n"
    "Inactive recipients are ones that have generated a hard bounce or a spam complaint. "
)


class FakeProvider:
    def __init__(self):
        self.calls = []  # (path, headers, payload)
        self.down = False
        self.server = None

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = fake.answer(self.path, dict(self.headers), json.loads(body))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/"


class FakePostmark(FakeProvider):
    def answer(self, path, headers, payload):
        self.calls.append((path, headers, payload))
        if self.down:
            return 500, {"ErrorCode": 500, "Message": "Internal server error"}
        if path != "/email":
            return 404, {"ErrorCode": 404, "Message": "Not found"}
        to = payload["To"]
        if to.startswith("inactive@"):
            return 422, {"ErrorCode": 406, "Message": INACTIVE.format(address=to)}
        return 200, {
            "To": to,
            "SubmittedAt": "2026-12-03T07:25:01.4178645-05:00",
            "MessageID": str(uuid.uuid4()),
            "ErrorCode": 0,
            "Message": "OK",
        }


class FakePostal(FakeProvider):
    def answer(self, path, headers, payload):
        self.calls.append((path, headers, payload))
        if path != "/api/v1/send/message":
            return 404, {"status": "error", "data": {"code": "NotFound"}}
        self.sent = getattr(self, "sent", 0) + 1
        messages = {to: {"id": 1000 + self.sent, "token": uuid.uuid4().hex[:10]} for to in payload["to"]}
        return 200, {
            "status": "success",
            "time": 0.05,
            "flags": {},
            "data": {"message_id": f"{uuid.uuid4()}@rp.postal.example.org", "messages": messages},
        }
