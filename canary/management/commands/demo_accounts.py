import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.text import slugify

from canary import roles
from core.commands import require_migrated_database

ACCOUNTS = [
    ("editor", "Demo Editor", roles.EDITOR),
    ("contributor", "Demo Contributor", roles.CONTRIBUTOR),
    ("moderator", "Demo Moderator", roles.MODERATOR),
    ("finance", "Demo Finance", roles.FINANCE),
]


DEMO_DOMAIN = "canary.example"
# Where earlier versions of this command put the demo accounts' addresses.
EARLIER_DEMO_DOMAINS = ("example.com",)


def made_here(user, full_name):
    """Whether an account is one this command made: its demo name and a demo domain address."""
    first, _, last = full_name.partition(" ")
    addresses = {f"{user.username}@{domain}" for domain in (DEMO_DOMAIN, *EARLIER_DEMO_DOMAINS)}
    return (user.first_name, user.last_name) == (first, last) and user.email in addresses


class Command(BaseCommand):
    help = "Create demo staff accounts, one per role (development only), and print their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: DEBUG is off.")
        require_migrated_database()
        logins_file = settings.VAR_DIR / "demo-logins.txt"
        known = {}
        if logins_file.exists():
            known = dict(line.split(" ", 1) for line in logins_file.read_text().split("\n") if " " in line)
        User = get_user_model()
        skipped = []
        for username, full_name, role in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is not None and not made_here(user, full_name):
                # Someone's real account (a copy of production, say): never touched.
                skipped.append(username)
                known.pop(username, None)
                continue
            if user is None or username not in known:
                # A fresh random password per checkout: nothing guessable is ever committed.
                known[username] = secrets.token_urlsafe(9)
                user = user or User(username=username)
                user.first_name, _, user.last_name = full_name.partition(" ")
                user.email = f"{username}@{DEMO_DOMAIN}"
                user.is_staff = True
                user.set_password(known[username])
                user.save()
            user.groups.set([Group.objects.get(name=role)])
            if role == roles.CONTRIBUTOR:
                self.give_byline(user, full_name)
        logins_file.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
        # The address as it is served: PORT and ADMIN_PATH both move it.
        sign_in = settings.SITE_URL.rstrip("/") + reverse("admin:index")
        self.stdout.write(f"Demo staff logins (development only) at {sign_in}:")
        for username, _, role in ACCOUNTS:
            if username in known:
                self.stdout.write(f"  {role:<12} username {username:<12} password {known[username]}")
        for username in skipped:
            self.stderr.write(
                f"  {username}: an account of that name exists and is not a demo one; left as it is."
            )

    def give_byline(self, user, full_name):
        """A contributor writes as an Author: the article admin shows them the stories they byline."""
        Author = apps.get_model("articles", "Author")
        if Author.objects.filter(user=user).exists():
            return
        author, _ = Author.objects.get_or_create(slug=slugify(full_name), defaults={"name": full_name})
        if author.user_id is None:
            author.user = user
            author.save(update_fields=["user"])
