"""The national resident-satisfaction survey: reading messy files, aggregation, waves. pandas lives only here."""
