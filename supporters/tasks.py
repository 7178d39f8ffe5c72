from django_tasks import task

from .jobs import renewal_reminder


@task()
def send_renewal_reminder(plan_id, period_end_iso):
    """Reminders queued as tasks before the clock took them over (supporters/jobs.py) still run."""
    return renewal_reminder(None, plan=plan_id, period_end=period_end_iso)


@task()
def import_supporters(import_id):
    """A Finance upload, imported here and never in the request: 2,800 rows take minutes at Stripe."""
    from .import_uploads import run_upload

    return run_upload(import_id)
