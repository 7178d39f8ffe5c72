"""One user at a time on the live server's shared in-memory SQLite connection.

On SQLite the test database lives in memory, so Django hands the test thread's connection to
the live server's request threads. Django's documentation warns that two threads must not use
it at once: a request still running (a preview frame, a fetch, a beacon) while the test writes
with a factory or runs the worker ends in "cannot start a transaction within a transaction".
Waiting for the page to go quiet in each test only narrows the window, so the live server takes
turns instead: a request waits until no statement or transaction of the test is open and holds
the connection until its response is sent; a statement from any other thread waits until no
request holds it. Each wait gives up after WAIT seconds, so a test that holds a transaction open
across a page action fails on its own error instead of hanging.

Only for transactional tests, as pytest-django's live_server makes every test that uses it: a
test inside one transaction (the db fixture) means its requests to run inside it too.
"""

import threading
import time

WAIT = 10.0
POLL = 0.005


class Turns:
    def __init__(self, connection):
        self.connection = connection
        self.changed = threading.Condition()
        self.serving = False
        self.statements = 0
        self.local = threading.local()

    def _in_transaction(self):
        raw = self.connection.connection
        return raw is not None and raw.in_transaction

    def _wait(self, free):
        # Polled: a commit does not pass through the execute wrapper, so nothing notifies it.
        deadline = time.monotonic() + WAIT
        while not free() and time.monotonic() < deadline:
            self.changed.wait(POLL)

    def wrap(self, app):
        def take_turn(environ, start_response):
            with self.changed:
                self._wait(lambda: not self.serving and not self.statements and not self._in_transaction())
                self.serving = True
            self.local.serving = True
            try:
                return Released(app(environ, start_response), self._release)
            except BaseException:
                self._release()
                raise

        return take_turn

    def _release(self):
        self.local.serving = False
        with self.changed:
            self.serving = False
            self.changed.notify_all()

    def statement(self, execute, sql, params, many, context):
        if getattr(self.local, "serving", False):
            return execute(sql, params, many, context)
        with self.changed:
            self._wait(lambda: not self.serving)
            self.statements += 1
        try:
            return execute(sql, params, many, context)
        finally:
            with self.changed:
                self.statements -= 1
                self.changed.notify_all()


class Released:
    """A response's body that gives the connection back once the server has sent it."""

    def __init__(self, body, release):
        self.body = body
        self.release = release

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.release()


def take_turns(server):
    """Make a started pytest-django LiveServer share its in-memory connections in turns."""
    for connection in server.thread.connections_override.values():
        turns = Turns(connection)
        connection.execute_wrappers.append(turns.statement)
        server.thread.httpd.set_app(turns.wrap(server.thread.httpd.get_app()))
