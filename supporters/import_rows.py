"""Reading a file of existing supporters: the header, the limits and each row's cells, checked.

Nothing here touches the database or Stripe. A row either becomes a `SupporterRow` or a list of
messages that name the line and the cell ("line 4: amount 'abc' is not a sum of money").
"""

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SUPPORTER_COLUMNS = (
    "email", "name", "amount", "currency", "frequency", "status", "start_date",
    "next_payment_date", "stripe_customer_id", "stripe_subscription_id",
)  # fmt: skip
SUPPORTER_REQUIRED = ("email", "amount", "frequency")
# The small extension for past payments: a second file, told apart by its header.
PAYMENT_COLUMNS = ("email", "amount", "currency", "frequency", "paid_at", "reference")
PAYMENT_REQUIRED = ("email", "amount", "paid_at")

# The WooCommerce Subscriptions exporter's own column names, read when ours are absent, so its
# export imports as it is (docs/newsroom.md has the mapping); "wc-active" statuses are understood.
SHOP_COLUMNS = {
    "customeremail": "email", "subscriptionstatus": "status", "ordertotal": "amount",
    "ordercurrency": "currency", "billingperiod": "frequency",
}  # fmt: skip
SHOP_EXTRAS = {
    "billingfirstname": "first_name", "billinglastname": "last_name", "billinginterval": "interval",
    "paymentmethodpostmeta": "payment_meta",
}  # fmt: skip

# Under nginx's client_max_body_size (12m, deploy/nginx.conf), so the upload is refused by us, kindly.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELL = 254

AMOUNT = re.compile(r"^£?(\d{1,7})(?:\.(\d{1,2}))?$")
FREQUENCIES = {
    "monthly": "monthly",
    "month": "monthly",
    "annual": "annual",
    "year": "annual",
    "yearly": "annual",
}
PAYMENT_FREQUENCIES = {**FREQUENCIES, "oneoff": "one_off", "once": "one_off", "single": "one_off"}
# The shop's words for a running subscription and for one that is not; "wc-" prefixes are dropped.
RUNNING = {"active", "pendingcancel"}
STOPPED = {"cancelled", "canceled", "expired", "onhold", "pending", "ended", "switched"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
CUSTOMER_ID = re.compile(r"^cus_[A-Za-z0-9]{3,250}$")
SUBSCRIPTION_ID = re.compile(r"^sub_[A-Za-z0-9]{3,250}$")


class Unreadable(Exception):
    """The file as a whole cannot be imported: its message says why and what to do."""


def key(header_cell):
    """Headers match whatever their case, spaces, hyphens and underscores."""
    return re.sub(r"[\s_\-]+", "", (header_cell or "").strip().lower().lstrip("\ufeff"))


def shown(value):
    """A cell quoted in a message: short, and never a formula if the report goes to a spreadsheet."""
    text = value if len(value) <= 40 else value[:40] + "…"
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


@dataclass(frozen=True)
class SupporterRow:
    line: int
    email: str
    name: str
    pence: int
    frequency: str
    running: bool
    start_date: date | None
    next_payment: date | None
    customer_id: str
    subscription_id: str


@dataclass(frozen=True)
class PaymentRow:
    line: int
    email: str
    pence: int
    frequency: str
    paid_at: datetime
    reference: str


def check_size(size):
    if size > MAX_BYTES:
        raise Unreadable(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split it into smaller files and import each."
        )


def open_rows(lines):
    """(kind, columns, rows) where rows yields (line number, {column: cell}) one at a time."""
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise Unreadable(f"line 1: the header is not CSV ({error}).") from error
    if not header:
        raise Unreadable("The file is empty: the first line must be the header.")
    names = [key(cell) for cell in header]
    columns = {name: i for i, name in reversed(list(enumerate(names))) if name}
    wanted = {key(c): c for c in SUPPORTER_COLUMNS}
    kind, required = "supporters", SUPPORTER_REQUIRED
    if "paidat" in columns:
        wanted, kind, required = {key(c): c for c in PAYMENT_COLUMNS}, "payments", PAYMENT_REQUIRED
    used = set()
    if kind == "supporters":
        for alias, ours in SHOP_COLUMNS.items():
            if alias in columns and ours not in columns:
                columns[ours] = columns.pop(alias)
                used.add(alias)
        wanted.update(SHOP_EXTRAS)
    missing = [c for c in required if key(c) not in columns]
    if missing:
        raise Unreadable(
            f"line 1: the header has no {', '.join(missing)} column; it must name "
            + ", ".join(SUPPORTER_COLUMNS if kind == "supporters" else PAYMENT_COLUMNS)
            + "."
        )
    ignored = [
        cell
        for cell, name in zip(header, names, strict=True)
        if name and name not in wanted and name not in used
    ]
    found = {wanted[name]: index for name, index in columns.items() if name in wanted}
    return kind, ignored, _rows(reader, found)


def _rows(reader, found):
    count = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(f"line {reader.line_num}: not CSV ({error}).") from error
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise Unreadable(f"The file has more than {MAX_ROWS:,} rows; split it and import each part.")
        yield (
            reader.line_num,
            {name: (cells[i] if i < len(cells) else "").strip() for name, i in found.items()},
        )


def parse_pence(value, errors):
    match = AMOUNT.fullmatch(value.replace(",", "").replace(" ", ""))
    if not match:
        errors.append(f"amount '{shown(value)}' is not a sum of money")
        return None
    pence = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if not settings.DONATION_MIN_PENCE <= pence <= settings.DONATION_MAX_PENCE:
        low, high = settings.DONATION_MIN_PENCE / 100, settings.DONATION_MAX_PENCE / 100
        errors.append(f"amount {Decimal(pence) / 100:.2f} is outside £{low:,.2f} to £{high:,.2f}")
        return None
    return pence


def parse_date(name, value, errors):
    """A date as YYYY-MM-DD, with or without a time after it (the shop writes "2026-01-05 10:00:00")."""
    if not value:
        return None
    if DATE.fullmatch(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    errors.append(f"{name} '{shown(value)}' is not a date (write it as YYYY-MM-DD)")
    return None


def common(cells, errors, frequencies):
    email = cells.get("email", "").lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"email '{shown(email)}' is not an email address")
    for name, value in cells.items():
        if len(value) > MAX_CELL:
            errors.append(f"{name} is longer than {MAX_CELL} characters")
    currency = cells.get("currency", "") or "GBP"
    if currency.upper() not in ("GBP", "£"):
        errors.append(f"currency '{shown(currency)}' is not GBP: Canary takes gifts in pounds")
    pence = parse_pence(cells.get("amount", ""), errors)
    raw = cells.get("frequency", "")
    frequency = frequencies.get(key(raw))
    if frequency is None and (raw or frequencies is FREQUENCIES):
        words = "monthly or annual" if frequencies is FREQUENCIES else "monthly, annual or one-off"
        errors.append(f"frequency '{shown(raw)}' is not {words}")
    return email, pence, frequency


def supporter_row(line, cells):
    """A SupporterRow, or the messages that say what is wrong with the line."""
    errors = []
    email, pence, frequency = common(cells, errors, FREQUENCIES)
    status = key(cells.get("status", "")).removeprefix("wc")
    if status and status not in RUNNING | STOPPED:
        errors.append(
            f"status '{shown(cells['status'])}' is not one of active, on-hold, cancelled or expired"
        )
    start = parse_date("start_date", cells.get("start_date", ""), errors)
    next_payment = parse_date("next_payment_date", cells.get("next_payment_date", ""), errors)
    customer, subscription = cells.get("stripe_customer_id", ""), cells.get("stripe_subscription_id", "")
    # The shop keeps the Stripe customer in its payment meta: "_stripe_customer_id:cus_…|_stripe_source_id:…".
    for pair in cells.get("payment_meta", "").split("|"):
        name, _, value = pair.partition(":")
        if name.strip() == "_stripe_customer_id" and not customer:
            customer = value.strip()
    if cells.get("interval", "1") not in ("", "1"):
        errors.append(
            f"billing_interval '{shown(cells['interval'])}': only every month or every year can come over"
        )
    if customer and not CUSTOMER_ID.fullmatch(customer):
        errors.append(f"stripe_customer_id '{shown(customer)}' is not a Stripe customer id (cus_…)")
    if subscription and not SUBSCRIPTION_ID.fullmatch(subscription):
        errors.append(
            f"stripe_subscription_id '{shown(subscription)}' is not a Stripe subscription id (sub_…)"
        )
    running = status in RUNNING or not status
    if running and customer and not subscription and not errors:
        if next_payment is None:
            errors.append("next_payment_date is needed to start the gift at Stripe on the right day")
        elif next_payment <= date.today():
            errors.append(f"next_payment_date {next_payment.isoformat()} is not in the future")
    if errors:
        return None, [f"line {line}: {message}" for message in errors]
    return SupporterRow(
        line=line,
        email=email,
        name=(cells.get("name") or f"{cells.get('first_name', '')} {cells.get('last_name', '')}".strip())[
            :120
        ],
        pence=pence,
        frequency=frequency,
        running=running,
        start_date=start,
        next_payment=next_payment,
        customer_id=customer,
        subscription_id=subscription,
    ), []


def payment_row(line, cells):
    errors = []
    email, pence, frequency = common(cells, errors, PAYMENT_FREQUENCIES)
    paid_on = parse_date("paid_at", cells.get("paid_at", ""), errors)
    if paid_on is None and not errors:
        errors.append("paid_at is needed")
    elif paid_on and paid_on > date.today():
        errors.append(f"paid_at {paid_on.isoformat()} is in the future")
    if errors:
        return None, [f"line {line}: {message}" for message in errors]
    return PaymentRow(
        line=line,
        email=email,
        pence=pence,
        frequency=frequency or "one_off",
        paid_at=datetime.combine(paid_on, time(12), tzinfo=UTC),
        reference=cells.get("reference", ""),
    ), []


def check_rows(lines):
    """A first pass, before anything changes: the whole file decodes, parses and is within the limits."""
    reader = csv.reader(lines)
    try:
        for count, _ in enumerate(reader):
            if count > MAX_ROWS:
                raise Unreadable(f"The file has more than {MAX_ROWS:,} rows; split it and import each part.")
    except csv.Error as error:
        raise Unreadable(f"line {reader.line_num}: not CSV ({error}).") from error
    except UnicodeDecodeError as error:
        raise Unreadable("The file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8.") from error
