"""Benchmarks and audits: `make bench`, `make audit` (see README, "Performance")."""
