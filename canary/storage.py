from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files that never turn a missing file into a 500.

    Before `collectstatic` has run (a fresh checkout, a test run with production settings)
    a name has no hashed version; the plain name is served instead of raising.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
