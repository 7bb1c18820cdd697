"""`make bench`: measurements with their baselines, side by side. Speed targets live here, not in tests."""
