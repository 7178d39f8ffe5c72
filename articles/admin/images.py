"""The image library: checked uploads, alt text required, and addresses for the body editor."""

from django.contrib import admin
from django.utils.html import format_html

from ..models import Image
from .forms import ImageAdminForm

# The body column is about 820px wide: this rendition is sharp there without being heavy.
BODY_WIDTH = 1080


def rendition_url(image, width):
    """The smallest ready-made JPEG/PNG copy at least this wide, else the stored file."""
    return image.fallback_url(width) or (image.file.url if image.file else "")


def body_address(image):
    return rendition_url(image, BODY_WIDTH)


def thumbnail(image, width=120):
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" loading="lazy" style="height:auto;max-width:{}px">',
        rendition_url(image, 360),
        image.alt_text,
        width,
        width,
    )


def address_box(image):
    """A read-only box to copy an image's address from (no script: the admin runs none inline)."""
    return format_html(
        '<input type="text" readonly value="{}" size="48" aria-label="Address of “{}” for the body editor">',
        body_address(image),
        image.alt_text,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["list_thumbnail", "__str__", "list_address", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["list_thumbnail", "__str__"]
    search_fields = ["alt_text", "caption", "credit"]
    fields = ["upload", "picture", "editor_address", "alt_text", "caption", "credit", "dimensions"]
    readonly_fields = ["picture", "editor_address", "dimensions"]
    list_per_page = 50

    @admin.display(description="Picture")
    def list_thumbnail(self, image):
        return thumbnail(image, 96)

    @admin.display(description="Address for the body editor")
    def list_address(self, image):
        return address_box(image)

    @admin.display(description="Current picture")
    def picture(self, image):
        return thumbnail(image, 360) if image and image.pk else "—"

    @admin.display(description="Address for the body editor")
    def editor_address(self, image):
        if not image or not image.pk:
            return "Shown once the picture is saved."
        return format_html(
            '{}<div class="help">Copy it, then in the body use the picture button and paste it as the '
            "image URL.</div>",
            address_box(image),
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image and image.width else "—"
