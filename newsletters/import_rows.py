"""Reading a file of subscribers: our CSV, or the hosted list's audience exports and their zip.

Nothing here touches the database. The file is read as a stream (a zip's members too, each
decompressed as it is read), so a 100,000-row export takes no more memory than a 10-row one.
A row becomes an `ImportRow`, or messages that name the line and the cell.

Which file is which is told by its columns, with no option: `UNSUB_TIME` marks the hosted
list's unsubscribed export, `CLEAN_TIME` its cleaned one; any other file is a list of
subscribers, each row subscribed unless its own status cell says otherwise.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

ZIP_MAGIC = b"PK\x03\x04"
UNZIPPED_TIMES = 20  # a zip's files together may unpack to this many times the file's limit
MAX_MEMBERS = 10  # the hosted list's zip holds three
MAX_LINE = 64 * 1024  # no row of subscribers is longer; a longer one would be read whole into memory
MAX_CELL = 254

# Header cells are matched whatever their case, spaces, hyphens and underscores.
COLUMNS = {
    "email": "email", "emailaddress": "email", "name": "name", "firstname": "first_name",
    "lastname": "last_name", "status": "status", "consentdate": "consent", "consentat": "consent",
    "consentedat": "consent", "confirmtime": "confirm_time", "optintime": "optin_time",
    "source": "source", "unsubtime": "unsub_time", "unsubreason": "unsub_reason", "cleantime": "clean_time",
}  # fmt: skip
SUBSCRIBED, UNSUBSCRIBED, CLEANED, COMPLAINED = "subscribed", "unsubscribed", "cleaned", "complained"
STATUSES = {
    "subscribed": SUBSCRIBED, "active": SUBSCRIBED, "unsubscribed": UNSUBSCRIBED, "left": UNSUBSCRIBED,
    "cleaned": CLEANED, "bounced": CLEANED, "complained": COMPLAINED, "spam": COMPLAINED,
}  # fmt: skip
# Rows that stop mail rather than start it; they are applied first, so they win.
REFUSALS = (UNSUBSCRIBED, CLEANED, COMPLAINED)
# The hosted list's words for an unsubscribe that was really a spam complaint.
COMPLAINT_WORDS = re.compile(r"abuse|spam|complain", re.IGNORECASE)
WHEN = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?")


class Unreadable(Exception):
    """The file as a whole cannot be imported: its message says why and what to do."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    name: str
    status: str
    consent_at: datetime | None
    source: str


@dataclass
class Part:
    """One CSV of the file (the file itself, or one member of its zip) and the kind its header says."""

    label: str
    kind: str
    header: dict
    reader: object


def key(cell):
    return re.sub(r"[\s_\-]+", "", (cell or "").strip().lower().lstrip("\ufeff"))


def shown(value):
    """A cell quoted in a message: short, and never a formula if the report goes to a spreadsheet."""
    text = value if len(value) <= 40 else value[:40] + "…"
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def check_size(size):
    limit = settings.NEWSLETTER_IMPORT_MAX_BYTES
    if size > limit:
        raise Unreadable(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {limit / 1024 / 1024:.0f} MB. "
            "Zip it (the hosted list's zip is accepted as it is) or split it, and import each part."
        )


class Budget:
    """What a zip's members may unpack to, shared by all of them: a small zip can hold large files."""

    def __init__(self, left):
        self.left = left


class Capped(io.RawIOBase):
    """A zip member read within the zip's shared budget."""

    def __init__(self, raw, budget):
        self.raw, self.budget = raw, budget

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(min(len(buffer), self.budget.left + 1))
        self.budget.left -= len(data)
        if self.budget.left < 0:
            raise Unreadable("The zip's files unpack to more than the limit allows; split the file.")
        buffer[: len(data)] = data
        return len(data)


def text(binary):
    # utf-8-sig: spreadsheets often start the file with a byte-order mark.
    return short_lines(io.TextIOWrapper(binary, encoding="utf-8-sig", newline=""))


def short_lines(stream):
    """The stream's lines, refusing one too long to be a row (a line of commas would be read whole)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE:
            raise Unreadable(
                f"A line of the file is longer than {MAX_LINE // 1024} KB: it is not a list of subscribers."
            )
        yield line


def open_part(label, lines):
    """The Part for a stream of text; reads its header line only."""
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise Unreadable(f"{label} line 1: the header is not CSV ({error}).") from error
    except UnicodeDecodeError as error:
        raise Unreadable(f"{label} is not UTF-8 text: save it from the spreadsheet as CSV UTF-8.") from error
    if not header:
        raise Unreadable(f"{label} is empty: the first line must be the header.")
    columns = {}
    for index, cell in enumerate(header):
        name = COLUMNS.get(key(cell))
        if name and name not in columns:
            columns[name] = index
    if "email" not in columns:
        raise Unreadable(
            f"{label} line 1: the header has no email column; it must name email, and may name "
            "name, status, consent_date and source."
        )
    kind = CLEANED if "clean_time" in columns else UNSUBSCRIBED if "unsub_time" in columns else SUBSCRIBED
    return Part(label, kind, columns, reader)


def parts(binary, label):
    """Every CSV in a seekable binary file (a zip's refusals first), headers checked before any row."""
    head = binary.read(4)
    binary.seek(0)
    if head != ZIP_MAGIC:
        return [open_part(label, text(binary))]
    try:
        archive = zipfile.ZipFile(binary)
        members = [
            info
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX")
        ]
    except zipfile.BadZipFile as error:
        raise Unreadable(f"{label} is not a zip that can be read ({error}).") from error
    if not members:
        raise Unreadable(f"{label} is a zip with no CSV file in it.")
    if len(members) > MAX_MEMBERS:
        raise Unreadable(f"{label} holds {len(members)} CSV files; import at most {MAX_MEMBERS} at a time.")
    budget = Budget(settings.NEWSLETTER_IMPORT_MAX_BYTES * UNZIPPED_TIMES)
    found = []
    for info in members:
        stream = io.BufferedReader(Capped(archive.open(info), budget))
        found.append(open_part(f"{label}: {info.filename}", text(stream)))
    return sorted(found, key=lambda part: part.kind == SUBSCRIBED)


def rows(part, counted):
    """(line, cells) for each non-empty row; `counted` is a one-item list shared by every part."""
    reader, header = part.reader, part.header
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(f"{part.label} line {reader.line_num}: not CSV ({error}).") from error
        except UnicodeDecodeError as error:
            raise Unreadable(
                f"{part.label} after line {reader.line_num} is not UTF-8 text: save it as CSV UTF-8."
            ) from error
        if not any(cell.strip() for cell in cells):
            continue
        counted[0] += 1
        if counted[0] > settings.NEWSLETTER_IMPORT_MAX_ROWS:
            raise Unreadable(
                f"The file has more than {settings.NEWSLETTER_IMPORT_MAX_ROWS:,} rows; split it and import each part."
            )
        yield (
            reader.line_num,
            {name: (cells[i] if i < len(cells) else "").strip() for name, i in header.items()},
        )


def parse_when(name, value, errors):
    """A date or a date and time (the hosted list writes "2021-03-04 10:22:33"), taken as UTC."""
    if not value:
        return None
    match = WHEN.fullmatch(value)
    if match:
        try:
            moment = datetime.fromisoformat(f"{match.group(1)}T{match.group(2) or '12:00'}").replace(
                tzinfo=UTC
            )
        except ValueError:
            moment = None
        if moment is not None and moment <= timezone.now():
            return moment
    errors.append(f"{name} '{shown(value)}' is not a past date (write it as YYYY-MM-DD)")
    return None


def parse(part, line, cells):
    """An ImportRow, or the messages that say what is wrong with the line."""
    errors = []
    email = cells.get("email", "").lower()
    try:
        validate_email(email)  # syntax only: never a DNS look-up
    except ValidationError:
        errors.append(f"email '{shown(email)}' is not an email address")
    for name, value in cells.items():
        if len(value) > MAX_CELL:
            errors.append(f"{name} is longer than {MAX_CELL} characters")
    status = part.kind
    if part.kind == UNSUBSCRIBED and COMPLAINT_WORDS.search(cells.get("unsub_reason", "")):
        status = COMPLAINED
    if cells.get("status"):
        status = STATUSES.get(key(cells["status"]))
        if status is None:
            errors.append(
                f"status '{shown(cells['status'])}' is not subscribed, unsubscribed, cleaned or complained"
            )
    consent = cells.get("consent") or cells.get("confirm_time") or cells.get("optin_time") or ""
    consent_at = parse_when("consent date", consent, errors)
    if errors:
        return None, [f"{part.label} line {line}: {message}" for message in errors]
    name = cells.get("name") or f"{cells.get('first_name', '')} {cells.get('last_name', '')}".strip()
    return ImportRow(line, email, name[:120], status, consent_at, cells.get("source", "")[:300]), []
