"""The media part of a backup: every file of the media storage, the disk or the bucket alike,
read and written through Django's storage API, into and out of one tar.gz."""

import tarfile

from django.core.files import File
from django.core.files.storage import storages

PREFIX = "media/"


def stored_names(storage, folder=""):
    """Every file's name in the storage, folder by folder, in a steady order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a disk that has never had an upload
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from stored_names(storage, f"{folder}{name}/")


def archive_media(target):
    """Write the storage's files to a tar.gz at ``target``; the number of files."""
    storage = storages["default"]
    files = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in stored_names(storage):
            with storage.open(name, "rb") as data:
                info = tarfile.TarInfo(PREFIX + name)
                info.size = data.size
                archive.addfile(info, data)
            files += 1
    return files


def restore_media(archive_path):
    """Put every file of the archive back in the storage under its own name; the number."""
    storage = storages["default"]
    restored = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if not member.name.startswith(PREFIX) or not member.isfile():
                continue
            # The "data" filter's rules: no absolute path, no "..", no link, only plain files.
            tarfile.data_filter(member, "/restore")
            name = member.name.removeprefix(PREFIX)
            if storage.exists(name):
                storage.delete(name)  # the backup's copy wins, as a restore promises
            with archive.extractfile(member) as data:
                storage.save(name, File(data, name=name))
            restored += 1
    return restored
