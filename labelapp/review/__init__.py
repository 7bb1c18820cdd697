"""Applications, the assessor panel, reviews and decisions (in progress: calibration statistics so far)."""
