"""The knowledge base in plain Python (no Rasa): procedure entries, their schema and checks,
search, Vietnamese text."""
