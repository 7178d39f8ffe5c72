from . import comments, content  # noqa: F401 - registers the admin classes
