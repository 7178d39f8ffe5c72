"""Tracking webhooks as the providers send them: Mailgun's signed JSON (one event a request)
and SendGrid's batches (a JSON list), in the shapes their docs give, with our basic auth."""

import base64
import hashlib
import hmac
import json
import secrets
import time

SECRET = "canary:hook-secret"
MAILGUN_KEY = "mailgun-webhook-signing-key"
MAILGUN_URL = "/newsletters/provider/mailgun/tracking/"
SENDGRID_URL = "/newsletters/provider/sendgrid/tracking/"


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def mailgun_event(event, recipient, message_id="", key=MAILGUN_KEY, token=None, **data):
    """A Mailgun webhook body, signed with `key` as Mailgun signs (HMAC-SHA256 of timestamp+token)."""
    timestamp = str(int(time.time()))
    token = token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    event_data = {
        "event": event,
        "id": secrets.token_urlsafe(16),
        "timestamp": time.time(),
        "log-level": "error" if event == "failed" else "info",
        "recipient": recipient,
        "tags": [],
        "user-variables": {},
        "message": {
            "headers": {
                "to": recipient,
                "message-id": message_id,
                "from": "The Daily Canary <letters@example.org>",
                "subject": "This week at the co-op",
            },
            "attachments": [],
            "size": 4210,
        },
        **data,
    }
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": event_data,
    }


def permanent_failure(recipient, message_id=""):
    return mailgun_event(
        "failed",
        recipient,
        message_id,
        severity="permanent",
        reason="bounce",
        **{
            "delivery-status": {
                "code": 550,
                "message": "5.1.1 The email account that you tried to reach does not exist.",
                "description": "",
                "attempt-no": 1,
            }
        },
    )


def temporary_failure(recipient):
    return mailgun_event(
        "failed",
        recipient,
        severity="temporary",
        reason="generic",
        **{"delivery-status": {"code": 452, "message": "4.2.2 Mailbox full", "attempt-no": 1}},
    )


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **{**auth(), **headers})
