import django.utils.timezone
from django.db import migrations, models


def to_templates(apps, schema_editor):
    """Rows still waiting keep their text under the legacy kind; the others keep none."""
    Email = apps.get_model("mailroom", "Email")
    for email in Email.objects.filter(status="queued").iterator():
        email.template = "mailroom/legacy"
        email.params = {"subject": email.subject, "body": email.body}
        email.save(update_fields=["template", "params"])
    Email.objects.exclude(status="queued").update(template="mailroom/legacy", params={})


class Migration(migrations.Migration):
    dependencies = [("mailroom", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="email",
            name="template",
            field=models.CharField(
                default="mailroom/legacy", help_text="Which email: emails/<template>.txt and .html.", max_length=100
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="email",
            name="params",
            field=models.JSONField(blank=True, default=dict, help_text="The ids the template needs."),
        ),
        migrations.AddField(
            model_name="email",
            name="claimed_at",
            field=models.DateTimeField(blank=True, help_text="When a worker last took it.", null=True),
        ),
        migrations.RunPython(to_templates, migrations.RunPython.noop),
        migrations.RemoveField(model_name="email", name="subject"),
        migrations.RemoveField(model_name="email", name="body"),
        migrations.AlterField(
            model_name="email",
            name="to",
            field=models.EmailField(blank=True, help_text="Cleared 30 days after sending.", max_length=254),
        ),
        migrations.AlterField(
            model_name="email",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sent", "Sent"),
                    ("failed", "Given up"),
                    ("expired", "Expired unsent"),
                    ("skipped", "Nothing to send"),
                ],
                default="queued",
                max_length=7,
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["to", "template", "created_at"], name="email_to_template_idx"),
        ),
    ]
