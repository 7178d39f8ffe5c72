from . import authors, comments, content  # noqa: F401 - registers the admin classes
