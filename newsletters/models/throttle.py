"""The database's count of newsletter messages sent in each second, shared by every worker
when there is no Redis (newsletters/throttle.py)."""

from django.db import models


class SendingSecond(models.Model):
    second = models.BigIntegerField(primary_key=True, help_text="Seconds since the epoch.")
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.second}: {self.count}"
