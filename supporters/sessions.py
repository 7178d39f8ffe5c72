"""Who a browser is: signing a supporter in by emailed link, and finding them again.

The proof that a browser reads the address's mail is a session key set only by an emailed
link; a Django login alone (an editor's, say) never makes anyone a supporter here.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import Http404
from django.utils import timezone

from mailroom.services import queue_email

from .emails import SIGN_IN
from .models import Supporter

BACKEND = "django.contrib.auth.backends.ModelBackend"

# Set only by a sign-in through an emailed link: the proof that this browser reads the mail.
PROVED = "supporter_proved"


def user_for(supporter):
    """The account a supporter signs in as, made on first sign-in; it has no password."""
    if supporter.user_id:
        return supporter.user
    User = get_user_model()
    user = User(username=f"supporter-{supporter.pk}", email=supporter.email)
    user.set_unusable_password()
    user.save()
    supporter.user = user
    supporter.save(update_fields=["user"])
    return user


def end_other_sessions(user):
    """Every session of this account ends at its next request.

    Django ties a session to a hash of the password field; a supporter has no usable
    password, so drawing a new unusable one changes that hash and nothing else.
    """
    user.set_unusable_password()
    user.save(update_fields=["password"])


def start_session(request, supporter):
    """Sign in a browser that has just proved it reads the address's mail; no other stays in."""
    user = user_for(supporter)
    end_other_sessions(user)
    login(request, user, backend=BACKEND)
    request.session[PROVED] = supporter.pk
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)


def request_sign_in_link(email):
    """Queue a sign-in email for any address: the worker decides whether it goes out.

    Known and unknown addresses cost the request the same two inserts, so neither the answer
    nor its timing says who supports (supporters/emails.py does the look-up).
    """
    expires_at = timezone.now() + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES)
    queue_email(email, SIGN_IN, expires_at=expires_at)


def signed_in_supporter(request):
    """The supporter this browser proved to be by emailed link, or None."""
    if not request.user.is_authenticated:
        return None
    proved = request.session.get(PROVED)
    supporter = Supporter.objects.filter(user=request.user, erased_at__isnull=True).first()
    if supporter is None or proved != supporter.pk:
        return None
    return supporter


def current_supporter(request):
    supporter = signed_in_supporter(request)
    if supporter is None:
        raise Http404("Sign in by emailed link to see this account.")
    return supporter
