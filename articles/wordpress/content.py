"""WordPress post bodies made into plain HTML, before Canary's sanitizer sees them.

WordPress stores bodies in two dialects. The classic editor keeps text in which a blank line
separates paragraphs and a single line break is a ``<br>``, added only when the post is shown;
the block editor stores finished HTML wrapped in ``<!-- wp:... -->`` comments. Both may hold
shortcodes (``[caption]``, ``[embed]``, ``[gallery]``...) that only WordPress understands.

``to_html`` gives either dialect explicit paragraphs, turns captions into figures and embeds
into plain links, and drops every other shortcode while keeping any text inside it. Images
and the final sanitizing are the importer's and the models' business.
"""

import html
import re
from urllib.parse import urlsplit

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# Markers of the classic editor: "read more" and page breaks.
MARKER_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)
SHORTCODE_NAME = r"[A-Za-z][\w-]*"
# Shortcodes WordPress and its popular plugins use bare, with neither attributes nor closing tag.
BARE_SHORTCODES = {"gallery", "playlist", "audio", "video", "contact-form", "contact-form-7", "toc"}
EMBED_SHORTCODES = {
    "embed",
    "youtube",
    "vimeo",
    "tweet",
    "twitter",
    "soundcloud",
    "spotify",
    "video",
    "audio",
}
URL = re.compile(r"""https?://[^\s"'<>\[\]]+""")


def is_block_markup(body):
    return "<!-- wp:" in (body or "")


def to_html(body):
    """A WordPress post body as HTML with explicit paragraphs and no shortcodes."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = is_block_markup(text)
    text = MARKER_COMMENT.sub("", text)
    if blocks:
        text = BLOCK_COMMENT.sub("", text)
        text = _embed_figures(text)
    text = _captions(text)
    text = _embeds(text)
    text = _link_lone_urls(text)
    text = _strip_shortcodes(text)
    if not blocks:
        text = autop(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- Shortcodes -------------------------------------------------------------------------------


def _attributes(text):
    """The key="value" pairs of a shortcode's opening tag (quotes optional, as WordPress allows)."""
    pairs = re.findall(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))""", text or "")
    return {key.lower(): next((v for v in values if v), "") for key, *values in pairs}


def link_paragraph(url):
    url = html.escape(html.unescape(url.strip()), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
# The picture at the start of a caption's content: an <img>, possibly inside a link.
CAPTIONED_PICTURE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)", re.S | re.I)


def _captions(text):
    def figure(match):
        attributes, inner = _attributes(match.group(2)), match.group(3)
        picture = CAPTIONED_PICTURE.match(inner)
        if picture is None:
            return inner  # no picture to caption: keep whatever text there is
        caption = inner[picture.end() :].strip() or attributes.get("caption", "").strip()
        caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
        # Blank lines around a figure make it a block of its own for the paragraph rules.
        return f"\n\n<figure>{picture.group(1).strip()}{caption_html}</figure>\n\n"

    return CAPTION.sub(figure, text)


EMBED_PAIR = re.compile(rf"\[({SHORTCODE_NAME})\b([^\]]*)\](.*?)\[/\1\]", re.S)
EMBED_SINGLE = re.compile(rf"\[({SHORTCODE_NAME})\b([^\]]*?)/?\]")


def _embeds(text):
    """[embed]URL[/embed], [youtube URL], [video src="URL"]: a plain link to the URL."""

    def paired(match):
        if match.group(1).lower() not in EMBED_SHORTCODES:
            return match.group(0)
        found = URL.search(match.group(3)) or URL.search(match.group(2))
        return f"\n\n{link_paragraph(found.group(0))}\n\n" if found else match.group(0)

    def single(match):
        if match.group(1).lower() not in EMBED_SHORTCODES:
            return match.group(0)
        found = URL.search(match.group(2))
        return f"\n\n{link_paragraph(found.group(0))}\n\n" if found else match.group(0)

    return EMBED_SINGLE.sub(single, EMBED_PAIR.sub(paired, text))


LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)
# Sites whose URL alone on a line WordPress shows as an embedded post or player. Any other
# URL stays text where it stands, as WordPress leaves it.
EMBED_HOSTS = (
    "youtube.com", "youtu.be", "twitter.com", "x.com", "vimeo.com", "soundcloud.com", "spotify.com",
    "instagram.com", "facebook.com", "tiktok.com", "flickr.com", "dailymotion.com", "mixcloud.com",
    "tumblr.com", "reddit.com", "ted.com", "wordpress.tv", "videopress.com",
)  # fmt: skip


def is_embed_url(url):
    host = (urlsplit(html.unescape(url)).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in EMBED_HOSTS)


def _link_lone_urls(text):
    """A video or post URL alone on its line is what WordPress turns into an embed."""

    def replace(match):
        url = match.group(1)
        return f"\n{link_paragraph(url)}\n" if is_embed_url(url) else match.group(0)

    return LONE_URL.sub(replace, text)


EMBED_FIGURE = re.compile(r"<figure\b[^>]*\bwp-block-embed[^>]*>(.*?)</figure>", re.S | re.I)


def _embed_figures(text):
    """The block editor's embed: a figure with the URL as text. Keep the URL, as a link."""

    def replace(match):
        found = URL.search(re.sub(r"<[^>]+>", " ", match.group(1)))
        return f"\n{link_paragraph(found.group(0))}\n" if found else ""

    return EMBED_FIGURE.sub(replace, text)


PAIRED = re.compile(rf"\[({SHORTCODE_NAME})\b[^\]]*\](.*?)\[/\1\]", re.S)
SELF_CLOSING = re.compile(rf"\[{SHORTCODE_NAME}\b[^\]]*/\]")
OPENING = re.compile(rf"\[({SHORTCODE_NAME})(\s[^\]]*)?\]")
ESCAPED = re.compile(r"\[(\[[^\[\]]*\])\]")


def _strip_shortcodes(text):
    """Drop shortcodes and keep the text between their tags.

    An unpaired [word] is only taken for a shortcode when it has attributes or is one of the
    well-known bare ones, so that "[sic]" or "[1]" in a story survives. WordPress's escape,
    [[word]], stands for the literal text [word].
    """
    escaped = []

    def hide(match):
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = ESCAPED.sub(hide, text)
    previous = None
    while previous != text:  # shortcodes nest: peel one layer at a time
        previous = text
        text = PAIRED.sub(lambda match: match.group(2), text)
    text = SELF_CLOSING.sub("", text)

    def opening(match):
        name, attributes = match.group(1), match.group(2) or ""
        return "" if "=" in attributes or name.lower() in BARE_SHORTCODES else match.group(0)

    text = OPENING.sub(opening, text)
    return re.sub(r"\x00(\d+)\x00", lambda match: escaped[int(match.group(1))], text)


# --- The classic editor's paragraph rules -----------------------------------------------------

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "iframe", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "audio", "video", "object", "script", "style",
}  # fmt: skip
# Blocks whose text may be split into paragraphs; inside any other block (a list item, a
# heading, a figure...) line breaks stay line breaks.
PARAGRAPH_CONTAINERS = {
    "",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "footer",
    "header",
    "main",
    "section",
}
RAW_TAGS = {"pre", "script", "style", "textarea"}
VOID_TAGS = {"hr", "br", "img"}
TOKEN = re.compile(r"<!--.*?-->|</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>", re.S)
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def autop(text):
    """Explicit <p> and <br> for a classic-editor body (blank line = paragraph, newline = <br>).

    The text is read as a sequence of tags and runs of inline content. A block-level tag ends
    the current run; a run in a container that may hold paragraphs is split on blank lines and
    each part wrapped in <p>, and inside other blocks its line breaks become <br>.
    """
    out = []
    stack = []  # open block-level tags
    run = []  # inline content since the last block-level tag
    position = 0
    raw_until = None  # inside <pre> and friends text is copied untouched

    def flush():
        content = "".join(run)
        run.clear()
        if not content.strip():
            if content:
                out.append("\n")
            return
        container = stack[-1] if stack else ""
        if container in PARAGRAPH_CONTAINERS:
            out.append(_paragraphs(content) + "\n")
        else:
            out.append(_line_breaks(content))

    for match in TOKEN.finditer(text):
        before, token, tag = text[position : match.start()], match.group(0), (match.group(1) or "").lower()
        position = match.end()
        if raw_until:
            out.append(before + token)
            if token.lower().startswith(f"</{raw_until}"):
                raw_until = None
            continue
        run.append(before)
        if tag not in BLOCK_TAGS:
            run.append(token)  # inline tags and comments travel with the text
            continue
        flush()
        out.append(token)
        closing = token.startswith("</")
        if closing:
            if tag in stack:
                while stack and stack.pop() != tag:
                    pass
        elif tag in RAW_TAGS:
            raw_until = tag
        elif tag not in VOID_TAGS and not token.endswith("/>"):
            stack.append(tag)
    if raw_until:
        out.append(text[position:])
    else:
        run.append(text[position:])
        flush()
    return "".join(out).strip()


def _line_breaks(content):
    # A <br> someone typed before a newline is the line break already: do not double it.
    content = re.sub(r"<br\s*/?>[ \t]*\n", "<br>\x01", content.strip(), flags=re.I)
    content = re.sub(r"\n(?:[ \t]*\n)+", "\n\n", content)
    return "<br>\n".join(line.strip() for line in content.split("\n")).replace("\x01", "\n")


def _paragraphs(content):
    parts = (part.strip() for part in BLANK_LINE.split(content))
    return "\n".join(f"<p>{_line_breaks(part)}</p>" for part in parts if part)
