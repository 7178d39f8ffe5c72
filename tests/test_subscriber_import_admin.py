"""The audience team's import page: the upload is stored in chunks, the worker imports it, the page
shows progress and the report; a dry run first, then for real; the mailing is its own action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from mailroom.models import Email
from newsletters import import_uploads
from newsletters.factories import make_newsletter
from newsletters.import_uploads import StoredFile, run_upload
from newsletters.models import Subscriber, SubscriberImport, SubscriberImportChunk, Subscription, Suppression
from tests.test_finance_admin import staff_client
from tests.test_subscriber_import import CLEANED, OURS, SUBSCRIBED, UNSUBSCRIBED, a_zip

# The worker runs in the test, and closes its connection as a real worker does: real commits.
pytestmark = pytest.mark.django_db(transaction=True)

ADD = "/admin/newsletters/subscriberimport/add/"
LIST = "/admin/newsletters/subscriberimport/"


@pytest.fixture
def daily():
    return make_newsletter()


FILE = OURS.encode()


def upload(client, daily, data=FILE, name="members.csv", dry_run=False):
    form = {"newsletter": daily.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(ADD, form)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_upload_is_stored_and_the_worker_imports_it_not_the_request(daily):
    audience = staff_client("Audience")
    assert upload(audience, daily).status_code == 302
    stored = SubscriberImport.objects.get()
    assert (stored.status, stored.file_name, stored.uploaded_by.username) == (
        "queued",
        "members.csv",
        "audience",
    )
    assert stored.size == len(OURS.encode()) and stored.chunks.exists()
    assert not Subscriber.objects.exists()  # nothing imported while the page waited
    assert "Waiting for the worker" in audience.get(LIST).content.decode()
    run_worker()
    stored.refresh_from_db()
    assert (stored.status, stored.lines_read, stored.percent_read()) == ("done", 7, 100)
    assert stored.counts == {"added": 4, "updated": 0, "skipped": 1, "invalid": 2}
    assert not stored.chunks.exists()  # imported, so the file with its addresses is not kept
    page = audience.get(f"{LIST}{stored.pk}/change/").content.decode()
    assert "members.csv line 2: added: ann@example.com subscribed" in page
    assert "line 3: email &#x27;not-an-address&#x27; is not an email address" in page
    assert '<progress max="100" value="100"' in page
    assert set(Subscription.objects.values_list("subscriber__email", flat=True)) == {
        "ann@example.com",
        "cy@example.com",
    }
    assert not Email.objects.exists()


def test_a_zip_read_back_across_many_small_chunks(daily, monkeypatch):
    monkeypatch.setattr(import_uploads, "CHUNK_BYTES", 97)  # a zip seeks across every boundary
    data = a_zip(subscribed=SUBSCRIBED, unsubscribed=UNSUBSCRIBED, cleaned=CLEANED)
    upload(staff_client("Audience"), daily, data=data, name="audience.zip")
    stored = SubscriberImport.objects.get()
    assert stored.chunks.count() == -(-len(data) // 97)
    with StoredFile(stored) as reread:
        assert reread.read() == data
    run_worker()
    stored.refresh_from_db()
    assert stored.status == "done" and stored.counts["added"] == 4
    assert list(Subscription.objects.values_list("subscriber__email", flat=True)) == ["sam@example.com"]
    assert Suppression.objects.count() == 3


def test_a_dry_run_changes_nothing_until_it_is_imported_for_real(daily):
    audience = staff_client("Audience")
    upload(audience, daily, dry_run=True)
    run_worker()
    checked = SubscriberImport.objects.get()
    assert "Dry run, nothing changed" in checked.report and not Subscriber.objects.exists()
    assert checked.chunks.exists()  # kept for the real run
    audience.post(LIST, {"action": "import_for_real", "_selected_action": [checked.pk]})
    run_worker()
    real = SubscriberImport.objects.exclude(pk=checked.pk).get()
    assert (real.dry_run, real.status, real.counts["added"]) == (False, "done", 4)
    assert Subscription.objects.count() == 2


def test_a_file_that_cannot_be_read_is_refused_with_the_reason(daily):
    upload(staff_client("Audience"), daily, data=b"who,what\nann@example.com,5\n")
    run_worker()
    refused = SubscriberImport.objects.get()
    assert refused.status == "refused" and "the header has no email column" in refused.report


def test_a_file_over_the_limit_is_refused_at_the_upload(daily, settings):
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 50
    response = upload(staff_client("Audience"), daily)
    assert response.status_code == 200 and "the limit is" in response.content.decode()
    assert not SubscriberImport.objects.exists() and not SubscriberImportChunk.objects.exists()


def test_an_import_task_delivered_twice_imports_once(daily):
    upload(staff_client("Audience"), daily)
    stored = SubscriberImport.objects.get()
    run_worker()
    assert run_upload(stored.pk) == "not queued"
    assert Subscription.objects.count() == 2


def test_the_confirmation_mailing_is_its_own_action_and_reaches_only_recorded_consents(daily):
    audience = staff_client("Audience")
    upload(audience, daily)
    run_worker()
    assert not Email.objects.exists()
    done = SubscriberImport.objects.get()
    audience.post(LIST, {"action": "send_confirmation_mailing", "_selected_action": [done.pk]})
    # Ann's row had a consent date; Cy's did not, and is not written to.
    assert list(Email.objects.values_list("to", "template")) == [("ann@example.com", "newsletters/imported")]


@pytest.mark.parametrize("role", ["Editor", "Finance"])
def test_only_the_audience_team_may_upload(daily, role):
    assert upload(staff_client(role), daily).status_code == 403
    assert not SubscriberImport.objects.exists()
