"""What every per-reader newsletter page shares."""


def private(response):
    """Pages that hold a reader's address or token are never kept by the page cache or a proxy."""
    response["Cache-Control"] = "private, no-store"
    return response
