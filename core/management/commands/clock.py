import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import clock
from core.commands import require_migrated_database


class Command(BaseCommand):
    help = "Run the clock's due jobs: once (--once, for cron), or every CLOCK_TICK_SECONDS until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Tick once and stop.")
        parser.add_argument("--list", action="store_true", help="List the jobs, their cadence and next run.")

    def handle(self, *args, once=False, list=False, **options):
        require_migrated_database()
        if list:
            for row in clock.summary():
                last = row["last"]
                self.stdout.write(
                    f"{row['job'].name}: {row['job'].cadence_text}; next {row['next_due'] or '-'};"
                    f" last {f'{last.state} {last.finished_at}' if last else 'never'}"
                )
            return
        while True:
            close_old_connections()
            done = clock.tick()
            self.stdout.write(
                f"Clock: {', '.join(f'{n} {what}' for what, n in done.items()) or 'nothing due'}."
            )
            if once:
                return
            time.sleep(settings.CLOCK_TICK_SECONDS)
