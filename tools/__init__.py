"""Measuring and maintenance tools: training-data variants, NLU evaluation and comparison, the load
bench."""
