"""What happens to giving: starting it, the provider's events, the plan moves, notices, failed payments
and personal data. Views and jobs call these; the side effects run on commit."""
