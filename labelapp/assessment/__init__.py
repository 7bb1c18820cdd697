"""The municipal self-assessment: answers per criterion, evidence, drafts, submission, what-if scores."""
