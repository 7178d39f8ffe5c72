"""manage.py import_supporters with files from an old shop: each column, bad rows, limits, re-import.

Rows here carry no Stripe ids, so nothing reaches Stripe: they are kept as history.
tests/test_supporter_import_stripe.py covers the rows that link or start subscriptions.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mailroom.models import Email
from supporters import import_rows
from supporters.models import Donation, Plan, Supporter
from tests.test_finance_admin import staff_client

pytestmark = pytest.mark.django_db

HEADER = "email,name,amount,currency,frequency,status,start_date,next_payment_date,stripe_customer_id,stripe_subscription_id"


def write(tmp_path, text, name="supporters.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(path, *args):
    out = io.StringIO()
    call_command("import_supporters", path, *args, stdout=out)
    return out.getvalue()


def test_a_row_without_stripe_ids_is_history_with_no_running_plan_and_no_email(tmp_path):
    path = write(tmp_path, f"{HEADER}\nann@example.com,Ann Old,5.00,GBP,monthly,active,2021-03-04,,,\n")
    out = run(path)
    assert "line 2: added: ann@example.com as history (it has no Stripe ids, so it cannot renew)" in out
    assert "1 added, 0 linked, 0 created, 0 updated, 0 skipped, 0 invalid." in out
    supporter = Supporter.objects.get(email="ann@example.com")
    assert supporter.name == "Ann Old"
    plan = supporter.plans.get()
    assert (plan.status, plan.amount_pence, plan.frequency, plan.provider) == (
        "cancelled",
        500,
        "monthly",
        "import",
    )
    assert plan.created_at.date() == date(2021, 3, 4)
    assert plan.imported_at is not None and plan.cancelled_at is None
    assert not supporter.is_member
    assert not Email.objects.exists()


def test_headers_match_whatever_their_case_spaces_and_underscores_and_columns_may_be_in_any_order(tmp_path):
    path = write(
        tmp_path,
        "\ufeffFrequency, EMAIL ,AMOUNT,Start_Date,Na me,unknown thing\nannual,bo@example.com,£60,2020-01-01 09:30:00,Bo,x\n",
    )
    out = run(path)
    assert "line 1: columns not imported: unknown thing" in out
    plan = Plan.objects.get(supporter__email="bo@example.com")
    assert (plan.frequency, plan.amount_pence, plan.created_at.date()) == ("annual", 6000, date(2020, 1, 1))


@pytest.mark.parametrize(
    "cells, message",
    [
        ("not-an-address,A,5,GBP,monthly,active,,,,", "line 2: email 'not-an-address' is not an email address"),
        ("a@example.com,A,abc,GBP,monthly,active,,,,", "line 2: amount 'abc' is not a sum of money"),
        ("a@example.com,A,5.001,GBP,monthly,active,,,,", "line 2: amount '5.001' is not a sum of money"),
        ("a@example.com,A,0.10,GBP,monthly,active,,,,", "line 2: amount 0.10 is outside"),
        ("a@example.com,A,5,USD,monthly,active,,,,", "line 2: currency 'USD' is not GBP"),
        ("a@example.com,A,5,GBP,weekly,active,,,,", "line 2: frequency 'weekly' is not monthly or annual"),
        ("a@example.com,A,5,GBP,monthly,lost,,,,", "line 2: status 'lost' is not one of active"),
        ("a@example.com,A,5,GBP,monthly,active,31/12/2020,,,", "line 2: start_date '31/12/2020' is not a date"),
        ("a@example.com,A,5,GBP,monthly,active,,2026-02-30,,", "line 2: next_payment_date '2026-02-30' is not a date"),
        ("a@example.com,A,5,GBP,monthly,active,,,cus x,", "line 2: stripe_customer_id 'cus x' is not a Stripe customer id"),
        ("a@example.com,A,5,GBP,monthly,active,,,,in_123", "line 2: stripe_subscription_id 'in_123' is not a Stripe subscription id"),
        ("a@example.com,A,5,GBP,monthly,active,,,cus_abc123,", "line 2: next_payment_date is needed"),
        ("a@example.com,A,5,GBP,monthly,active,,2020-01-01,cus_abc123,", "line 2: next_payment_date 2020-01-01 is not in the future"),
        ("a@example.com," + "N" * 300 + ",5,GBP,monthly,active,,,,", "line 2: name is longer than 254 characters"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_named_with_its_line_and_nothing_is_made_for_that_row(tmp_path, cells, message):
    out = run(write(tmp_path, f"{HEADER}\n{cells}\n"))
    assert message in out
    assert "0 added, 0 linked, 0 created, 0 updated, 0 skipped, 1 invalid." in out
    assert not Supporter.objects.exists()


def test_bad_rows_do_not_stop_good_ones_and_lines_count_from_the_header(tmp_path):
    rows = [
        "good@example.com,Good,5,GBP,monthly,active,,,,",
        "bad@example.com,Bad,abc,GBP,monthly,active,,,,",
        "",
        "later@example.com,Later,10,gbp,Annual,wc-cancelled,,,,",
    ]
    out = run(write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert "line 3: amount 'abc' is not a sum of money" in out
    assert "line 5: added: later@example.com as history (it had stopped in the shop)" in out
    assert set(Supporter.objects.values_list("email", flat=True)) == {"good@example.com", "later@example.com"}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    path = write(tmp_path, f"{HEADER}\nann@example.com,,5,GBP,monthly,active,2021-03-04,,,\n")
    run(path)
    out = run(path)
    assert "line 2: skipped: imported before" in out
    assert Plan.objects.count() == 1 and Supporter.objects.count() == 1
    # The same row with a name the first file lacked fills it in, and still makes no second plan.
    out = run(write(tmp_path, f"{HEADER}\nann@example.com,Ann,5,GBP,monthly,active,2021-03-04,,,\n"))
    assert "line 2: updated: name filled in" in out
    assert Supporter.objects.get().name == "Ann" and Plan.objects.count() == 1


def test_a_dry_run_reports_and_changes_nothing(tmp_path):
    out = run(write(tmp_path, f"{HEADER}\nann@example.com,Ann,5,GBP,monthly,active,,,,\n"), "--dry-run")
    assert "Dry run, nothing changed: would have 1 added" in out
    assert not Supporter.objects.exists()


def test_an_existing_supporter_keeps_their_name_and_gains_the_history(tmp_path):
    Supporter.objects.create(email="kim@example.com", name="Kim")
    run(write(tmp_path, f"{HEADER}\nKIM@example.com,Someone Else,5,GBP,monthly,expired,,,,\n"))
    supporter = Supporter.objects.get()
    assert supporter.name == "Kim"
    assert supporter.plans.count() == 1


def test_past_payments_come_in_from_a_second_file_marked_as_imported(tmp_path):
    run(write(tmp_path, f"{HEADER}\nann@example.com,Ann,5,GBP,monthly,cancelled,2021-03-04,,,\n"))
    payments = (
        "Email,Amount,Currency,Frequency,Paid At,Reference\n"
        "ann@example.com,5.00,GBP,monthly,2021-04-04,order-17\n"
        "ann@example.com,5.00,GBP,monthly,2021-05-04,order-18\n"
        "new@example.com,25,GBP,,2021-05-04,\n"
        "ann@example.com,5.00,GBP,monthly,2999-01-01,order-19\n"
    )
    out = run(write(tmp_path, payments, "payments.csv"))
    assert "line 2: added: £5 on 4 April 2021 from ann@example.com" in out
    assert "line 5: paid_at 2999-01-01 is in the future" in out
    ann = Supporter.objects.get(email="ann@example.com")
    assert ann.donations.count() == 2
    assert set(ann.donations.values_list("provider", "status", "plan")) == {
        ("import", "paid", ann.plans.get().pk)
    }
    one_off = Donation.objects.get(supporter__email="new@example.com")
    assert one_off.frequency == "one_off" and one_off.paid_at.date() == date(2021, 5, 4)
    assert "0 added" in run(write(tmp_path, payments, "payments.csv"))  # a second time adds nothing
    assert Donation.objects.count() == 3
    assert not Email.objects.exists()


def test_a_file_that_cannot_be_read_fails_with_a_clear_message_and_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="could not be read"):
        run(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(write(tmp_path, f"{HEADER}\nzoë@example.com,Zoë,5,GBP,monthly,active,,,,\n", encoding="latin-1"))
    with pytest.raises(CommandError, match="The file is empty"):
        run(write(tmp_path, ""))
    with pytest.raises(CommandError, match="the header has no email, amount, frequency column"):
        run(write(tmp_path, "who,how much\nann@example.com,5\n"))
    assert not Supporter.objects.exists()


def test_the_row_and_size_limits_are_checked_before_anything_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(import_rows, "MAX_ROWS", 3)
    rows = "".join(f"p{n}@example.com,,5,GBP,monthly,active,,,,\n" for n in range(4))
    with pytest.raises(CommandError, match="more than 3 rows; split it"):
        run(write(tmp_path, HEADER + "\n" + rows))
    assert not Supporter.objects.exists()
    monkeypatch.setattr(import_rows, "MAX_BYTES", 100)
    with pytest.raises(CommandError, match="the limit is 0 MB|limit is"):
        run(write(tmp_path, HEADER + "\n" + rows))


def test_formula_looking_cells_are_neutralised_in_the_report_and_in_finance_exports(tmp_path):
    out = run(
        write(
            tmp_path,
            f'{HEADER}\nevil@example.com,"=HYPERLINK(""http://evil"")",=1+2,GBP,monthly,active,,,,\n',
        )
    )
    assert "line 2: amount '=1+2' is not a sum of money" not in out
    assert "line 2: amount ''=1+2' is not a sum of money" in out
    run(
        write(
            tmp_path, f'{HEADER}\nevil@example.com,"=HYPERLINK(""http://evil"")",5,GBP,monthly,active,,,,\n'
        )
    )
    supporter = Supporter.objects.get()
    response = staff_client("Finance").post(
        "/admin/supporters/supporter/", {"action": "export_csv", "_selected_action": [supporter.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


def test_a_file_of_2800_rows_is_imported_in_one_run(tmp_path):
    rows = "".join(f"p{n}@example.com,,5,GBP,monthly,cancelled,2020-01-01,,,\n" for n in range(2800))
    out = run(write(tmp_path, HEADER + "\n" + rows))
    assert "2800 added" in out
    assert Plan.objects.count() == 2800
    assert Client().get("/").cookies == {}  # nothing about an import reaches a reader


def test_next_payment_is_ignored_for_history(tmp_path):
    later = (date.today() + timedelta(days=10)).isoformat()
    run(write(tmp_path, f"{HEADER}\nann@example.com,,5,GBP,monthly,active,,{later},,\n"))
    assert Plan.objects.get().current_period_end is None


def test_the_wordpress_shops_subscription_export_imports_as_it_is(tmp_path):
    header = (
        "subscription_id,subscription_status,customer_id,customer_email,billing_first_name,billing_last_name,"
        "start_date,next_payment_date,billing_period,billing_interval,order_total,order_currency,"
        "payment_method,payment_method_post_meta"
    )
    rows = [
        "101,wc-cancelled,7,ann@example.com,Ann,Old,2021-03-04 10:00:00,,month,1,5.00,GBP,stripe,"
        "_stripe_customer_id:cus_Ann123|_stripe_source_id:src_1",
        "102,wc-expired,8,bo@example.com,Bo,,2020-01-01 00:00:00,,year,1,60,GBP,stripe,",
        "103,wc-active,9,cy@example.com,Cy,,2020-01-01 00:00:00,,week,2,3,GBP,stripe,",
    ]
    out = run(write(tmp_path, header + "\n" + "\n".join(rows) + "\n"))
    assert "line 2: added: ann@example.com as history (it had stopped in the shop)" in out
    assert "line 4: frequency 'week' is not monthly or annual" in out
    assert "line 4: billing_interval '2': only every month or every year can come over" in out
    assert "columns not imported: subscription_id, customer_id, payment_method" in out
    ann = Plan.objects.get(supporter__email="ann@example.com")
    assert (ann.supporter.name, ann.amount_pence, ann.frequency) == ("Ann Old", 500, "monthly")
    assert Plan.objects.get(supporter__email="bo@example.com").frequency == "annual"
