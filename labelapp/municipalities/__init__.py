"""Reference data: the municipalities a label can be awarded to (a country's list is a data file)."""
