"""Rasa plugins only: Vietnamese NLU components, input channels, tracker and lock stores,
endpoints, Rasa patches."""
