"""The co-op's own rules and limits, each read from the environment: how long comments stay
open, what a gift makes you, how often a client may ask for things. canary/settings.py takes
every upper-case name here as a setting of the same name."""

from canary.environment import env, env_bool, env_int

# --- Newsroom -------------------------------------------------------------------------------

# Comments on an article set to "automatic" close this many days after publication.
COMMENTS_OPEN_DAYS = env_int("COMMENTS_OPEN_DAYS", 30)
# The admin's tag box: "Rent strikes" typed alone is one tag (taggit would make two).
TAGGIT_TAGS_FROM_STRING = "articles.tag_input.tags_from_string"
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# import_wordpress without --media-dir: seconds for one picture's whole download, and how many
# redirects it may follow (each one checked: public addresses only).
WORDPRESS_DOWNLOAD_TIMEOUT = env_int("WORDPRESS_DOWNLOAD_TIMEOUT", 10)
WORDPRESS_DOWNLOAD_REDIRECTS = env_int("WORDPRESS_DOWNLOAD_REDIRECTS", 5)

# A reader needs at least this long between seeing the comment form and posting it.
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3)
# ... and at most this long: the form's signed time stamp then no longer lets anyone post.
COMMENT_FORM_MAX_MINUTES = env_int("COMMENT_FORM_MAX_MINUTES", 180)
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 5)
# Reports of a mistake in a story from one client address in an hour.
CORRECTION_REPORT_RATE_LIMIT = env_int("CORRECTION_REPORT_RATE_LIMIT", 5)
# A comment with more links than this waits for a moderator, whoever wrote it.
COMMENT_MAX_LINKS = env_int("COMMENT_MAX_LINKS", 2)

# --- Supporters, newsletters and readers -----------------------------------------------------

# A one-off gift makes the giver a member for this many days.
ONE_OFF_MEMBERSHIP_DAYS = env_int("ONE_OFF_MEMBERSHIP_DAYS", 30)
# A plan whose payment failed keeps its member benefits this long.
PAST_DUE_GRACE_DAYS = env_int("PAST_DUE_GRACE_DAYS", 14)
# The supporter is reminded this many days before the grace period ends (at most half of it).
PAST_DUE_REMINDER_DAYS = env_int("PAST_DUE_REMINDER_DAYS", 3)
DONATION_MIN_PENCE = env_int("DONATION_MIN_PENCE", 100)
DONATION_MAX_PENCE = env_int("DONATION_MAX_PENCE", 1_000_000)
SIGN_IN_LINK_MINUTES = env_int("SIGN_IN_LINK_MINUTES", 15)
DONATION_RATE_LIMIT = env_int("DONATION_RATE_LIMIT", 10)
SIGN_IN_RATE_LIMIT = env_int("SIGN_IN_RATE_LIMIT", 5)
# Newsletter sign-ups: per client a minute (an office behind one address signs up together),
# and per email address an hour (nobody fills a stranger's inbox with confirmation emails).
NEWSLETTER_SIGNUP_RATE_LIMIT = env_int("NEWSLETTER_SIGNUP_RATE_LIMIT", 20)
NEWSLETTER_ADDRESS_RATE_LIMIT = env_int("NEWSLETTER_ADDRESS_RATE_LIMIT", 5)
# A subscriber import's file (CSV, or the hosted list's zip) and its rows. The bytes stay under
# nginx's body limit (12m, deploy/nginx.conf) so the admin refuses a big upload kindly; a zip's
# files may unpack to 20 times that.
NEWSLETTER_IMPORT_MAX_BYTES = env_int("NEWSLETTER_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
NEWSLETTER_IMPORT_MAX_ROWS = env_int("NEWSLETTER_IMPORT_MAX_ROWS", 250_000)
# Uncached searches a minute per address (cached result pages cost nothing and are not counted).
SEARCH_RATE_LIMIT = env_int("SEARCH_RATE_LIMIT", 30)
# Appeal and house-ad clicks counted a minute per address; more still go through, uncounted.
CLICK_RATE_LIMIT = env_int("CLICK_RATE_LIMIT", 10)

# Readership (readership/): beacons counted a minute per client (more still get their 204),
# and without Redis counts are written in batches of this many, or this often.
READERSHIP_RATE_LIMIT = env_int("READERSHIP_RATE_LIMIT", 60)
READERSHIP_BATCH_SIZE = env_int("READERSHIP_BATCH_SIZE", 200)
READERSHIP_BATCH_SECONDS = env_int("READERSHIP_BATCH_SECONDS", 10)
# With Redis, each process sends its beacons together this often (0: each in its own request).
READERSHIP_BUFFER_MS = env_int("READERSHIP_BUFFER_MS", 1000)
# The counting script on reader pages; 0 leaves it out, and no new views are counted (pages
# already cached keep it until the cache turns over).
READERSHIP_SCRIPT = env_bool("READERSHIP_SCRIPT", True)
# The beacon answered ahead of Django's request handling (readership/wsgi.py).
READERSHIP_BEACON_BEFORE_DJANGO = env_bool("READERSHIP_BEACON_BEFORE_DJANGO", True)
# Readers' "Most read" list: this many stories, worked out again every this many seconds.
READERSHIP_MOST_READ_LENGTH = env_int("READERSHIP_MOST_READ_LENGTH", 5)
READERSHIP_MOST_READ_SECONDS = env_int("READERSHIP_MOST_READ_SECONDS", 300)
# The static page that says what is counted and carries the button to object.
READERSHIP_PRIVACY_PAGE_SLUG = env("READERSHIP_PRIVACY_PAGE_SLUG", "privacy")
# The static page a withdrawn article's notice points to, when it exists.
CORRECTIONS_PAGE_SLUG = env("CORRECTIONS_PAGE_SLUG", "complaints-and-corrections")
