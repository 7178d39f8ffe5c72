"""Paging through long lists at a cost that does not grow with the archive.

A popular tag on a site with a long history carries tens of thousands of stories. Counting them
all, or skipping thousands of rows to reach page 900, costs more the older the site gets, and no
reader pages that far: the month archive is the way into old stories. So lists page through
the newest ``LIST_MAX_PAGES`` pages only (a setting), and the count stops there.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


def most_listed(per_page):
    """How many items a list shows at most."""
    return settings.LIST_MAX_PAGES * per_page


class CappedPaginator(Paginator):
    """A Paginator over at most LIST_MAX_PAGES pages; ``capped`` says whether there was more.

    ``long_list``, if given, is the same list written in a form the database reads faster when
    it is long; pages come from it once the count reaches the cap.
    """

    def __init__(self, object_list, per_page, *args, long_list=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.long_list = long_list

    def page(self, number):
        if self.long_list is not None and self.capped:
            self.object_list = self.long_list
        return super().page(number)

    @cached_property
    def limit(self):
        return most_listed(self.per_page)

    @cached_property
    def total(self):
        # One more than the limit tells "exactly 1,000" from "more than 1,000".
        if hasattr(self.object_list, "order_by"):
            # The order does not change a count, and without it the database stops early.
            return self.object_list.order_by()[: self.limit + 1].count()
        return min(len(self.object_list), self.limit + 1)

    @cached_property
    def count(self):
        return min(self.total, self.limit)

    @property
    def capped(self):
        return self.total > self.limit
