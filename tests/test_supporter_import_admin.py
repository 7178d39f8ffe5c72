"""Finance's import page: the upload is stored, the worker imports it, the page shows the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supporters import import_rows
from supporters.import_uploads import run_upload
from supporters.models import Plan, Supporter, SupporterImport
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.test_finance_admin import staff_client

# The worker runs in the test, and closes its connection as a real worker does: real commits.
pytestmark = pytest.mark.django_db(transaction=True)

ADD = "/admin/supporters/supporterimport/add/"
HEADER = "email,name,amount,currency,frequency,status,start_date,next_payment_date,stripe_customer_id,stripe_subscription_id"
FILE = f"{HEADER}\nann@example.com,Ann,5,GBP,monthly,active,2021-01-01,,,\nbad@example.com,,abc,GBP,monthly,active,,,,\n"


def upload(client, text=FILE, dry_run=False):
    data = {"file": SimpleUploadedFile("old-shop.csv", text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(ADD, data)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_finance_uploads_a_file_and_the_worker_imports_it_not_the_request():
    finance = staff_client("Finance")
    response = upload(finance)
    assert response.status_code == 302
    stored = SupporterImport.objects.get()
    assert (stored.status, stored.file_name, stored.uploaded_by.username) == (
        "queued",
        "old-shop.csv",
        "finance",
    )
    assert not Supporter.objects.exists()  # nothing imported while Finance waited on the page
    run_worker()
    stored.refresh_from_db()
    assert stored.status == "done" and stored.lines_read == 3
    assert bytes(stored.content) == b""  # imported, so the file with its addresses is not kept
    assert stored.counts["added"] == 1 and stored.counts["invalid"] == 1
    page = finance.get(f"/admin/supporters/supporterimport/{stored.pk}/change/").content.decode()
    assert "line 2: added: ann@example.com as history" in page
    assert "line 3: amount &#x27;abc&#x27; is not a sum of money" in page
    assert Plan.objects.get().supporter.email == "ann@example.com"


def test_a_dry_run_upload_changes_nothing_until_finance_imports_it_for_real():
    finance = staff_client("Finance")
    upload(finance, dry_run=True)
    run_worker()
    checked = SupporterImport.objects.get()
    assert "Dry run, nothing changed" in checked.report and not Supporter.objects.exists()
    finance.post(
        "/admin/supporters/supporterimport/",
        {"action": "import_for_real", "_selected_action": [checked.pk]},
    )
    run_worker()
    real = SupporterImport.objects.exclude(pk=checked.pk).get()
    assert (real.dry_run, real.status) == (False, "done")
    assert Supporter.objects.filter(email="ann@example.com").exists()


def test_a_file_that_cannot_be_read_is_refused_with_the_reason():
    upload(staff_client("Finance"), text="who,what\nann@example.com,5\n")
    run_worker()
    refused = SupporterImport.objects.get()
    assert refused.status == "refused"
    assert "the header has no email, amount, frequency column" in refused.report


def test_a_file_over_the_limit_is_refused_at_the_upload(monkeypatch):
    monkeypatch.setattr(import_rows, "MAX_BYTES", 50)
    response = upload(staff_client("Finance"))
    assert response.status_code == 200
    assert "Split it into smaller files" in response.content.decode()
    assert not SupporterImport.objects.exists()


def test_an_import_task_delivered_twice_imports_once():
    upload(staff_client("Finance"))
    stored = SupporterImport.objects.get()
    run_worker()
    assert run_upload(stored.pk) == "not queued"
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("role", ["Editor", "Moderator", "Contributor"])
def test_only_finance_may_import_supporters(role):
    client = staff_client(role)
    assert client.get(ADD).status_code == 403
    assert client.get("/admin/supporters/supporterimport/").status_code == 403
    assert upload(client).status_code == 403
    assert not SupporterImport.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = upload(client)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not SupporterImport.objects.exists()


def test_finance_links_stripes_subscriptions_from_the_page_without_a_file(stripe_settings, fake_stripe):
    sub = fake_stripe.add_subscription(fake_stripe.add_customer("an@example.com"), 500)
    finance = staff_client("Finance")
    assert "Choose a file, or tick" in finance.post(ADD, {}).content.decode()
    assert finance.post(ADD, {"from_stripe": "on"}).status_code == 302
    run_worker()
    done = SupporterImport.objects.get()
    assert done.status == "done" and done.counts["linked"] == 1
    assert f"subscription {sub}: linked" in done.report
    assert Plan.objects.get().provider_subscription_id == sub


def test_the_list_of_imports_runs_the_same_queries_for_one_or_many():
    finance = staff_client("Finance")
    upload(finance)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert finance.get("/admin/supporters/supporterimport/").status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for _ in range(5):
        upload(finance)
    assert queries() == one
