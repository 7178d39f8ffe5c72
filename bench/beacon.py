"""The readership beacon as make bench sends it."""

from urllib.parse import urlencode

# The readership beacon, as a reader's browser sends it (sendBeacon's form-encoded POST) with a
# browser's user agent: a bot's would be answered without counting. The address is the
# site's, outside the reversed-links rule like the rest of bench/.
BEACON_PATH = "/readership/count/"
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


def beacon_load(article):
    return {
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": READER_AGENT},
        "body": urlencode({"e": "view", "p": article, "r": "www.google.co.uk", "v": "", "a": ""}),
        "ok": 204,
    }
