"""An audience team's upload, imported by the worker (admin/imports.py stores it, tasks.py runs it).

The file is read back from its database chunks one at a time through a seekable stream (a zip
needs to seek), so the worker's memory stays flat whatever the file's size. The report, the
lines and the bytes read are saved after each batch, so the admin page shows progress; a rerun
of the same file is safe because the import itself is idempotent.
"""

import bisect
import io
import logging

from django.db.models.functions import Length
from django.utils import timezone

from . import importing
from .import_rows import Unreadable
from .models import SubscriberImport, SubscriberImportChunk

logger = logging.getLogger("canary.newsletters")

CHUNK_BYTES = 1024 * 1024
MAX_REPORT_LINES = 20_000


def store(upload, uploaded):
    """Save an uploaded file's chunks for the worker, one row each, never the whole file at once."""
    position, size = 0, 0
    uploaded.seek(0)
    # read(), not chunks(): a small upload held in memory gives its chunks() as one piece.
    while piece := uploaded.read(CHUNK_BYTES):
        SubscriberImportChunk.objects.create(upload=upload, position=position, data=piece)
        position, size = position + 1, size + len(piece)
    SubscriberImport.objects.filter(pk=upload.pk).update(size=size)
    upload.size = size


class StoredFile(io.RawIOBase):
    """The chunks of an upload as one seekable binary file; one chunk in memory at a time."""

    def __init__(self, upload):
        self.upload = upload
        self.sizes = [n for (n,) in _lengths(upload)]
        self.starts = [sum(self.sizes[:i]) for i in range(len(self.sizes))]
        self.size = sum(self.sizes)
        self.offset, self.loaded, self.data = 0, None, b""

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.offset

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.offset, io.SEEK_END: self.size}[whence]
        self.offset = max(0, base + offset)
        return self.offset

    def readinto(self, buffer):
        if self.offset >= self.size:
            return 0
        index = bisect.bisect_right(self.starts, self.offset) - 1
        if self.loaded != index:
            self.data = bytes(
                SubscriberImportChunk.objects.values_list("data", flat=True).get(
                    upload=self.upload, position=index
                )
            )
            self.loaded = index
        start = self.offset - self.starts[index]
        piece = self.data[start : start + len(buffer)]
        buffer[: len(piece)] = piece
        self.offset += len(piece)
        return len(piece)


def _lengths(upload):
    return (
        SubscriberImportChunk.objects.filter(upload=upload)
        .order_by("position")
        .annotate(n=Length("data"))
        .values_list("n")
        .iterator()
    )


def run_upload(import_id):
    # The conditional update is the claim: a task delivered twice imports once.
    if not SubscriberImport.objects.filter(pk=import_id, status=SubscriberImport.Status.QUEUED).update(
        status=SubscriberImport.Status.RUNNING
    ):
        return "not queued"
    upload = SubscriberImport.objects.select_related("newsletter").get(pk=import_id)
    said, last = [], {"line": 0}
    stored = None

    def say(message):
        if len(said) < MAX_REPORT_LINES:
            said.append(message)

    def progress(line, tally):
        last["line"] = tally.rows
        SubscriberImport.objects.filter(pk=upload.pk).update(
            lines_read=tally.rows,
            bytes_read=stored.tell() if stored else 0,
            counts=tally.counts,
            report="\n".join(said),
        )

    try:
        stored = StoredFile(upload)
        with io.BufferedReader(stored, CHUNK_BYTES // 16) as binary:
            tally = importing.run(
                binary,
                upload.file_name,
                upload.newsletter,
                dry_run=upload.dry_run,
                say=say,
                progress=progress,
            )
    except Unreadable as error:
        said.append(str(error))
        return finish(upload, SubscriberImport.Status.REFUSED, said, {}, last["line"])
    except Exception:
        logger.exception("Subscriber import %s stopped", upload.pk)
        said.append(
            "The import stopped on an error (in the server's log). Upload the file again: rows already in are skipped."
        )
        return finish(upload, SubscriberImport.Status.REFUSED, said, {}, last["line"])
    said.append(tally.summary())
    if not upload.dry_run:
        # Imported: the file's addresses need not stay here too (a dry run keeps it for the real run).
        upload.chunks.all().delete()
    return finish(upload, SubscriberImport.Status.DONE, said, tally.counts, tally.rows)


def finish(upload, status, said, counts, lines_read):
    SubscriberImport.objects.filter(pk=upload.pk).update(
        status=status,
        report="\n".join(said),
        counts=counts,
        lines_read=lines_read,
        finished_at=timezone.now(),
    )
    return status
