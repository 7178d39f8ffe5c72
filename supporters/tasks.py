from django_tasks import task

from mailroom.services import queue_email

from .models import Plan


@task()
def send_renewal_reminder(plan_id, period_end_iso):
    """Remind an annual member before the next gift, if the plan still renews as planned."""
    plan = Plan.objects.select_related("supporter").filter(pk=plan_id).first()
    if plan is None or not plan.renews_on(period_end_iso):
        return "not due"
    queue_email(
        plan.supporter.email, "supporters/renewal_reminder", {"plan": plan.pk, "period_end": period_end_iso}
    )
    return "sent"
