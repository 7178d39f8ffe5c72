"""Pictures: attachments, featured pictures and pictures in bodies, brought into Canary's library.

Each picture is read from a copy of wp-content/uploads or downloaded from the old site, checked
like any upload, and its old upload path redirects to it, so a second import finds it again.
"""

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import imaging
from ..models import Image, OldPath
from ..sanitize import from_our_library
from . import content
from .remote import MediaMissing
from .values import describe, plain_text

UPLOADS = "/wp-content/uploads/"
# WordPress's resized copies ("photo-300x200.jpg") and big-image originals ("photo-scaled.jpg").
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")


@dataclass
class Attachment:
    id: int
    url: str
    rel: str  # the path under wp-content/uploads
    alt: str = ""
    title: str = ""
    caption: str = ""


def upload_rel(url):
    """'https://old.canary.example/wp-content/uploads/2021/03/x.jpg' -> '2021/03/x.jpg'."""
    path = unquote(urlsplit(html.unescape(url or "").strip()).path)
    if UPLOADS not in path:
        return None
    return path.split(UPLOADS, 1)[1].lstrip("/") or None


_attribute_patterns = {}


def get_attribute(tag, name):
    pattern = _attribute_patterns.setdefault(
        name, re.compile(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
    )
    match = pattern.search(tag)
    return (
        html.unescape(next((group for group in match.groups() if group is not None), "")) if match else None
    )


def set_attribute(tag, name, value):
    escaped = html.escape(value, quote=True)
    pattern = re.compile(rf"""(\s{name}\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
    return pattern.sub(lambda match: f'{match.group(1)}"{escaped}"', tag, count=1)


def drop_attribute(tag, name):
    return re.sub(rf"""\s{name}\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", "", tag, flags=re.I)


IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
A_TAG = re.compile(r"<a\b[^>]*>", re.I)
EMPTY_LINK = re.compile(r"<a\b[^>]*>\s*</a>", re.I)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?", re.I)
# A figure whose picture could not be brought over: keep its caption as a paragraph.
PICTURELESS_FIGURE = re.compile(r"<figure>\s*(?:<figcaption>(.*?)</figcaption>)?\s*</figure>", re.S | re.I)


class MediaMixin:
    """The Importer's pictures: they use its per-post bookkeeping, cache and redirects."""

    def _remember_attachment(self, item):
        url = item.attachment_url or item.guid
        rel = item.meta.get("_wp_attached_file") or upload_rel(url) or ""
        self.attachments[item.id] = Attachment(
            id=item.id,
            url=url,
            rel=rel.lstrip("/"),
            alt=item.meta.get("_wp_attachment_image_alt", ""),
            title=plain_text(item.title),
            caption=plain_text(item.excerpt),
        )
        if rel:
            self.attachment_by_rel.setdefault(rel, item.id)
            self.attachment_by_rel.setdefault(SIZE_SUFFIX.sub("", rel), item.id)

    def body_html(self, body, owner, alt_fallback):
        """The cleaned body, with its pictures brought into the library and pointing there."""
        text = content.to_html(body)
        urls = {}

        def picture(match):
            tag = match.group(0)
            src = get_attribute(tag, "src")
            if not src:
                return tag
            url = self.body_image_url(src, owner, get_attribute(tag, "alt") or alt_fallback)
            if url is None:
                return ""  # leave it out rather than keep a broken picture
            urls[upload_rel(src)] = url
            for name in ("srcset", "sizes", "class", "loading", "decoding"):
                tag = drop_attribute(tag, name)
            return set_attribute(tag, "src", url)

        def link(match):
            # "Link to media file": the full-size picture we now have, or the old address.
            tag = match.group(0)
            rel = upload_rel(get_attribute(tag, "href"))
            if rel is None:
                return tag
            image = self._cached(("upload", rel)) or self._cached(("upload", SIZE_SUFFIX.sub("", rel)))
            url = urls.get(rel) or (image.file.url if image else None)
            return set_attribute(tag, "href", url) if url else tag

        text = IMG_TAG.sub(picture, text)
        text = A_TAG.sub(link, text)
        text = EMPTY_LINK.sub("", text)
        text = PICTURELESS_FIGURE.sub(
            lambda match: f"<p>{match.group(1)}</p>" if match.group(1) else "", text
        )
        return EMPTY_PARAGRAPH.sub("", text)

    def body_image_url(self, src, owner, alt):
        rel = upload_rel(src)
        if rel is None:
            if from_our_library(src):
                return src  # already one of ours (a second import of a cleaned body)
            self._count("images", "skipped")
            self._warn(f"{owner}: picture {src} is not in the site's uploads and was left out")
            return None
        # A relative address ("/wp-content/uploads/...") is downloaded from the old site.
        image = self.upload_image(rel, urljoin(self.base_url.rstrip("/") + "/", src), alt, owner)
        return image.file.url if image else None

    def featured_image(self, item, owner, alt_fallback):
        try:
            attachment_id = int(item.meta.get("_thumbnail_id") or 0)
        except ValueError:
            attachment_id = 0
        if not attachment_id:
            return None
        if (
            attachment_id not in self.attachments
            and not Image.objects.filter(wordpress_id=attachment_id).exists()
        ):
            self._count("images", "skipped")
            self._warn(f"{owner}: featured picture {attachment_id} is not in the export; imported without it")
            return None
        return self.attachment_image(attachment_id, owner, alt_fallback, label="featured picture")

    def attachment_image(self, attachment_id, owner, alt_fallback, warn=True, label="picture"):
        image = self._cached(("attachment", attachment_id))
        if image is not None:
            return image
        attachment = self.attachments.get(attachment_id)
        image = Image.objects.filter(wordpress_id=attachment_id).first()
        if image is not None:
            if attachment is not None:
                changed = (image.alt_text, image.caption) != (
                    (attachment.alt or attachment.title or image.alt_text)[:250],
                    attachment.caption[:300],
                )
                if changed:
                    image.alt_text = (attachment.alt or attachment.title or image.alt_text)[:250]
                    image.caption = attachment.caption[:300]
                    image.save(update_fields=["alt_text", "caption"])
                if self._first_time(("image", image.pk)):
                    self._count("images", "updated" if changed else "unchanged")
        elif attachment is not None:
            image = self.store_image(
                attachment.rel,
                attachment.url,
                owner,
                alt=attachment.alt or attachment.title or alt_fallback,
                caption=attachment.caption,
                wordpress_id=attachment_id,
                warn=warn,
                label=label,
            )
        if image is None:
            return None
        self.unit.cache["attachment", attachment_id] = image
        if attachment is not None and attachment.rel:
            self.unit.cache["upload", attachment.rel] = image
            self.redirect(UPLOADS + attachment.rel, image)
        return image

    def upload_image(self, rel, url, alt, owner):
        """The library picture for a file under wp-content/uploads, imported if need be."""
        image = self._cached(("upload", rel))
        if image is not None:
            return image
        # Imported before: its old upload path already redirects to it.
        image_type = ContentType.objects.get_for_model(Image)
        old = OldPath.objects.filter(path=UPLOADS + rel, target_type=image_type).first()
        image = Image.objects.filter(pk=old.target_id).first() if old else None
        if image is not None and self._first_time(("image", image.pk)):
            self._count("images", "unchanged")
        if image is None:
            attachment_id = self.attachment_by_rel.get(rel) or self.attachment_by_rel.get(
                SIZE_SUFFIX.sub("", rel)
            )
            if attachment_id:
                image = self.attachment_image(attachment_id, owner, alt, warn=False)
        if image is None:
            # Not a known attachment, or its full-size file is gone: this very file will do.
            image = self.store_image(rel, url, owner, alt=alt)
        if image is not None:
            self.unit.cache["upload", rel] = image
            self.redirect(UPLOADS + rel, image)
        return image

    def store_image(self, rel, url, owner, alt, caption="", wordpress_id=None, warn=True, label="picture"):
        try:
            if rel in self._missing:
                raise MediaMissing(self._missing[rel])
            upload = SimpleUploadedFile(posixpath.basename(rel) or "picture", self._read_media(rel, url))
            image = Image(alt_text=(alt or posixpath.basename(rel))[:250], caption=caption[:300])
            image.wordpress_id = wordpress_id
            if self.dry_run:
                # Checked like any upload, but no file is written.
                image.width, image.height = imaging.open_checked(upload).size
                image.file = f"images/dry-run/{upload.name}"
            else:
                image.store_upload(upload)
                self.unit.files.append(image.file.name)
        except (MediaMissing, ValidationError) as error:
            reason = describe(error)
            self._missing[rel] = reason
            if warn:
                self._count("images", "skipped")
                self._warn(f"{owner}: {label} {rel or url}: {reason.rstrip('.')}; imported without it")
            return None
        image.save()
        self._first_time(("image", image.pk))
        self._count("images", "created")
        return image

    def _read_media(self, rel, url):
        if self.media_dir is None:
            return self.fetch(url, imaging.max_bytes())
        candidate = (self.media_dir / rel).resolve()
        if not candidate.is_relative_to(self.media_dir):
            raise MediaMissing("its path leads outside the media folder")
        if not candidate.is_file():
            raise MediaMissing("not found in the media folder")
        if candidate.stat().st_size > imaging.max_bytes():
            raise MediaMissing(f"is larger than {imaging.max_bytes() // 1_048_576} MB")
        return candidate.read_bytes()
