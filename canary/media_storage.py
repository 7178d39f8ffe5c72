"""Where uploads and renditions are kept: the local disk, or an S3-compatible bucket.

With ``AWS_STORAGE_BUCKET_NAME`` in the environment (django-storages' own names beside it:
``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, and
``AWS_S3_CUSTOM_DOMAIN`` for a CDN in front), the default storage is the bucket; without it,
files stay under MEDIA_ROOT. Media are public: their addresses are stable and unsigned, and
the bucket grants readers the right to read them (a bucket policy, see docs/production.md).
"""

from urllib.parse import urlsplit

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
        # botocore's Config, made by BucketStorage: boto3 is imported only where a bucket is used.
        "client_options": {
            # A custom endpoint is addressed by path; AWS itself by virtual host.
            "s3": {"addressing_style": "path" if endpoint else "virtual"},
            "connect_timeout": env_int("MEDIA_CONNECT_TIMEOUT", 3),
            "read_timeout": env_int("MEDIA_READ_TIMEOUT", 20),
            "retries": {"max_attempts": 3, "mode": "standard"},
        },
        "base_address": address,
    }
    return {"BACKEND": "canary.bucket_storage.BucketStorage", "OPTIONS": options}, address, origin(address)


def origin(address):
    """'https://media.example.org/canary/' -> 'https://media.example.org'; '' for a path."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
