"""Finance sees the money and the people; editors see totals only."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from supporters.models import Donation, Supporter
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db


def staff_client(role):
    user = get_user_model().objects.create_user(
        role.lower(), f"{role.lower()}@example.com", "pw-long-enough-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gifts():
    give(Client(), amount="5", email="a@example.com", name='=HYPERLINK("http://evil")')
    give(Client(), amount="20", frequency="one_off", email="b@example.com", name="Bea")
    give(Client(), amount="7", frequency="one_off", email="c@example.com", pay=False)


def test_finance_sees_donations_with_the_total_of_the_filtered_list(gifts):
    page = staff_client("Finance").get("/admin/supporters/donation/?status__exact=paid").content.decode()
    assert "Total of the 2 listed: £25" in page
    assert "a@example.com" in page


def test_finance_cannot_change_a_payment(gifts):
    client = staff_client("Finance")
    donation = Donation.objects.filter(status="paid").first()
    client.post(f"/admin/supporters/donation/{donation.pk}/change/", {"status": "refunded"})
    donation.refresh_from_db()
    assert donation.status == "paid"
    assert client.get("/admin/supporters/donation/add/").status_code == 403


def test_csv_export_neutralises_spreadsheet_formulas(gifts, caplog):
    client = staff_client("Finance")
    ids = list(Supporter.objects.values_list("pk", flat=True))
    response = client.post("/admin/supporters/supporter/", {"action": "export_csv", "_selected_action": ids})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["email", "name", "name typed at checkout", "supporter since", "member"]
    names = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    assert any(
        "exported" in record.getMessage() and "finance" in record.getMessage() for record in caplog.records
    )


def test_editor_sees_totals_but_no_personal_data(gifts):
    client = staff_client("Editor")
    index = client.get("/admin/").content.decode()
    assert "Received this month" in index
    assert "£25" in index
    assert client.get("/admin/supporters/supporter/").status_code == 403
    assert client.get("/admin/supporters/donation/").status_code == 403


def test_contributor_sees_no_money_at_all(gifts):
    client = staff_client("Contributor")
    assert "Received this month" not in client.get("/admin/").content.decode()
    assert client.get("/admin/supporters/donation/").status_code == 403


def test_dashboard_chart_is_an_inline_svg(gifts):
    page = staff_client("Finance").get("/admin/").content.decode()
    assert '<svg class="giving-chart"' in page
    assert "per week over the last year" in page
