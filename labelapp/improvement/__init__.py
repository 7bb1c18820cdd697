"""The improvement plan that carries over: after a decision, each criterion the panel verified below the top
level becomes an improvement point with the panel's comment; the municipality turns points into actions, is
reminded before their dates, sees them again in its next self-assessment, and may publish its progress."""
