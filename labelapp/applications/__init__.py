"""Applications: a submitted self-assessment put forward for the label, its transition table, score snapshot,
screening and publication choice."""
