#!/usr/bin/env bash
# Container entry point: `rasa`, `actions` or `widget` (widget server + staff console).
# Everything is configured by environment variables (see .env.example).
set -euo pipefail
RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-}"
role="${1:-rasa}"
shift || true

# The HTTP API can replace the model and read or drive any conversation: never without a token.
api=()
if [[ "$role" == rasa && "${RASA_ENABLE_API:-1}" != "0" ]]; then
  if [[ ${#RASA_AUTH_TOKEN} -lt 24 ]]; then
    echo "entrypoint: refusing to start Rasa with its HTTP API on and RASA_AUTH_TOKEN unset or shorter" \
         "than 24 characters; set a random token (openssl rand -hex 32) or RASA_ENABLE_API=0" >&2
    exit 64
  fi
  api=(--enable-api "--auth-token=$RASA_AUTH_TOKEN")  # one word: a token may begin with "-"
fi

# Browser origins allowed to call Rasa (CORS): the portals that embed the widget, listed in
# RASA_CORS (space separated, scheme://host[:port]). No default and never "*": any site could
# otherwise drive citizens' conversations from their browsers.
cors=()
if [[ "$role" == rasa ]]; then
  read -r -a cors <<< "${RASA_CORS:-}"
  if [[ ${#cors[@]} -eq 0 ]]; then
    echo "entrypoint: refusing to start Rasa without RASA_CORS: list the portal origins that embed" \
         "the widget, space separated (e.g. RASA_CORS=\"https://dichvucong.example.gov.vn\")" >&2
    exit 78
  fi
  for origin in "${cors[@]}"; do
    if [[ ! "$origin" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]]; then
      echo "entrypoint: refusing RASA_CORS origin '$origin': give scheme://host[:port] origins, never '*'" \
           "or a pattern" >&2
      exit 78
    fi
  done
fi

# The staff console is served over HTTPS by the proxy (deploy/nginx.conf, the console ingress):
# its session and login cookies are Secure unless explicitly turned off.
if [[ "$role" == widget ]]; then
  export CONSOLE_SECURE_COOKIES="${CONSOLE_SECURE_COOKIES:-1}"
fi
cd /app

seed_knowledge() {
  # The console publishes into KNOWLEDGE_DIR; on a new (shared) volume start from the image's copy.
  if [[ -n "${KNOWLEDGE_DIR:-}" && ! -d "${KNOWLEDGE_DIR}/procedures" ]]; then
    cp -r /app/knowledge/. "${KNOWLEDGE_DIR}/"
  fi
}

case "$role" in
  rasa)
    python -m bot.endpoints --out /app/.rasa/endpoints.yml
    exec rasa run "${api[@]}" --cors "${cors[@]}" --interface 0.0.0.0 --port "${RASA_PORT:-5005}" \
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
