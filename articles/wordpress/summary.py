"""The import's report: how many of each kind were created, updated, skipped or failed, and why."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

KINDS = ("articles", "pages", "sections", "tags", "authors", "images", "comments", "redirects")
OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")
WARNINGS_SHOWN = 100


@dataclass
class Report:
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)  # (kind, outcome) -> number
    other_types: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    indexed: int = 0  # stories reindexed for search in bulk at the end
    index_ready: datetime | None = None  # when readers' search found them

    def add(self, kind, outcome, number=1):
        self.counts[kind, outcome] += number

    def count(self, kind, outcome):
        return self.counts[kind, outcome]

    @property
    def failed(self):
        return sum(number for (_, outcome), number in self.counts.items() if outcome == "failed")

    def lines(self):
        if self.dry_run:
            yield "Dry run: this is what the import would do. Nothing was written."
        else:
            yield "WordPress import finished."
            if self.index_ready is not None:
                ready = self.index_ready.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
                yield f"Search index: {self.indexed} stories indexed, searchable from {ready}."
        yield f"{'':<10}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES)
        for kind in KINDS:
            yield f"{kind:<10}" + "".join(f"{self.count(kind, outcome):>11}" for outcome in OUTCOMES)
        if self.other_types:
            listed = ", ".join(f"{name} {number}" for name, number in sorted(self.other_types.items()))
            yield f"Other post types skipped: {listed}"
        if self.failures:
            yield f"Not imported ({len(self.failures)}):"
            yield from (f"  {failure}" for failure in self.failures)
        if self.warnings:
            yield f"Warnings ({len(self.warnings)}):"
            yield from (f"  {warning}" for warning in self.warnings[:WARNINGS_SHOWN])
            if len(self.warnings) > WARNINGS_SHOWN:
                yield f"  … and {len(self.warnings) - WARNINGS_SHOWN} more"
