from . import authors, comments, content, correction_requests  # noqa: F401 - registers the admin classes
