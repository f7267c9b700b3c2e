"""Demo and benchmark data: calls each app's seed hook (top layer: nothing imports it)."""
