from django.conf import settings
from django_tasks import task

from mailroom.services import queue_email

from .models import Plan


@task()
def send_renewal_reminder(plan_id, period_end_iso):
    """Remind an annual member before the next gift, if the plan still renews as planned."""
    plan = Plan.objects.select_related("supporter").filter(pk=plan_id).first()
    if (
        plan is None
        or plan.status != Plan.Status.ACTIVE
        or plan.cancel_at_period_end
        or plan.current_period_end is None
        or plan.current_period_end.isoformat() != period_end_iso
    ):
        return "not due"
    from .services import money

    queue_email(
        plan.supporter.email,
        f"Your annual gift to {settings.SITE_NAME} renews soon",
        f"Hello{' ' + plan.supporter.name if plan.supporter.name else ''},\n\n"
        f"On {plan.current_period_end:%d %B %Y} your annual gift of {money(plan.amount_pence)} renews.\n"
        f"To change or cancel it, sign in at {settings.SITE_URL}/account/.\n\nThank you for keeping us independent.\n",
    )
    return "sent"
