"""The media storage when the media live in a bucket (see canary/media_storage.py)."""

from botocore.config import Config
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class BucketStorage(S3Storage):
    """django-storages' S3 storage whose addresses are built from the name alone.

    The parent asks botocore to presign (then drops the signature) for every address it makes;
    a page with ten pictures in five widths would do that fifty times. The address is the same
    string every time, so it is built once here, exactly as MEDIA_URL names it.
    """

    def __init__(self, *, base_address, client_options, **options):
        self.base_address = base_address
        super().__init__(client_config=Config(**client_options), **options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return self.base_address + filepath_to_uri(self._normalize_name(clean_name(name)))
