"""The browser tests' live server and the test thread take turns on a shared SQLite connection.

Each test opens its own in-memory SQLite connection shared between two threads, as Django
shares the test database's with the live server, so it runs the same on either database.
"""

import threading

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import OperationalError

from tests.browser.turns import Turns


@pytest.fixture
def shared(django_db_blocker):
    django_db_blocker.unblock()  # the connection is the test's own, not the test database's
    connection = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="shared",
    )
    connection.inc_thread_sharing()
    connection.cursor().execute("CREATE TABLE note (writer TEXT)")
    yield connection
    connection.dec_thread_sharing()
    connection.close()
    django_db_blocker.restore()


def writes(connection, writer):
    cursor = connection.cursor()
    cursor.execute("BEGIN")
    cursor.execute("INSERT INTO note VALUES (%s)", [writer])
    return cursor


def request_in_a_transaction(connection, started, go_on):
    """A WSGI app whose request writes in a transaction and holds it until told to go on."""

    def app(environ, start_response):
        cursor = writes(connection, "request")
        started.set()
        go_on.wait(5)
        cursor.execute("COMMIT")
        start_response("200 OK", [])
        return [b"done"]

    return app


def serve(app):
    """What the live server's request thread does with an app: call it, send the body, close it."""
    body = app({}, lambda status, headers: None)
    list(body)
    if hasattr(body, "close"):
        body.close()


def writers(connection):
    return sorted(row[0] for row in connection.cursor().execute("SELECT writer FROM note").fetchall())


def test_without_turns_the_test_cannot_write_while_a_request_holds_a_transaction(shared):
    started, go_on = threading.Event(), threading.Event()
    request = threading.Thread(target=serve, args=(request_in_a_transaction(shared, started, go_on),))
    request.start()
    started.wait(5)
    with pytest.raises(OperationalError, match="within a transaction"):
        writes(shared, "test")
    go_on.set()
    request.join(5)


def test_the_tests_write_waits_until_the_request_has_sent_its_answer(shared):
    turns = Turns(shared)
    shared.execute_wrappers.append(turns.statement)
    started, go_on = threading.Event(), threading.Event()
    request = threading.Thread(
        target=serve, args=(turns.wrap(request_in_a_transaction(shared, started, go_on)),)
    )
    request.start()
    started.wait(5)
    threading.Timer(0.2, go_on.set).start()
    writes(shared, "test").execute("COMMIT")
    request.join(5)
    assert writers(shared) == ["request", "test"]


def test_a_request_waits_until_the_tests_transaction_is_committed(shared):
    turns = Turns(shared)
    shared.execute_wrappers.append(turns.statement)
    started, go_on = threading.Event(), threading.Event()
    go_on.set()
    cursor = writes(shared, "test")
    request = threading.Thread(
        target=serve, args=(turns.wrap(request_in_a_transaction(shared, started, go_on)),)
    )
    request.start()
    assert not started.wait(0.3)  # the request has not begun while the test's transaction is open
    cursor.execute("COMMIT")
    assert started.wait(5)
    request.join(5)
    assert writers(shared) == ["request", "test"]
