"""Posting comments from a page that is cached for everyone.

The article page carries no CSRF token and no timestamp. comments.js fetches both from
`comment_token` when the reader starts to write and sends the form to `post_comment`.
Without JavaScript the form goes to `preview`, which stores nothing, is exempt from CSRF,
and shows the comment back with a real token and a "Post comment" button.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.client_address import client_ip

from .. import commenting
from ..comment_forms import CommentForm, render_stamp
from ..models import Article, Comment


def published_article(article_id):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)


def form_page(request, article, form, *, status=200, refusal=None, preview=None, parent=None):
    context = {"article": article, "form": form, "refusal": refusal, "preview": preview, "parent": parent}
    response = render(request, "articles/comment_form_page.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def fresh_form(request, data):
    """The reader's words, kept, with a new render stamp for the next attempt."""
    values = {name: data.get(name, "") for name in ("name", "email", "body", "parent", "website")}
    return reader_form(request, **values, rendered=render_stamp(request))


def reader_form(request, data=None, **initial):
    """The form for this reader: a signed-in supporter's names them and asks for no name;
    staff get theirs filled in."""
    commenter = commenting.account_commenter(request)
    user = request.user
    if commenter is None and user.is_authenticated and data is None:
        initial = {"name": user.get_full_name() or user.get_username(), "email": user.email, **initial}
    return CommentForm(data, initial=initial, commenter=commenter)


@never_cache
@require_GET
def comment_token(request):
    return JsonResponse({"csrf": get_token(request), "rendered": render_stamp(request)})


def checked_form(request, article_id):
    """(article, valid form, None), or (article, None, the page that says what is wrong)."""
    article = published_article(article_id)
    if not article.comments_open:
        return article, None, closed(request, article)
    form = reader_form(request, request.POST)
    if not form.is_valid():
        return article, None, form_page(request, article, form, status=400)
    return article, form, None


@never_cache
@csrf_exempt
@require_POST
def preview(request, article_id):
    article, form, problem = checked_form(request, article_id)
    if problem:
        return problem
    return form_page(request, article, fresh_form(request, form.cleaned_data), preview=form.cleaned_data)


@never_cache
@require_POST
def post_comment(request, article_id):
    article, form, problem = checked_form(request, article_id)
    if problem:
        return problem
    try:
        outcome = commenting.post_comment(request, article, form, client_ip(request))
    except commenting.Refused as refusal:
        if refusal.status == 403 and not article.comments_open:
            return closed(request, article)
        return form_page(
            request,
            article,
            fresh_form(request, form.cleaned_data),
            status=refusal.status,
            refusal=refusal.message,
        )
    if outcome.published:
        messages.success(request, "Thanks, your comment is published.")
        return redirect(outcome.comment.get_absolute_url())
    messages.success(request, "Thanks, your comment is awaiting moderation.")
    return redirect(f"{article.get_absolute_url()}#comments")


@never_cache
@require_GET
def reply(request, article_id, comment_id):
    article = published_article(article_id)
    if not article.comments_open:
        return closed(request, article)
    parent = get_object_or_404(Comment.objects.visible(), article=article, pk=comment_id)
    form = reader_form(request, parent=parent.pk, rendered=render_stamp(request))
    return form_page(request, article, form, parent=parent)


def closed(request, article):
    response = render(request, "articles/comments_closed.html", {"article": article}, status=403)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    email = commenting.confirmed_email(token)
    if email is None:
        return render(request, "articles/comment_confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        request.session[commenting.SESSION_KEY] = email
        messages.success(request, "Thank you: your address is confirmed in this browser.")
        return redirect("/")
    # A button, not an automatic confirmation: mail scanners follow links but do not post forms.
    return render(request, "articles/comment_confirm.html", {"email": email})
