"""Shared pieces of the newsletter admin tests: the issue form as a browser posts it."""

from tests.security_helpers import signed_in, staff_user

ISSUES = "/admin/newsletters/issue/"


def editor(username="ed", email=None):
    user = staff_user("Editor", username)
    if email is not None:
        user.email = email
        user.save()
    return signed_in(user), user


def issue_form(newsletter, subject="Library saved", stories=(), existing=(), **fields):
    """The add/change form's POST: the issue's fields, then one row per story.

    stories are (article, position) pairs for new rows; existing are (story, position) pairs for
    rows already there, kept as they are.
    """
    data = {
        "newsletter": newsletter.pk,
        "subject": subject,
        "preheader": fields.get("preheader", ""),
        "introduction": fields.get("introduction", "Good morning."),
        "email_only": fields.get("email_only", ""),
        "stories-TOTAL_FORMS": len(existing) + len(stories),
        "stories-INITIAL_FORMS": len(existing),
        "stories-MIN_NUM_FORMS": 0,
        "stories-MAX_NUM_FORMS": 1000,
    }
    rows = [(story.pk, story.issue_id, story.article_id, story, pos) for story, pos in existing]
    rows += [("", "", article.pk, None, pos) for article, pos in stories]
    for n, (pk, issue_id, article_id, story, position) in enumerate(rows):
        data.update(
            {
                f"stories-{n}-id": pk,
                f"stories-{n}-issue": issue_id,
                f"stories-{n}-article": article_id,
                f"stories-{n}-position": position,
                f"stories-{n}-headline": story.headline if story else "",
                f"stories-{n}-standfirst": story.standfirst if story else "",
            }
        )
    return data
