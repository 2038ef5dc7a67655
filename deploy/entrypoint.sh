#!/usr/bin/env bash
# Container entry point: `rasa`, `actions` or `widget` (widget server + staff console).
# Everything is configured by environment variables (see .env.example).
set -euo pipefail
cd /app

seed_knowledge() {
  # The console publishes into KNOWLEDGE_DIR; on a new (shared) volume start from the image's copy.
  if [[ -n "${KNOWLEDGE_DIR:-}" && ! -d "${KNOWLEDGE_DIR}/procedures" ]]; then
    cp -r /app/knowledge/. "${KNOWLEDGE_DIR}/"
  fi
}

role="${1:-rasa}"
shift || true
case "$role" in
  rasa)
    python -m bot.endpoints --out /app/.rasa/endpoints.yml
    auth=()
    if [[ -n "${RASA_AUTH_TOKEN:-}" ]]; then auth=(--auth-token "$RASA_AUTH_TOKEN"); fi
    exec rasa run --enable-api "${auth[@]}" --cors "${RASA_CORS:-*}" --interface 0.0.0.0 --port "${RASA_PORT:-5005}" \
      --model models/tro-ly.tar.gz --credentials credentials.yml --endpoints /app/.rasa/endpoints.yml "$@"
    ;;
  actions)
    seed_knowledge
    exec rasa run actions --actions actions --port "${ACTIONS_PORT:-5055}" "$@"
    ;;
  widget)
    seed_knowledge
    exec python -m web.server --host 0.0.0.0 --port "${WIDGET_PORT:-8080}" "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
