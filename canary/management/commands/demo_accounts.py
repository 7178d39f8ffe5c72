import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from canary import roles

ACCOUNTS = [
    ("editor", "Demo Editor", roles.EDITOR),
    ("contributor", "Demo Contributor", roles.CONTRIBUTOR),
    ("moderator", "Demo Moderator", roles.MODERATOR),
    ("finance", "Demo Finance", roles.FINANCE),
]


class Command(BaseCommand):
    help = "Create demo staff accounts, one per role (development only), and print their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: DEBUG is off.")
        logins_file = settings.VAR_DIR / "demo-logins.txt"
        known = {}
        if logins_file.exists():
            known = dict(line.split(" ", 1) for line in logins_file.read_text().split("\n") if " " in line)
        User = get_user_model()
        for username, full_name, role in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None or username not in known:
                # A fresh random password per checkout: nothing guessable is ever committed.
                known[username] = secrets.token_urlsafe(9)
                user = user or User(username=username)
                user.first_name, _, user.last_name = full_name.partition(" ")
                user.email = f"{username}@example.com"
                user.is_staff = True
                user.set_password(known[username])
                user.save()
            user.groups.set([Group.objects.get(name=role)])
        logins_file.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
        self.stdout.write("Demo staff logins (development only) at /admin/:")
        for username, _, role in ACCOUNTS:
            self.stdout.write(f"  {role:<12} username {username:<12} password {known[username]}")
