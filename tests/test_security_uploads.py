"""Hostile uploads and open-redirect attempts: refused with a clear message, never sent off-site."""

import io
import struct
import zlib
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from PIL import PngImagePlugin

from articles.factories import make_article, make_image
from articles.models import Image, OldPath
from supporters.models import AdSlot, CallToAction, Click, Donation, HouseAd, SignInToken
from supporters.models.appeals import validate_target
from tests.security_helpers import signed_in, staff_user, supporter_user

pytestmark = pytest.mark.django_db

UNREADABLE = "not an image we can read"
TOO_MANY_PIXELS = "million pixels"


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


def never_500(client):
    """A client that answers a server error with a 500 page, as production does, instead of raising."""
    client.raise_request_exception = False
    return client


# --- Uploads ----------------------------------------------------------------------------------------


def store(data, name="picture.jpg"):
    image = Image(alt_text="A picture")
    image.store_upload(SimpleUploadedFile(name, data, "image/jpeg"))
    return image


def refusal(data, name="picture.jpg"):
    with pytest.raises(ValidationError) as error:
        store(data, name)
    return " ".join(error.value.messages)


def encoded(picture, image_format, **options):
    out = io.BytesIO()
    picture.save(out, format=image_format, **options)
    return out.getvalue()


def png_declaring(width, height):
    """A small real PNG whose header then claims another size: what a decompression bomb looks like."""
    data = bytearray(encoded(PILImage.new("L", (8, 8)), "PNG"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n1 0 obj << /JS (app.alert(1)) >>", "report.pdf", UNREADABLE),
        (b"<html><script>alert(1)</script></html>", "photo.jpg", UNREADABLE),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", UNREADABLE),
        (b"MZ\x90\x00 an executable", "photo.png", UNREADABLE),
        (encoded(PILImage.new("RGB", (20, 20)), "BMP"), "photo.jpg", "Upload a JPEG, PNG, WebP or GIF image"),
        (
            encoded(PILImage.new("RGB", (20, 20)), "TIFF"),
            "scan.tiff",
            "Upload a JPEG, PNG, WebP or GIF image",
        ),
    ],
)
def test_wrong_types_are_refused_with_a_clear_message(data, name, message):
    assert message in refusal(data, name)


def test_a_polyglot_gif_header_followed_by_html_is_refused():
    assert UNREADABLE in refusal(b"GIF89a\x01\x00\x01\x00<html><script>alert(1)</script></html>", "a.gif")


@pytest.mark.parametrize("image_format", ["GIF", "JPEG"])
def test_a_real_picture_carrying_a_script_is_stored_without_it(image_format):
    mode = "P" if image_format == "GIF" else "RGB"
    data = encoded(PILImage.new(mode, (16, 16)), image_format, comment=b"<script>alert(1)</script>")
    image = store(data + b"<html><script>alert(2)</script></html>", "a.html")
    stored = image.file.read()
    assert b"<script" not in stored and b"<html" not in stored
    # Named for what it is, whatever it was called: served as a picture, never as a page.
    assert image.file.name.endswith(".gif" if image_format == "GIF" else ".jpg")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    message = refusal(png_declaring(30_000, 30_000), "bomb.png")
    assert TOO_MANY_PIXELS in message


def test_huge_dimensions_over_the_limit_are_refused_with_the_size(settings):
    assert settings.IMAGE_MAX_PIXELS == 40_000_000
    message = refusal(png_declaring(8_000, 6_000), "huge.png")
    assert "8000×6000 pixels" in message and "40 million pixels" in message


def test_a_compressed_text_bomb_inside_a_png_is_refused():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "A" * 4_000_000, zip=True)  # 4 MB of text, a few KB compressed
    data = encoded(PILImage.new("RGB", (8, 8)), "PNG", pnginfo=info)
    assert len(data) < 100_000
    assert UNREADABLE in refusal(data, "text-bomb.png")


def test_an_upload_through_the_newsroom_form_shows_the_reason_and_stores_nothing():
    client = signed_in(staff_user("Contributor"))
    polyglot = SimpleUploadedFile("a.gif", b"GIF89a<script>alert(1)</script>", "image/gif")
    response = client.post("/admin/articles/image/add/", {"alt_text": "x", "upload": polyglot})
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
    assert not Image.objects.exists()


# --- Open redirects -------------------------------------------------------------------------------


def off_site(location):
    """Where a browser would go: anywhere but this site counts."""
    normalised = location.replace("\\", "/").replace("\t", "").replace("\n", "")
    return normalised.startswith("//") or urlsplit(normalised).netloc not in ("", "testserver")


def call(link):
    # objects.create skips the field's validator: this is what a bad row would do.
    return CallToAction.objects.create(name="Appeal", placement="banner", headline="Help", link=link)


def test_click_through_goes_only_to_the_configured_target():
    appeal = call("/support/")
    response = Client().get(f"/go/c/{appeal.pk}/?next=https://evil.example&url=//evil.example")
    assert response.status_code == 302
    assert response["Location"] == f"/support/?cta={appeal.pk}"
    external = call("https://petition.example/sign")
    assert Client().get(f"/go/c/{external.pk}/")["Location"] == "https://petition.example/sign"
    assert Client().get("/go/c/999999/?next=https://evil.example").status_code == 404


@pytest.mark.parametrize(
    "link", ["/\\evil.example/", "/\t/evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_click_through_never_follows_a_link_browsers_would_take_off_site(link):
    appeal = call(link)
    response = never_500(Client()).get(f"/go/c/{appeal.pk}/")
    assert response.status_code == 404
    assert not Click.objects.exists()
    ad = HouseAd.objects.create(
        slot=AdSlot.objects.create(placement="header"), name="Ad", image=make_image(), link=link
    )
    assert never_500(Client()).get(f"/go/a/{ad.pk}/").status_code == 404


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "//evil.example",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "ftp://x",
    ],
)
def test_call_to_action_link_validator_refuses_other_schemes_and_hosts(link):
    with pytest.raises(ValidationError):
        validate_target(link)


def test_call_to_action_link_validator_refuses_a_backslash_host():
    with pytest.raises(ValidationError):
        validate_target("/\\evil.example/")


def test_account_sign_in_ignores_next(client):
    user, _, _ = supporter_user("member@example.com")
    assert client.get("/account/login/?next=//evil.example").status_code == 200
    response = client.post("/account/login/?next=//evil.example", {"email": "member@example.com"})
    assert response["Location"] == "/account/login/"
    token = SignInToken.issue(user.supporter)
    response = client.post(f"/account/login/{token}/?next=https://evil.example")
    assert response["Location"] == "/account/"
    assert client.get("/account/login/?next=//evil.example")["Location"] == "/account/"
    assert Client().get("/account/")["Location"] == "/account/login/?next=/account/"


def test_admin_sign_in_never_follows_an_off_site_next(client):
    staff_user("Editor")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example/"):
        response = Client().post(
            f"/admin/login/?next={target}", {"username": "editor", "password": "a-long-test-password-1"}
        )
        assert response.status_code == 302
        assert not off_site(response["Location"]), response["Location"]


def test_checkout_return_addresses_stay_on_this_site():
    client = Client()
    data = {"frequency": "one_off", "amount": "5", "name": "Kim", "email": "kim@example.com", "consent": "on"}
    forged = never_500(Client()).post("/support/", data, HTTP_HOST="evil.example")
    assert forged.status_code == 400
    assert not Donation.objects.exists()
    response = client.post("/support/", data, HTTP_X_FORWARDED_HOST="evil.example")
    paid = client.post(response["Location"], {"action": "pay"})
    assert paid["Location"].startswith("http://testserver/support/thanks/")
    declined_response = client.post("/support/", {**data, "email": "lee@example.com"})
    declined = client.post(declined_response["Location"], {"action": "decline"})
    assert declined["Location"] == "http://testserver/support/?declined=1"
    # A checkout link is signed: one made up to return elsewhere is not found.
    assert client.get("/support/checkout/test/eyJzdWNjZXNzIjoiaHR0cHM6Ly9ldmlsIn0:x:y/").status_code == 404


def test_old_paths_answer_only_with_our_own_addresses(anonymous):
    article = make_article("Moved story")
    OldPath.remember("/2019/05/12/old-slug/", article)
    OldPath.remember("//evil.example/x/", article)
    response = anonymous.get("/2019/05/12/old-slug/?utm_source=https://evil.example")
    assert response.status_code == 301
    assert response["Location"] == f"{article.get_absolute_url()}?utm_source=https://evil.example"
    assert not off_site(response["Location"])
    image = make_image()
    OldPath.remember("/wp-content/uploads/2019/05/pic.jpg", image)
    assert anonymous.get("/wp-content/uploads/2019/05/pic.jpg")["Location"] == image.file.url


@pytest.mark.parametrize("path", ["//evil.example", "//evil.example/x", "/\\evil.example", "///evil.example"])
def test_paths_that_look_like_other_hosts_never_redirect_there(anonymous, path):
    response = never_500(anonymous).get("/", PATH_INFO=path)
    assert response.status_code in (301, 302, 404)
    if response.status_code != 404:
        assert not off_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("size", [(20_000, 500), (1, 30_000)])
def test_a_picture_too_long_on_one_side_for_webp_is_refused_at_upload(size):
    """The worker's WebP copies stop at 16,383 pixels a side: such an upload would never get any."""
    message = refusal(png_declaring(*size), "panorama.png")
    assert f"{size[0]}×{size[1]} pixels" in message and "at most 16,383 pixels" in message
