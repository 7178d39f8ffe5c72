"""Two imports of the same supporters at the same moment (Finance uploads the file twice, or a
cron run meets the admin's): every row is imported by exactly one of them, the other says it was
imported, and nothing is doubled here or at Stripe.

PostgreSQL runs the two imports truly at once. The in-memory SQLite of the tests refuses a second
writer outright where a file database waits its turn, so there they take turns, as SQLite would.
"""

import contextlib
import io
import re
import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from supporters.models import Donation, Plan, Supporter
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.django_db(transaction=True),  # each import has its own connection
    pytest.mark.usefixtures("stripe_settings"),
]

HEADER = "email,name,amount,currency,frequency,status,start_date,next_payment_date,stripe_customer_id,stripe_subscription_id"
NEXT = date.today() + timedelta(days=12)


def at_once(*commands):
    """Run each list of call_command arguments in its own thread, released together; their output."""
    start = threading.Barrier(len(commands))
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outputs, errors = [""] * len(commands), []

    def run(index, args):
        out = io.StringIO()
        try:
            start.wait(10)
            with turns:
                call_command("import_supporters", *args, stdout=out)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            outputs[index] = out.getvalue()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, args)) for i, args in enumerate(commands)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return outputs


def outcomes(output):
    """{line: outcome} from an import's report."""
    return {int(n): what for n, what in re.findall(r"^line (\d+): (\w+):", output, re.MULTILINE)}


def test_the_same_file_imported_twice_at_once_imports_each_row_once(tmp_path, fake_stripe):
    linked_customer = fake_stripe.add_customer("ann@example.com")
    sub = fake_stripe.add_subscription(linked_customer, 500, "month")
    card_customer = fake_stripe.add_customer("bo@example.com")
    rows = [
        f"ann@example.com,Ann,5,GBP,monthly,active,2022-01-09,,{linked_customer},{sub}",
        f"bo@example.com,Bo,10,GBP,monthly,active,2021-06-01,{NEXT.isoformat()},{card_customer},",
        "cy@example.com,Cy,60,GBP,annual,active,2020-03-01,,,",
        "cy@example.com,Cy,5,GBP,monthly,cancelled,2019-03-01,,,",  # the same person twice
        "di@example.com,Di,3,GBP,monthly,cancelled,2018-01-01,,,",
    ]
    path = tmp_path / "supporters.csv"
    path.write_text(HEADER + "\n" + "".join(row + "\n" for row in rows))

    first, second = at_once([str(path)], [str(path)])
    one, two = outcomes(first), outcomes(second)
    assert set(one) == set(two) == {2, 3, 4, 5, 6}, (first, second)
    expected = {2: "linked", 3: "created", 4: "added", 5: "added", 6: "added"}
    for line, outcome in expected.items():
        assert sorted([one[line], two[line]]) == sorted([outcome, "skipped"]), (line, first, second)

    assert Supporter.objects.count() == 4
    assert Plan.objects.count() == 5
    assert Plan.objects.filter(provider_subscription_id=sub).count() == 1
    assert Supporter.objects.get(email="cy@example.com").plans.count() == 2
    # Stripe made one subscription for the shop's customer, however the two runs met.
    assert len(fake_stripe.subscriptions) == 2
    made = {c.headers.get("Idempotency-Key") for c in fake_stripe.calls_to("POST", "/v1/subscriptions")}
    assert len(made) == 1
    assert Donation.objects.count() == 0  # nothing charged, nothing invented


def test_a_file_row_and_from_stripe_linking_the_same_subscription_at_once_make_one_plan(
    tmp_path, fake_stripe
):
    customer = fake_stripe.add_customer("ann@example.com", name="Ann")
    sub = fake_stripe.add_subscription(customer, 500, "month")
    path = tmp_path / "supporters.csv"
    path.write_text(f"{HEADER}\nann@example.com,Ann,5,GBP,monthly,active,2022-01-09,,{customer},{sub}\n")

    from_file, from_stripe = at_once([str(path)], ["--from-stripe"])
    said = [*re.findall(r": (linked|skipped):", from_file), *re.findall(r": (linked|skipped):", from_stripe)]
    assert sorted(said) == ["linked", "skipped"], (from_file, from_stripe)
    assert Plan.objects.filter(provider_subscription_id=sub).count() == 1
    assert Supporter.objects.filter(email="ann@example.com").count() == 1


def test_a_payments_file_imported_twice_at_once_adds_each_payment_once(tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text(
        "email,amount,currency,frequency,paid_at,reference\n"
        "eve@example.com,5,GBP,monthly,2024-01-05,wc-1\n"
        "eve@example.com,5,GBP,monthly,2024-02-05,wc-2\n"
        "fay@example.com,20,GBP,once,2024-03-01,wc-3\n"
    )
    first, second = at_once([str(path)], [str(path)])
    for line in (2, 3, 4):
        assert sorted([outcomes(first)[line], outcomes(second)[line]]) == ["added", "skipped"], (
            first,
            second,
        )
    assert Donation.objects.count() == 3
    assert Supporter.objects.count() == 2
