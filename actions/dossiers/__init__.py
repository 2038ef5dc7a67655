"""Dossier status lookup: the dossier model, its sources (embedded store, a one-stop system's API),
CSV import, the proof check with its lock-out, and the replies."""
