"""The newsroom's roles, declared once and synced to Django groups after every migrate.

Each role is a group whose permissions are exactly the codenames listed here: a codename
added or removed in this file is added to or removed from the group by the next migrate.
"""

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger("canary.roles")


def _crud(app_label, *models, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
MODERATOR = "Moderator"
FINANCE = "Finance"
AUDIENCE = "Audience"

ROLES = {
    # Writes their own drafts and submits them for review; the article admin limits them to
    # their own work while it is a draft, and never lets them publish or schedule.
    CONTRIBUTOR: [
        *_crud("articles", "article", actions=("add", "change", "view")),
        *_crud("articles", "actionlink"),
        # Upload and pick pictures; changing or deleting one would change every story it is on,
        # published ones included: that is an editor's call.
        *_crud("articles", "image", actions=("add", "view")),
        *_crud("articles", "section", "author", actions=("view",)),
        *_crud("taggit", "tag", actions=("add", "view")),
    ],
    # Everything about articles and the pages around them; publishes, schedules, withdraws,
    # restores and corrects.
    EDITOR: [
        *_crud("articles", "article", "actionlink", "section", "author", "image", "page", "oldpath"),
        *_crud("articles", "correction"),
        # Readers' reports of mistakes: read and answered, never written or deleted here.
        *_crud("articles", "correctionrequest", actions=("change", "view")),
        "articles.publish_article",
        "articles.withdraw_article",
        *_crud("articles", "comment", actions=("change", "view")),
        *_crud("articles", "blockedcommenter"),
        *_crud("taggit", "tag"),
        # Totals and the words and amounts of the appeal, never supporters' personal data.
        "supporters.view_giving_totals",
        *_crud("supporters", "amountpreset", "givingpage", "calltoaction", "adslot", "housead"),
        "readership.view_tally",
        # The clock's list: what is due and what last ran (digests, reminders), read-only.
        "core.view_occurrence",
        # Newsletters: set them up, compose, preview, test and send issues (sending is its own
        # permission). Never the subscribers: their addresses are personal data.
        *_crud("newsletters", "newsletter", actions=("add", "change", "view")),
        *_crud("newsletters", "issue", "story"),
        "newsletters.send_issue",
    ],
    # Comments only: they may read articles in the admin's comment list but never edit them.
    MODERATOR: [
        *_crud("articles", "comment", actions=("change", "view")),
        *_crud("articles", "blockedcommenter"),
    ],
    # Money and the people who give it: read-only, because only the payment provider changes payments.
    FINANCE: [
        *_crud(
            "supporters",
            "supporter",
            "donation",
            "plan",
            "providerevent",
            "giftmembership",
            actions=("view",),
        ),
        # Bringing supporters over from an old shop: upload a file, read its report, delete it after.
        *_crud("supporters", "supporterimport", actions=("add", "view", "delete")),
        "supporters.export_supporters",
        "supporters.view_giving_totals",
        "readership.view_tally",
        "core.view_occurrence",
    ],
    # The newsletters' readers are personal data: their list, its CSV export (each one logged)
    # and imports from an old list. Nobody else gets these, Finance and editors included.
    AUDIENCE: [
        *_crud("newsletters", "subscriber", "subscription", "newsletter", actions=("view",)),
        "newsletters.export_subscribers",
        # Upload a file, read its report, delete it after; the worker does the importing.
        *_crud("newsletters", "subscriberimport", actions=("add", "view", "delete")),
    ],
}


def permissions_for(codenames):
    """The Permission rows for "app_label.codename" strings, and the ones that do not exist."""
    wanted = {tuple(name.split(".", 1)) for name in codenames}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={code for _, code in wanted},
    ).select_related("content_type")
    rows = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in rows}
    return rows, sorted(f"{app}.{code}" for app, code in missing)


def sync_roles():
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        rows, missing = permissions_for(codenames)
        if missing:
            logger.warning("Role %s names permissions that do not exist: %s", name, ", ".join(missing))
        group.permissions.set(rows)


def sync_roles_after_migrate(sender, using="default", **kwargs):
    sync_roles()
