"""make loadtest's load: readers, commenters and donors, as browsers behind the TLS proxy would speak.

Every outcome is tallied with a timeline, and every write the site acknowledged is kept, for
run.py to look for in the database afterwards.
"""

import http.client
import json
import random
import re
import socket
import threading
import time
import uuid
from collections import Counter, defaultdict
from urllib.parse import urlencode, urlsplit

COMMENT_PREFIX = "loadtest comment"
DONOR_DOMAIN = "loadtest.invalid"


# --- HTTP, as a browser behind the TLS proxy would speak it -----------------------------------------


class Site:
    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, *, form=None, cookies=None, timeout=15):
        """(status, headers, body); cookies, a dict, is updated from Set-Cookie."""
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "canary-loadtest",
        }
        body = None
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data


def failure_kind(error):
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected | BrokenPipeError):
        return "connection reset"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timeout"
    return type(error).__name__


class Tally:
    """Every request's outcome, thread-safe, with a timeline to measure recovery from."""

    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes = defaultdict(Counter)  # kind -> outcome -> count
        self.timeline = []  # (seconds since start, kind, ok)
        self.started = time.monotonic()

    def now(self):
        return time.monotonic() - self.started

    def record(self, kind, outcome, ok):
        with self.lock:
            self.outcomes[kind][outcome] += 1
            self.timeline.append((self.now(), kind, ok))


class Load:
    def __init__(self, site, urls, tally, stop):
        self.site, self.urls, self.tally, self.stop = site, urls, tally, stop
        self.acknowledged_comments = []
        self.acknowledged_donations = []
        self.lock = threading.Lock()

    def call(self, kind, method, path, **options):
        """One request, tallied; None when it failed below HTTP."""
        try:
            status, headers, body = self.site.request(method, path, **options)
        except (OSError, http.client.HTTPException) as error:
            self.tally.record(kind, failure_kind(error), ok=False)
            return None
        return status, headers, body

    def reader(self):
        while not self.stop.is_set():
            path = random.choice(self.urls["pages"])
            answer = self.call("reader", "GET", path)
            if answer is not None:
                self.tally.record("reader", str(answer[0]), ok=answer[0] == 200)
            self.pause_after(answer is not None and answer[0] == 200)

    def commenter(self):
        while not self.stop.is_set():
            article_id = random.choice(self.urls["commentable"])
            cookies = {}
            answer = self.call("commenter", "GET", "/comments/token/", cookies=cookies)
            if answer is None or answer[0] != 200:
                if answer is not None:
                    self.tally.record("commenter", f"token {answer[0]}", ok=False)
                self.pause_after(False)
                continue
            body = answer[2]
            token = json.loads(body)
            text = f"{COMMENT_PREFIX} {uuid.uuid4().hex}"
            form = {
                "name": "Load Tester",
                "email": f"commenter-{uuid.uuid4().hex[:12]}@{DONOR_DOMAIN}",
                "body": text,
                "rendered": token["rendered"],
                "csrfmiddlewaretoken": token["csrf"],
            }
            answer = self.call(
                "commenter", "POST", f"/comments/{article_id}/post/", form=form, cookies=cookies
            )
            if answer is None:
                continue
            status, headers, _ = answer
            location = headers.get("Location", "")
            messages = any(h.startswith("messages=") for h in headers.get_all("Set-Cookie") or [])
            acknowledged = status == 302 and "#comment" in location and messages
            self.tally.record("commenter", "acknowledged" if acknowledged else str(status), ok=acknowledged)
            if acknowledged:
                with self.lock:
                    self.acknowledged_comments.append(text)
            self.pause_after(acknowledged)

    def donor(self):
        while not self.stop.is_set():
            cookies = {}
            answer = self.call("donor", "GET", "/support/", cookies=cookies)
            if answer is None:
                self.pause_after(False)
                continue
            status, _, body = answer
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            if status != 200 or match is None:
                self.tally.record("donor", f"form {status}", ok=False)
                self.pause_after(False)
                continue
            token = match.group(1).decode()
            email = f"donor-{uuid.uuid4().hex[:16]}@{DONOR_DOMAIN}"
            form = {
                "frequency": random.choice(["monthly", "annual", "one_off"]),
                "amount": random.choice(["5", "12.50", "30"]),
                "name": "Load Tester",
                "email": email,
                "consent": "on",
                "csrfmiddlewaretoken": token,
            }
            answer = self.call("donor", "POST", "/support/", form=form, cookies=cookies)
            if answer is None:
                self.pause_after(False)
                continue
            status, headers, _ = answer
            checkout = headers.get("Location", "")
            if status != 302 or "/support/checkout/test/" not in checkout:
                self.tally.record("donor", f"support {status}", ok=False)
                self.pause_after(False)
                continue
            path = urlsplit(checkout).path
            answer = self.call(
                "donor", "POST", path, form={"action": "pay", "csrfmiddlewaretoken": token}, cookies=cookies
            )
            if answer is None:
                self.pause_after(False)
                continue
            status, headers, _ = answer
            acknowledged = status == 302 and "/support/thanks/?donation=" in headers.get("Location", "")
            self.tally.record("donor", "acknowledged" if acknowledged else f"pay {status}", ok=acknowledged)
            if acknowledged:
                with self.lock:
                    self.acknowledged_donations.append(email)
            self.pause_after(acknowledged)

    def health(self, samples):
        while not self.stop.is_set():
            # Strict: "healthy" means everything is back, Redis included (a plain /healthz says 200
            # while pages are served uncached).
            answer = self.call("health", "GET", "/healthz?strict=1", timeout=5)
            status = answer[0] if answer else 0
            if answer is not None:
                self.tally.record("health", str(status), ok=status == 200)
            samples.append((self.tally.now(), status))
            time.sleep(0.1)

    def pause_after(self, ok):
        """A person whose page failed tries again after a moment, not in a tight loop."""
        if not ok:
            time.sleep(0.25)
