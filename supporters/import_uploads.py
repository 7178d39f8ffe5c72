"""A Finance upload imported by the worker (supporters/admin/imports.py stores it, tasks.py runs it).

The report and the count of lines read are saved as the import goes, so the admin page shows
progress; a rerun of the same file is safe because the import itself is idempotent.
"""

import io
import logging

from django.utils import timezone

from . import importing
from .exceptions import ProviderError
from .import_rows import Unreadable, check_rows
from .import_welcome import send_welcomes
from .models import SupporterImport

logger = logging.getLogger("canary.supporters")

SAVE_EVERY = 100  # rows between progress saves: the page moves without a write per row
MAX_REPORT_LINES = 20_000


def run_upload(import_id):
    # The conditional update is the claim: a task delivered twice imports once.
    if not SupporterImport.objects.filter(pk=import_id, status=SupporterImport.Status.QUEUED).update(
        status=SupporterImport.Status.RUNNING
    ):
        return "not queued"
    upload = SupporterImport.objects.get(pk=import_id)
    said, last = [], {"line": 0}

    def say(message):
        if len(said) < MAX_REPORT_LINES:
            said.append(message)

    def progress(line, tally):
        last["line"] = line
        if tally.rows % SAVE_EVERY == 0:
            SupporterImport.objects.filter(pk=upload.pk).update(
                lines_read=line, counts=tally.counts, report="\n".join(said)
            )

    def text():
        return io.StringIO(bytes(upload.content).decode("utf-8-sig"), newline="")

    tallies = []
    try:
        if upload.content:
            try:
                check_rows(text())
            except UnicodeDecodeError as error:
                raise Unreadable(
                    "The file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8."
                ) from error
            tallies.append(importing.run(text(), dry_run=upload.dry_run, say=say, progress=progress))
        if upload.from_stripe:
            tallies.append(importing.from_stripe(dry_run=upload.dry_run, say=say))
    except ProviderError:
        said.append(
            "Stripe's list of subscriptions could not be read. Try again shortly: rows already in are skipped."
        )
        return finish(upload, SupporterImport.Status.REFUSED, said, {}, last["line"])
    except Unreadable as error:
        said.append(str(error))
        return finish(upload, SupporterImport.Status.REFUSED, said, {}, last["line"])
    except Exception:
        logger.exception("Supporter import %s stopped", upload.pk)
        said.append(
            "The import stopped on an error (in the server's log). Upload the file again: rows already in are skipped."
        )
        return finish(upload, SupporterImport.Status.REFUSED, said, {}, last["line"])
    said.extend(tally.summary() for tally in tallies)
    if upload.welcome and not upload.dry_run:
        said.append(f"Welcome emails queued: {send_welcomes()}.")
    counts = {name: sum(t.counts[name] for t in tallies) for name in importing.OUTCOMES}
    if not upload.dry_run:
        # Imported: the file's addresses need not stay here too (a dry run keeps it for the real run).
        SupporterImport.objects.filter(pk=upload.pk).update(content=b"")
    return finish(upload, SupporterImport.Status.DONE, said, counts, last["line"])


def finish(upload, status, said, counts, lines_read):
    fields = {
        "status": status,
        "report": "\n".join(said),
        "counts": counts,
        "lines_read": lines_read,
        "finished_at": timezone.now(),
    }
    SupporterImport.objects.filter(pk=upload.pk).update(**fields)
    return status
