"""How the assistant runs: the local launcher behind make run; beside it the container image,
compose and Helm values."""
