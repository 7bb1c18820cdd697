"""The programme around the label: its results against the plan's goals, and the library of good practice."""
