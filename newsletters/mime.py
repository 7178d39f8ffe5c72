"""An issue's message as bytes, built once per issue and audience, for the SMTP route.

Building a message through Django's EmailMessage costs more than sending it over a reused
connection: the MIME tree, its encodings and the generator run again for every reader. Here
Django builds the copy once, with markers where the reader's links go, and each message is
those bytes with the per-reader parts put in: To, Date, Message-ID and List-Unsubscribe,
folded by the same policy as Django's generator, and the leave and preferences links in the
bodies. The bytes then go to the connection's smtplib object as Django's SMTP backend sends them.

This only holds while the bodies go as 7bit or 8bit text, where a marker is a plain run of
bytes: a body Django would encode as quoted-printable (a line over 998 bytes) or base64 would
split or transform the markers. Such a copy, or one whose reader's links would make a line too
long, goes through Django's EmailMessage instead, as does every message when
NEWSLETTER_PREBUILT_MIME is off or the backend is not SMTP (anymail and the others).
"""

from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import forbid_multi_line_headers, sanitize_address
from django.core.mail.utils import DNS_NAME

from . import rendering

# RFC 5322's limit: past it Django switches a body to quoted-printable.
LINE_LIMIT = 998
PLAIN_ENCODINGS = {"7bit", "8bit"}
# Stands in for the reader's address while the copy is built.
TO_MARK = "to-mark@canary.invalid"


def message(copy, newsletter, address, leave, preferences, connection=None, message_id=None):
    """The reader's message as Django builds it: the path every backend can take. A message id
    of our own is kept by the delivery, so the provider's later events find it."""
    text, html = copy.personalise(leave, preferences)
    headers = {
        "List-Unsubscribe": f"<{leave}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": rendering.list_id(newsletter),
    }
    if message_id:
        headers["Message-ID"] = message_id
    built = EmailMultiAlternatives(
        copy.subject,
        text,
        rendering.sender(newsletter),
        [address],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers=headers,
        connection=connection,
    )
    built.attach_alternative(html, "text/html")
    return built


def usable(connection):
    return settings.NEWSLETTER_PREBUILT_MIME and isinstance(connection, SMTPBackend)


class Prebuilt:
    """One copy's message as bytes, to be filled in per reader; `fits` says whether it may be."""

    def __init__(self, copy, newsletter):
        self.marks = copy.marks
        self.encoding = settings.DEFAULT_CHARSET
        template = message(copy, newsletter, TO_MARK, *copy.marks)
        self.sender = sanitize_address(template.from_email, self.encoding)
        built = template.message()
        self.fits = all(
            part.is_multipart() or part.get("Content-Transfer-Encoding", "7bit") in PLAIN_ENCODINGS
            for part in built.walk()
        )
        raw = built.as_bytes(linesep="\r\n")
        self.body = raw[raw.index(b"\r\n\r\n") + 4 :]
        policy = built.policy.clone(linesep="\r\n")
        self.fold = policy.fold_binary
        # The header block in Django's order; None where the reader's own value goes.
        self.headers = [
            (name, None if name in PER_READER else self.fold(name, value))
            for name, value in built.raw_items()
        ]
        self.growth = self._marked_lines()

    def _marked_lines(self):
        """For each body line holding a marker: its length without them and how many of each."""
        found = []
        marks = [mark.encode() for mark in self.marks]
        for line in self.body.split(b"\r\n"):
            counts = [line.count(mark) for mark in marks]
            if any(counts):
                bare = len(line) - sum(n * len(mark) for n, mark in zip(counts, marks, strict=True))
                found.append((bare, counts))
        return found

    def fits_links(self, links):
        """Whether these links keep every line within the limit, as Django's 8bit needs."""
        sizes = [len(link) for link in links]
        return all(
            bare + sum(n * size for n, size in zip(counts, sizes, strict=True)) <= LINE_LIMIT
            for bare, counts in self.growth
        )

    def bytes_for(self, address, leave, preferences, message_id=None):
        values = {
            "To": address,
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": message_id or make_msgid(domain=DNS_NAME),
            "List-Unsubscribe": f"<{leave}>",
        }
        head = b"".join(
            folded
            if folded is not None
            else self.fold(*forbid_multi_line_headers(name, values[name], self.encoding))
            for name, folded in self.headers
        )
        body = self.body
        for mark, link in zip(self.marks, (leave, preferences), strict=True):
            body = body.replace(mark.encode(), link.encode())
        return head + b"\r\n" + body

    def send(self, connection, address, leave, preferences, message_id=None):
        """Send the reader's message on the open connection, as Django's SMTP backend would."""
        data = self.bytes_for(address, leave, preferences, message_id)
        connection.connection.sendmail(self.sender, [sanitize_address(address, self.encoding)], data)


PER_READER = {"To", "Date", "Message-ID", "List-Unsubscribe"}
