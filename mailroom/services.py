from django.db import transaction

from .models import Email


def queue_email(to, subject, body, expires_at=None):
    """Record an email and hand it to the background worker once the caller commits."""
    from .tasks import deliver_email

    email = Email.objects.create(to=to, subject=subject[:200], body=body, expires_at=expires_at)
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email
