"""The assessor panel: members, conflicts of interest, assignment, independent reviews, the chair's
consolidation, clarification questions, calibration and reminders."""
