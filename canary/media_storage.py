"""Where uploads and renditions are kept: the local disk, or an S3-compatible bucket.

With ``AWS_STORAGE_BUCKET_NAME`` in the environment (django-storages' own names beside it:
``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, and
``AWS_S3_CUSTOM_DOMAIN`` for a CDN in front), the default storage is the bucket; without it,
files stay under MEDIA_ROOT. Media are public: their addresses are stable and unsigned, and
the bucket grants readers the right to read them (a bucket policy, see docs/production.md).
"""

from urllib.parse import urlsplit

from botocore.config import Config
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from canary.environment import env, env_int

# Uploads keep their name for life (a second "photo.jpg" becomes "photo_<random>.jpg"), so a
# browser or CDN may keep a copy for a week without ever showing the wrong picture.
MEDIA_CACHE_CONTROL = "public, max-age=604800"


def bucket_address(bucket, endpoint="", custom_domain="", region="", protocol="https:"):
    """The address a media file's name is appended to: the CDN's, the endpoint's or AWS's."""
    if custom_domain:
        return f"{protocol}//{custom_domain.strip('/')}/"
    if endpoint:
        # Path-style: the bucket in the path, which every S3-compatible server understands.
        return f"{endpoint.rstrip('/')}/{bucket}/"
    # AWS's first region answers at the global name, as botocore writes it.
    regional = region and region != "us-east-1"
    host = f"{bucket}.s3.{region}.amazonaws.com" if regional else f"{bucket}.s3.amazonaws.com"
    return f"https://{host}/"


class BucketStorage(S3Storage):
    """django-storages' S3 storage whose addresses are built from the name alone.

    The parent asks botocore to presign (then drops the signature) for every address it makes;
    a page with ten pictures in five widths would do that fifty times. The address is the same
    string every time, so it is built once here, exactly as MEDIA_URL names it.
    """

    def __init__(self, **options):
        self.base_address = options.pop("base_address")
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return self.base_address + filepath_to_uri(self._normalize_name(clean_name(name)))


def media_settings(media_url):
    """(the "default" entry of STORAGES, MEDIA_URL, the media host's origin or "")."""
    bucket = env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, media_url, origin(media_url)
    endpoint = env("AWS_S3_ENDPOINT_URL")
    custom_domain = env("AWS_S3_CUSTOM_DOMAIN")
    region = env("AWS_S3_REGION_NAME")
    protocol = env("AWS_S3_URL_PROTOCOL", "https:")
    address = bucket_address(bucket, endpoint, custom_domain, region, protocol)
    options = {
        "bucket_name": bucket,
        # A folder in the bucket to keep everything under, if the bucket is shared.
        "location": env("AWS_LOCATION").strip("/"),
        "endpoint_url": endpoint or None,
        "region_name": region or None,
        "custom_domain": custom_domain or None,
        "url_protocol": protocol,
        # Stable public addresses: django-storages signs and expires them by default.
        "querystring_auth": False,
        # Empty: readers may read because of the bucket's policy, not an ACL on each object
        # (AWS refuses ACLs on new buckets; SeaweedFS, MinIO and others honour the policy).
        "default_acl": env("AWS_DEFAULT_ACL") or None,
        # Never replace a file another image may still show.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        "client_config": Config(
            # A custom endpoint is addressed by path; AWS itself by virtual host.
            s3={"addressing_style": "path" if endpoint else "virtual"},
            connect_timeout=env_int("MEDIA_CONNECT_TIMEOUT", 3),
            read_timeout=env_int("MEDIA_READ_TIMEOUT", 20),
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        "base_address": address,
    }
    return {"BACKEND": "canary.media_storage.BucketStorage", "OPTIONS": options}, address, origin(address)


def origin(address):
    """'https://media.example.org/canary/' -> 'https://media.example.org'; '' for a path."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
