"""The prebuilt message: the bytes built once per issue and audience, with each reader's parts
put in, are the message Django's EmailMessage builds for that reader, header for header and part
for part, apart from the Message-ID and Date every message has of its own."""

import re
from email import message_from_bytes
from email.policy import default

import pytest
from django.core.management import call_command

from newsletters import mime, rendering, sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.tokens import read_leave_token, read_preferences_token
from supporters.models import CallToAction

pytestmark = pytest.mark.django_db(transaction=True)

OWN = {"message-id", "date"}
LONG_SITE = "https://the-very-long-named-co-operative-newsroom.example.org/with/a/path/of/its/own/ünïcode"


def normalised(raw):
    """The bytes with the per-message Message-ID, Date and multipart boundary taken out."""
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = re.sub(rb"\r\n[ \t]", b" ", head).split(b"\r\n")
    kept = [line for line in lines if line.split(b":", 1)[0].lower().decode() not in OWN]
    boundary = message_from_bytes(raw, policy=default).get_boundary().encode()
    return b"\r\n".join(kept).replace(boundary, b"BOUNDARY"), body.replace(boundary, b"BOUNDARY")


def parsed(raw):
    message = message_from_bytes(raw, policy=default)
    headers = [(k, str(v)) for k, v in message.items() if k.lower() not in OWN and k != "Content-Type"]
    parts = [
        (
            part.get_content_type(),
            part["Content-Transfer-Encoding"],
            part.get_content_charset(),
            part.get_content(),
        )
        for part in message.walk()
        if not part.is_multipart()
    ]
    return headers, message.get_content_type(), parts


@pytest.fixture
def letter(settings):
    settings.SITE_URL = LONG_SITE
    CallToAction.objects.create(
        name="Appeal", placement="email", headline="Gardd y Canari — ymunwch", link="/support/"
    )
    newsletter = make_newsletter(
        "Le Canari du matin — Zoë’s letter", sender_name="Zoë Ørsted", reply_to="zoë@example.com"
    )
    issue = make_issue(
        newsletter,
        "Bibliothèque sauvée; “fares” up — 10 stories, ça va " + "très " * 12,
        introduction="Bore da. Gŵyl y llyfrgell — “quoted” & <angled>.\n\n" + "Ünïcode everywhere. " * 20,
    )
    return newsletter, issue


@pytest.mark.parametrize("member", [False, True])
@pytest.mark.parametrize(
    "address", ["reader@example.com", "zoë@exämple.com", "a" * 60 + "@" + "b" * 60 + ".example"]
)
def test_the_prebuilt_message_is_the_message_django_builds(letter, member, address):
    newsletter, issue = letter
    subscriber = subscribed(newsletter, address)
    copy = rendering.render(issue, member=member)
    leave, preferences = rendering.links_for(subscriber, newsletter)
    assert len(f"List-Unsubscribe: <{leave}>") > 78  # folded, so folding is compared too
    old = mime.message(copy, newsletter, address, leave, preferences).message().as_bytes(linesep="\r\n")
    built = mime.Prebuilt(copy, newsletter)
    assert built.fits and built.fits_links((leave, preferences))
    new = built.bytes_for(address, leave, preferences)
    assert parsed(new) == parsed(old)
    assert normalised(new) == normalised(old)
    text = parsed(new)[2][0][3]
    assert leave in text and preferences in text and "urn:canary" not in text
    assert ("Gardd y Canari" in text) is not member


def test_a_body_django_would_encode_goes_the_old_way_and_arrives_whole(smtp_server, settings):
    settings.SITE_URL = LONG_SITE
    newsletter = make_newsletter()
    reader = subscribed(newsletter, "reader@example.com")
    # One paragraph longer than a mail line may be: Django sends that body quoted-printable.
    issue = make_issue(newsletter, "Long", introduction="Ünïcode " * 200)
    assert not mime.Prebuilt(rendering.render(issue, member=False), newsletter).fits
    sending.start(issue)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (message,) = smtp_server.messages
    text, html = smtp_server.parts(message)
    assert message["Content-Transfer-Encoding"] is None
    assert "quoted-printable" in message.raw.decode()
    # The reader's own links, whole (their tokens carry the second they were signed).
    leave = str(message["List-Unsubscribe"]).strip()[1:-1]
    assert read_leave_token(leave.rstrip("/").rsplit("/", 1)[1])[:2] == (reader.pk, newsletter.pk)
    preferences = re.search(r"Choose your newsletters: (\S+)", text).group(1)
    assert read_preferences_token(preferences.rstrip("/").rsplit("/", 1)[1])[0] == reader.pk
    for part in (text, html):
        assert leave in part and preferences in part and "urn:canary" not in part


def test_links_too_long_for_a_line_go_the_old_way():
    newsletter = make_newsletter()
    copy = rendering.render(make_issue(newsletter), member=True)
    built = mime.Prebuilt(copy, newsletter)
    assert built.fits_links(("https://x.example/leave", "https://x.example/choose"))
    assert not built.fits_links(("https://x.example/" + "l" * 1000, "https://x.example/choose"))


@pytest.mark.parametrize("prebuilt", [True, False])
def test_what_the_server_receives_is_the_same_either_way(smtp_server, settings, prebuilt):
    settings.SITE_URL = LONG_SITE
    settings.NEWSLETTER_PREBUILT_MIME = prebuilt
    newsletter = make_newsletter("Le Canari — Zoë’s letter")
    readers = [subscribed(newsletter, f"reader{n}@example.com") for n in range(3)]
    issue = make_issue(newsletter, "Ça va — “quoted”", introduction="Gŵyl y llyfrgell.")
    sending.start(issue)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m["To"] for m in smtp_server.messages) == [r.email for r in readers]
    # Built once, every copy shares its multipart boundary; built by Django, each has its own.
    boundaries = {message.get_boundary() for message in smtp_server.messages}
    assert len(boundaries) == (1 if prebuilt else 3)
    copy = rendering.render(issue, member=False, tracked=True)  # as readers get it
    for message in smtp_server.messages:
        reader = next(r for r in readers if r.email == message["To"])
        # The reader's own links as sent: their tokens carry the second they were signed.
        leave = str(message["List-Unsubscribe"]).strip()[1:-1]
        preferences = re.search(r"Choose your newsletters: (\S+)", smtp_server.parts(message)[0]).group(1)
        assert read_leave_token(leave.rstrip("/").rsplit("/", 1)[1])[:2] == (reader.pk, newsletter.pk)
        expected = mime.message(copy, newsletter, reader.email, leave, preferences).message()
        assert parsed(message.raw) == parsed(expected.as_bytes(linesep="\r\n"))
        assert normalised(message.raw) == normalised(expected.as_bytes(linesep="\r\n"))
