"""Every list in the newsroom's admin does a fixed amount of work, with 10 rows or 500."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from articles.archive_generator import generate
from articles.models import Author, BlockedCommenter, Section
from supporters.models import CallToAction, Donation, Plan, Supporter

pytestmark = pytest.mark.django_db

# Session, user, permissions, the filters' choices, one count, one page of rows and what each
# row shows (bylines, tags, totals): never a query per row.
ADMIN_LIST_QUERY_LIMIT = 20

ADMIN_LISTS = [
    "/admin/articles/article/",
    "/admin/articles/comment/",
    "/admin/articles/image/",
    "/admin/articles/author/",
    "/admin/articles/blockedcommenter/",
    "/admin/articles/section/",
    "/admin/articles/page/",
    "/admin/supporters/supporter/",
    "/admin/supporters/donation/",
    "/admin/supporters/plan/",
    "/admin/supporters/calltoaction/",
]


def add_supporters(count):
    now = timezone.now()
    supporters = Supporter.objects.bulk_create(
        Supporter(email=f"reader{n}@example.org", name=f"Reader {n}", created_at=now - timedelta(hours=n))
        for n in range(count)
    )
    plans = Plan.objects.bulk_create(
        Plan(
            supporter=supporter,
            frequency="monthly",
            amount_pence=500,
            status="active",
            provider="dev",
            provider_subscription_id=f"sub_{n}",
        )
        for n, supporter in enumerate(supporters[::2])
    )
    by_supporter = {plan.supporter_id: plan for plan in plans}
    Donation.objects.bulk_create(
        Donation(
            supporter=supporter,
            plan=by_supporter.get(supporter.pk),
            frequency="monthly" if supporter.pk in by_supporter else "one_off",
            amount_pence=500 + n,
            status="paid",
            provider="dev",
            provider_payment_id=f"pay_{n}",
            paid_at=now - timedelta(hours=n),
        )
        for n, supporter in enumerate(supporters)
    )


def add_calls_to_action(count):
    sections = list(Section.objects.all()[:2])
    calls = CallToAction.objects.bulk_create(
        CallToAction(name=f"Appeal {n}", placement="end", headline=f"Appeal {n}") for n in range(count)
    )
    through = CallToAction.sections.through
    through.objects.bulk_create(
        through(calltoaction_id=call.pk, section_id=sections[n % 2].pk) for n, call in enumerate(calls)
    )


def add_accounts_behind_rows(count):
    """Authors with accounts and addresses blocked by a moderator: rows that show a user."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"staff{n}", email=f"staff{n}@example.org", is_staff=True)
        for n in range(count)
    )
    authors = list(Author.objects.filter(user=None)[:count])
    for author, user in zip(authors, users, strict=False):
        author.user = user
    Author.objects.bulk_update(authors, ["user"])
    BlockedCommenter.objects.bulk_create(
        BlockedCommenter(email=f"spam{n}@example.net", blocked_by=users[n]) for n in range(count)
    )


@pytest.fixture
def superuser_client():
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-test-password-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_admin_list_runs_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, url, size
):
    generate(size, log=lambda line: None)
    add_supporters(size)
    add_calls_to_action(size)
    add_accounts_behind_rows(size)
    with django_assert_max_num_queries(ADMIN_LIST_QUERY_LIMIT):
        response = superuser_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0
