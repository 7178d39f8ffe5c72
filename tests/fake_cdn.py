"""A stand-in for the CDNs' purge APIs on loopback: it records every request and answers as
Cloudflare and Fastly document (a JSON envelope with "success", or Fastly's status object),
or as told: 429 with Retry-After, a 5xx, or no answer at all for a while (a hang)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeCDN:
    def __init__(self):
        self.requests = []
        # Each answer is (status, headers, delay); taken in order, then `default` for the rest.
        self.script = []
        self.default = (200, {}, 0)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    status, headers, delay = fake.script.pop(0) if fake.script else fake.default
                if delay:
                    time.sleep(delay)
                payload = fake.answer(self.path, status)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting: that was the point

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path, status):
        ok = status < 400
        if path.startswith("/client/v4/"):
            envelope = {"success": ok, "errors": [] if ok else [{"code": status, "message": "error"}]}
            envelope["messages"] = []
            envelope["result"] = {"id": "purge-id"} if ok else None
            return json.dumps(envelope).encode()
        return json.dumps({"status": "ok"} if ok else {"msg": "error"}).encode()

    def json_bodies(self):
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
