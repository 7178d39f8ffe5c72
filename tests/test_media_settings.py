"""Where media go, from the environment alone: the disk by default, the bucket when
AWS_STORAGE_BUCKET_NAME is set, with stable unsigned addresses that pages and the CSP agree on."""

import json
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

from articles import demo_content
from articles.factories import make_article, make_image, media_host
from canary.bucket_storage import BucketStorage
from canary.media_storage import media_settings

AWS_NAMES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_REGION_NAME",
    "AWS_LOCATION",
    "AWS_DEFAULT_ACL",
)


@pytest.fixture
def environment(monkeypatch):
    for name in AWS_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    return monkeypatch


def test_without_a_bucket_media_stay_on_the_disk(environment):
    storage, url, origin = media_settings("/media/")
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert (url, origin) == ("/media/", "")


@pytest.mark.parametrize(
    ("variables", "address"),
    [
        ({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:8333"}, "http://127.0.0.1:8333/canary-media/"),
        ({"AWS_S3_REGION_NAME": "eu-west-2"}, "https://canary-media.s3.eu-west-2.amazonaws.com/"),
        ({"AWS_S3_REGION_NAME": "us-east-1"}, "https://canary-media.s3.amazonaws.com/"),
        (
            {"AWS_S3_ENDPOINT_URL": "https://s3.example.org", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"},
            "https://media.example.org/",
        ),
    ],
)
def test_a_bucket_gives_stable_unsigned_addresses_the_same_as_django_storages_would(
    environment, variables, address
):
    environment.setenv("AWS_STORAGE_BUCKET_NAME", "canary-media")
    for name, value in variables.items():
        environment.setenv(name, value)
    storage, url, origin = media_settings("/media/")
    options = dict(storage["OPTIONS"])
    assert storage["BACKEND"] == "canary.bucket_storage.BucketStorage"
    parts = urlsplit(address)
    assert (url, origin) == (address, f"{parts.scheme}://{parts.netloc}")
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert options["default_acl"] is None  # readers read through the bucket's policy
    style = options["client_options"]["s3"]["addressing_style"]
    assert style == ("path" if "AWS_S3_ENDPOINT_URL" in variables else "virtual")
    name = "images/2026/12/a café & co.jpg"
    ours = BucketStorage(**options).url(name)
    options.pop("base_address")
    options["client_config"] = Config(**options.pop("client_options"))
    theirs = S3Storage(**options).url(name)  # botocore builds it: no request is sent
    assert ours == theirs == address + "images/2026/12/a%20caf%C3%A9%20%26%20co.jpg"


def test_the_settings_module_reads_the_bucket_from_the_environment(tmp_path):
    code = (
        "import django, json; django.setup();"
        "from django.conf import settings; from django.urls import resolve, Resolver404;"
        "from django.core.files.storage import default_storage as d;"
        "served = True\n"
        "try: resolve('/media/x.jpg')\n"
        "except Resolver404: served = False\n"
        "print(json.dumps({'url': d.url('x.jpg'), 'media': settings.MEDIA_URL, 'served': served,"
        " 'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    env = {
        **{name: value for name, value in os.environ.items() if name not in AWS_NAMES},
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "VAR_DIR": str(tmp_path),
        "AWS_STORAGE_BUCKET_NAME": "canary-media",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
        "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["url"] == "https://media.example.org/x.jpg"
    assert answer["media"] == "https://media.example.org/"
    assert answer["img"] == ["'self'", "data:", "https://media.example.org"]
    assert answer["served"] is False  # the app servers never serve a bucket's files


@pytest.mark.django_db
def test_reader_pages_allow_pictures_from_the_media_host_and_nowhere_else(media_storage, anonymous):
    article = make_article("Seen from the bucket", featured_image=make_image(alt_text="A picture"))
    response = anonymous.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()[1:]
    expected = ["'self'", "data:", *([settings.MEDIA_ORIGIN] if settings.MEDIA_ORIGIN else [])]
    assert img_src == expected
    page = response.content.decode()
    assert article.featured_image.file.url in page
    # Every picture from our own site or the co-op's own media host, never anyone else's.
    addresses = [a for found in re.findall(r'(?:src|srcset)="([^"]*)"', page) for a in found.split(", ")]
    assert addresses
    for address in addresses:
        assert not re.match(r"(https?:)?//", address) or address.startswith(settings.MEDIA_ORIGIN + "/"), (
            address
        )
    og_image = f'<meta property="og:image" content="{article.featured_image.social_address}">'
    assert og_image in response.content.decode()
    assert article.featured_image.social_address.startswith(("http://", "https://"))


@pytest.mark.django_db
def test_the_privacy_notice_names_the_co_ops_own_media_host(media_storage):
    (privacy,) = [page for page in demo_content.pages(media_host()) if page["slug"] == "privacy"]
    host = media_host()
    assert host == (settings.MEDIA_ORIGIN or settings.SITE_URL).split("://")[1]
    assert f"the pictures from {host}, the co-op's own media host" in privacy["body"]
    assert "{media_host}" not in json.dumps(demo_content.pages(host))
