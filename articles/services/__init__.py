"""The newsroom's side effects, run after the change that causes them commits."""
