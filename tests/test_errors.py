import json
import logging

import pytest
from django.test import RequestFactory

from canary.errors import server_error
from canary.logging import OneLineFormatter


@pytest.mark.django_db
def test_missing_page_uses_the_sites_own_404(anonymous):
    response = anonymous.get("/nothing-here/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert 'role="search"' in response.content.decode()


def test_server_error_page_renders_without_the_database():
    # No django_db mark: any database query here fails the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_error_log_is_one_json_line_with_path_and_status():
    request = RequestFactory().get("/broken/page/")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/broken/page/",),
            sys.exc_info(),
        )
    record.request = request
    record.status_code = 500
    line = OneLineFormatter().format(record)
    assert "\n" not in line
    event = json.loads(line)
    assert event["path"] == "/broken/page/"
    assert event["status"] == 500
    assert "ValueError: boom" in event["exception"]
