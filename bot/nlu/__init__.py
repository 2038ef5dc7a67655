"""Our Rasa NLU components. Rasa imports this package wherever it loads our
model, which makes it the place to install the server speed-ups."""

from bot import speedups  # noqa: F401
