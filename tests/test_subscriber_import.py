"""manage.py import_subscribers: our CSV and the hosted list's three exports (and their zip), read
as a stream, imported twice to no effect, never lifting a suppression and never emailing anyone."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mailroom.models import Email
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Consent, Subscriber, Subscription, Suppression, address_hash

pytestmark = pytest.mark.django_db

OURS = (
    "email,name,status,consent_date,source\n"
    "ann@example.com,Ann,,2021-03-04,website form\n"  # line 2
    "not-an-address,Bo,,,\n"  # line 3
    "ANN@example.com,Ann again,,,\n"  # line 4: the same address
    "cy@example.com,,,,\n"  # line 5: no consent date
    "dee@example.com,Dee,unsubscribed,,\n"  # line 6
    "eve@example.com,Eve,maybe,,\n"  # line 7
    "fay@example.com,Fay,complained,,\n"  # line 8
)
MEMBER_COLUMNS = "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES"
SUBSCRIBED = f"{MEMBER_COLUMNS},TAGS\nsam@example.com,Sam,Smith,2,2019-01-02 10:00:00,,2019-01-02 10:05:00,,,,,,,,,2020-01-01 00:00:00,1,a1,,\nuna@example.com,Una,,2,,,,,,,,,,,,,2,a2,,\n"
UNSUBSCRIBED = f"{MEMBER_COLUMNS},UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\nuna@example.com,Una,,2,,,,,,,,,,,,,2,a2,,2022-05-05 09:00:00,Weekly,c1,No longer interested,\nvic@example.com,Vic,,1,,,,,,,,,,,,,3,a3,,2022-05-06 09:00:00,,,Abuse complaint,\n"
CLEANED = f"{MEMBER_COLUMNS},CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\nwil@example.com,Wil,,1,,,,,,,,,,,,,4,a4,,2022-06-01 00:00:00,Weekly,c2\n"


@pytest.fixture
def daily():
    return make_newsletter()


def run(tmp_path, text, *args, name="members.csv", data=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_subscribers", str(path), "--newsletter", "daily", *args, stdout=out)
    return out.getvalue()


def a_zip(**files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{name}_members_export_9f.csv", text)
    return buffer.getvalue()


def state(daily):
    return {
        s.subscriber.email: s.status
        for s in Subscription.objects.filter(newsletter=daily).select_related("subscriber")
    }


def suppressed(email, daily):
    rows = Suppression.objects.filter(address_hash=address_hash(email))
    return sorted(("all" if s.newsletter_id is None else "daily", s.reason) for s in rows)


def test_our_csv_reports_each_row_by_line_and_emails_nobody(tmp_path, daily):
    out = run(tmp_path, OURS)
    assert "line 2: added: ann@example.com subscribed" in out
    assert "line 3: email 'not-an-address' is not an email address" in out
    assert "line 4: skipped: ann@example.com is on line 2 of this file too" in out
    assert "line 5: added: cy@example.com subscribed (no consent date recorded)" in out
    assert "line 6: added: dee@example.com unsubscribed: suppressed for this newsletter" in out
    assert "line 7: status 'maybe' is not subscribed" in out
    assert "line 8: added: fay@example.com complained: suppressed for every newsletter" in out
    assert "3 added" not in out and "4 added, 0 updated, 1 skipped, 2 invalid." in out
    assert state(daily) == {"ann@example.com": "subscribed", "cy@example.com": "subscribed"}
    assert Subscriber.objects.get(email="ann@example.com").name == "Ann"
    assert suppressed("dee@example.com", daily) == [("daily", "imported")]
    assert suppressed("fay@example.com", daily) == [("all", "complained")]
    ann = Consent.objects.get(subscription__subscriber__email="ann@example.com")
    assert (ann.endpoint, ann.page, ann.confirmed_at.date().isoformat()) == (
        "import: members.csv",
        "website form",
        "2021-03-04",
    )
    assert Consent.objects.get(subscription__subscriber__email="cy@example.com").confirmed_at is None
    assert Subscription.objects.filter(source="import").count() == 2
    assert not Email.objects.exists()  # an import never emails anyone


def test_importing_twice_adds_nothing(tmp_path, daily):
    run(tmp_path, OURS)
    before = (Subscription.objects.count(), Consent.objects.count(), Suppression.objects.count())
    out = run(tmp_path, OURS)
    assert "0 added, 0 updated, 5 skipped, 2 invalid." in out
    assert (Subscription.objects.count(), Consent.objects.count(), Suppression.objects.count()) == before


def test_dry_run_writes_nothing(tmp_path, daily):
    out = run(tmp_path, OURS, "--dry-run")
    assert "Dry run, nothing changed: would have 4 added, 0 updated, 1 skipped, 2 invalid." in out
    assert (
        not Subscriber.objects.exists() and not Suppression.objects.exists() and not Consent.objects.exists()
    )


def test_the_hosted_lists_three_files_are_told_apart_by_their_columns(tmp_path, daily):
    out = run(tmp_path, SUBSCRIBED, name="subscribed.csv")
    assert "2 added" in out
    assert Subscriber.objects.get(email="sam@example.com").name == "Sam Smith"
    consent = Consent.objects.get(subscription__subscriber__email="sam@example.com")
    assert consent.confirmed_at.isoformat() == "2019-01-02T10:05:00+00:00"  # CONFIRM_TIME
    out = run(tmp_path, UNSUBSCRIBED, name="unsubscribed.csv")
    # Una was imported subscribed a moment ago: the old list says she left, so she has.
    assert "line 2: updated: una@example.com unsubscribed: suppressed for this newsletter" in out
    assert "line 3: added: vic@example.com complained: suppressed for every newsletter" in out
    run(tmp_path, CLEANED, name="cleaned.csv")
    assert state(daily) == {"sam@example.com": "subscribed", "una@example.com": "unsubscribed"}
    assert suppressed("una@example.com", daily) == [("daily", "imported")]
    assert suppressed("wil@example.com", daily) == [("all", "bounced")]
    # A later file naming them as subscribed brings none of them back.
    again = "email\nuna@example.com\nvic@example.com\nwil@example.com\n"
    out = run(tmp_path, again, name="again.csv")
    assert "0 added, 0 updated, 3 skipped, 0 invalid." in out
    assert "line 2: skipped: una@example.com is suppressed here; an import does not bring it back" in out
    assert state(daily)["una@example.com"] == "unsubscribed"


def test_the_zip_of_the_three_keeps_every_unsubscribe_whatever_its_order(tmp_path, daily):
    data = a_zip(subscribed=SUBSCRIBED, unsubscribed=UNSUBSCRIBED, cleaned=CLEANED)
    out = run(tmp_path, "", name="audience.zip", data=data)
    # Una is in both files: the unsubscribed file is read first, so she never becomes a subscriber.
    assert (
        "audience.zip: subscribed_members_export_9f.csv line 3: skipped: una@example.com is suppressed" in out
    )
    assert state(daily) == {"sam@example.com": "subscribed"}
    assert out.splitlines()[-1] == "4 added, 0 updated, 1 skipped, 0 invalid."
    assert suppressed("vic@example.com", daily) == [("all", "complained")]
    assert suppressed("wil@example.com", daily) == [("all", "bounced")]
    out = run(tmp_path, "", name="audience.zip", data=data)
    assert "0 added, 0 updated, 5 skipped, 0 invalid." in out


def test_an_existing_suppression_is_never_undone(tmp_path, daily):
    for email, letter, reason in [
        ("ann@example.com", daily, Suppression.Reason.UNSUBSCRIBED),
        ("cy@example.com", None, Suppression.Reason.ERASED),
        ("fay@example.com", daily, Suppression.Reason.UNSUBSCRIBED),
    ]:
        Suppression.objects.create(address_hash=address_hash(email), newsletter=letter, reason=reason)
    out = run(tmp_path, OURS)
    assert "line 2: skipped: ann@example.com is suppressed here" in out
    assert "line 5: skipped: cy@example.com is suppressed here" in out
    assert state(daily) == {}
    # A complaint widens a one-letter suppression to every letter; it never narrows or lifts one.
    assert suppressed("fay@example.com", daily) == [("all", "complained"), ("daily", "unsubscribed")]
    assert suppressed("cy@example.com", daily) == [("all", "erased")]


def test_a_readers_own_subscription_here_outranks_the_old_lists_unsubscribe(tmp_path, daily):
    subscribed(daily, "dee@example.com")
    subscribed(daily, "ann@example.com", status="pending")
    out = run(tmp_path, OURS)
    assert "line 6: skipped: dee@example.com signed up here themselves" in out
    assert "line 2: updated: ann@example.com was waiting for confirmation" in out
    assert state(daily)["dee@example.com"] == "subscribed" and state(daily)["ann@example.com"] == "subscribed"
    assert suppressed("dee@example.com", daily) == []


def test_a_name_is_filled_in_never_overwritten(tmp_path, daily):
    subscribed(daily, "ann@example.com")
    subscribed(daily, "cy@example.com", name="Cyril")
    out = run(tmp_path, OURS.replace("cy@example.com,,", "cy@example.com,Someone else,"))
    assert "line 2: updated: ann@example.com: name filled in" in out
    assert "line 5: skipped: cy@example.com is already subscribed" in out
    assert Subscriber.objects.get(email="cy@example.com").name == "Cyril"


def test_formula_cells_are_quoted_in_the_report(tmp_path, daily):
    out = run(tmp_path, 'email,name\n=HYPERLINK("http://x"),\n')
    assert "line 2: email '=hyperlink" not in out and "email ''=hyperlink" in out


def test_the_exit_codes_say_whether_the_file_could_be_read(tmp_path, daily, settings):
    assert "invalid" in run(tmp_path, "email\nnope\n")  # refused rows: still exit 0
    with pytest.raises(CommandError, match="could not be read: No such file"):
        call_command("import_subscribers", str(tmp_path / "missing.csv"), "--newsletter", "daily")
    with pytest.raises(CommandError, match="no email column"):
        run(tmp_path, "name,status\nAnn,\n")
    with pytest.raises(CommandError, match="is empty"):
        run(tmp_path, "")
    with pytest.raises(CommandError, match="not UTF-8"):
        run(tmp_path, "", data=b"email\n\xff\xfe\x00bad\n")
    with pytest.raises(CommandError, match="no CSV file"):
        run(tmp_path, "", name="x.zip", data=empty_zip())
    with pytest.raises(CommandError, match="There is no newsletter 'weekly'"):
        call_command("import_subscribers", "x.csv", "--newsletter", "weekly")
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 20
    with pytest.raises(CommandError, match="the limit is"):
        run(tmp_path, OURS)
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 10_000
    settings.NEWSLETTER_IMPORT_MAX_ROWS = 3
    with pytest.raises(CommandError, match="more than 3 rows"):
        run(tmp_path, OURS)


def empty_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    return buffer.getvalue()


def test_a_zip_that_unpacks_too_far_is_refused(tmp_path, daily, settings):
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 2_000
    bomb = "email\n" + "x@example.com\n" * 20_000  # 280 kB, compressed to a few hundred bytes
    with pytest.raises(CommandError, match="unpack to more than the limit"):
        run(tmp_path, "", name="bomb.zip", data=a_zip(subscribed=bomb))


def test_a_zip_whose_files_together_unpack_too_far_is_refused(tmp_path, daily, settings):
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 2_000  # 40 kB unpacked in all
    part = "email\n" + "x@example.com\n" * 2_500  # 35 kB each: under the limit alone, not together
    with pytest.raises(CommandError, match="unpack to more than the limit"):
        run(tmp_path, "", name="parts.zip", data=a_zip(one=part, two=part, three=part))


def test_too_many_files_in_a_zip_and_a_line_too_long_to_be_a_row_are_refused(tmp_path, daily):
    many = a_zip(**{f"part{n}": "email\nann@example.com\n" for n in range(11)})
    with pytest.raises(CommandError, match="holds 11 CSV files"):
        run(tmp_path, "", name="many.zip", data=many)
    with pytest.raises(CommandError, match="longer than 64 KB"):
        run(tmp_path, "email\nann@example.com" + "," * 70_000 + "\n")
    assert Subscription.objects.count() == 0


def test_confirmations_go_only_to_imported_rows_with_a_recorded_consent(tmp_path, daily):
    subscribed(daily, "own@example.com")  # signed up here: not the import's to write to
    run(tmp_path, OURS + "gus@example.com,Gus,,2020-01-01,\n")
    Subscription.objects.get(subscriber__email="gus@example.com").leave()
    out = io.StringIO()
    call_command("import_subscribers", "--newsletter", "daily", "--send-confirmations", stdout=out)
    assert "Confirmation emails queued: 1." in out.getvalue()
    assert list(Email.objects.values_list("to", "template")) == [("ann@example.com", "newsletters/imported")]
    call_command("import_subscribers", "--newsletter", "daily", "--send-confirmations", stdout=out)
    assert Email.objects.count() == 1  # once each


def test_batches_meet_each_other_in_the_database(tmp_path, daily, monkeypatch):
    from newsletters import importing

    monkeypatch.setattr(importing, "BATCH", 2)  # every row pair is its own batch and transaction
    out = run(tmp_path, OURS + "ann@example.com,,unsubscribed,,\n")
    assert "line 4: skipped: ann@example.com is already subscribed" in out  # written by an earlier batch
    # Ann's own later row says she left: the subscription the import gave her ends.
    assert "line 9: updated: ann@example.com unsubscribed: suppressed for this newsletter" in out
    assert state(daily)["ann@example.com"] == "unsubscribed"
