from django_tasks import task


@task()
def import_subscribers(import_id):
    """An audience team's upload, imported here and never in the request: 100,000 rows take a while."""
    from .import_uploads import run_upload

    return run_upload(import_id)
