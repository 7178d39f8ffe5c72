"""A real SMTP server on a free loopback port, for tests that deliver email end to end."""

import asyncio
import socket
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server accepted, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default)
        message.recipients = list(envelope.rcpt_tos)
        message.raw = envelope.original_content or envelope.content
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def parts(self, message):
        """The plain-text and HTML bodies of a message."""
        return (
            message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content(),
        )


class SlowInbox(Inbox):
    """A sink that takes a moment over each message, as a real relay does."""

    def __init__(self, pause):
        super().__init__()
        self.pause = pause

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.pause)
        return await super().handle_DATA(server, session, envelope)


def start(settings, inbox=None):
    """Serve `inbox` (a fresh Inbox by default) and point Django's mail at it."""
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return controller, inbox
