"""The deployment files parse, agree with each other and with what the servers really serve."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _load_all(path: Path) -> list:
    # PyYAML, not ruamel: Rasa registers a global ruamel resolver that expands ${VAR} on load,
    # and these files must be read as written.
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml")),
                         ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_deploy_file_is_valid_yaml(path):
    assert _load_all(path)


def test_entrypoint_is_valid_bash_with_the_three_roles():
    script = DEPLOY / "entrypoint.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    for role in ("rasa)", "actions)", "widget)"):
        assert role in text
    assert "python -m bot.endpoints --out" in text


def test_compose_runs_replicas_on_shared_postgres_and_redis():
    compose = _load_all(DEPLOY / "docker-compose.yml")[0]
    services = compose["services"]
    assert services["rasa"]["deploy"]["replicas"] >= 2 and services["actions"]["deploy"]["replicas"] >= 2
    env = services["actions"]["environment"]
    assert services["rasa"]["environment"]["TRACKER_STORE_URL"].startswith("postgresql://")
    assert "TRACKER_STORE_URL" not in env and env["LOCK_STORE_URL"].startswith("redis://")  # least privilege
    for name in ("CONSOLE_DB_URL", "DOSSIER_DB_URL"):
        assert env[name].startswith("postgresql://")
    assert [services[s]["command"][0] for s in ("rasa", "actions", "widget")] == ["rasa", "actions", "widget"]
    databases = set(re.findall(r"CREATE DATABASE (\w+)", (DEPLOY / "postgres-init.sql").read_text()))
    assert {url.rsplit("/", 1)[1] for k, url in env.items() if k.endswith("_URL") and "postgres" in url} <= databases


def test_compose_variables_are_documented():
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in set(re.findall(r"\$\{([A-Z_]+)", text)):
        assert re.search(rf"^#? ?{name}=", documented, re.MULTILINE), name


def test_helm_values_use_our_image_roles_and_real_probe_paths():
    bot = _load_all(DEPLOY / "helm" / "rasa-bot.values.yaml")[0]
    actions = _load_all(DEPLOY / "helm" / "rasa-action-server.values.yaml")[0]
    assert bot["args"] == ["rasa"] and actions["args"] == ["actions"]
    assert bot["replicaCount"] >= 2 and actions["replicaCount"] >= 2
    assert {e["name"] for e in bot["extraEnv"]} >= {"TRACKER_STORE_URL", "LOCK_STORE_URL", "ACTION_SERVER_URL"}
    assert bot["readinessProbe"]["httpGet"]["path"] == "/webhooks/rest/"
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"
    console = next(d for d in _load_all(DEPLOY / "k8s" / "console.yaml") if d["kind"] == "Deployment")
    container = console["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"


def test_secrets_are_referenced_never_written():
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"://[^:/\s]+:[^@\s${]+@", text), f"a literal password in {path}"


# --- What the proxies expose -------------------------------------------------------------
# Public: Rasa's chat channels and the widget server's public files; nothing else of either.
RASA_PUBLIC_PREFIXES = {"/webhooks/", "/socket.io/"}
WIDGET_PUBLIC_PATHS = {"/", "/widget.js", "/widget.css", "/vendor/socket.io.min.js", "/favicon.ico"}
CONSOLE_PREFIX = "/console/"
# Paths that must never be proxied from the public side (Rasa's HTTP API, probes, the console).
PRIVATE_PROBES = ["/model", "/model/train", "/conversations/abc/tracker", "/conversations/abc/messages", "/status",
                  "/version", "/domain", "/webhooks", "/socket.io", "/health", "/ready", "/console/",
                  "/console/login", "/widget.js.map", "/vendor/", "/index.html"]
RASA_UPSTREAMS = {"rasa_any", "rasa_sticky"}


def _nginx_tokens(text: str) -> list:
    tokens = []
    for match in re.finditer(r'#[^\n]*|"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|([{};])|([^\s{};"\'#]+)', text):
        if match.group(0).startswith("#"):
            continue
        token = next(group for group in match.groups() if group is not None)
        tokens.append(("punct", token) if match.group(3) else ("word", token))
    return tokens


def _nginx_parse(text: str) -> list:
    """nginx.conf as a tree of (name, args, children); children is None for simple directives."""
    tokens = iter(_nginx_tokens(text))

    def block() -> list:
        items, words = [], []
        for kind, token in tokens:
            if kind == "word":
                words.append(token)
            elif token == ";":
                items.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                items.append((words[0], words[1:], block()))
                words = []
            else:  # "}"
                assert not words, words
                return items
        assert not words, words
        return items

    return block()


def _children(items: list, name: str) -> list:
    return [item for item in items if item[0] == name]


def _servers() -> list:
    (http,) = _children(_nginx_parse((DEPLOY / "nginx.conf").read_text(encoding="utf-8")), "http")
    return _children(http[2], "server")


def _locations(server) -> list:
    """(modifier, path, directives) of every location of a server block."""
    found = []
    for _, args, children in _children(server[2], "location"):
        modifier, path = (args[0], args[1]) if len(args) == 2 else ("", args[0])
        assert not _children(children, "location"), "nested locations"
        found.append((modifier, path, children))
    return found


def _route(server, uri: str):
    """The location nginx picks for ``uri`` (exact, then longest prefix; regex locations are refused)."""
    path = uri.split("?", 1)[0]
    locations = _locations(server)
    assert all(modifier in ("", "=", "^~") for modifier, _, _ in locations), "regex locations are not allowed"
    exact = [loc for loc in locations if loc[0] == "=" and loc[1] == path]
    if exact:
        return exact[0]
    prefixes = [loc for loc in locations if loc[0] != "=" and path.startswith(loc[1])]
    return max(prefixes, key=lambda loc: len(loc[1]), default=None)


def _upstream(location) -> str | None:
    passes = _children(location[2], "proxy_pass")
    return urlsplit_host(passes[0][1][0]) if passes else None


def urlsplit_host(url: str) -> str:
    return re.match(r"https?://([^/:]+)", url).group(1)


def _returns(location) -> str | None:
    returns = _children(location[2], "return")
    return returns[0][1][0] if returns else None


def _listen(server) -> list:
    return [args for _, args, _ in _children(server[2], "listen")]


def _is_tls(server) -> bool:
    return any("ssl" in args for args in _listen(server)) and bool(_children(server[2], "ssl_certificate"))


def test_nginx_proxies_only_the_chat_channels_to_rasa():
    servers = _servers()
    for server in servers:
        locations = _locations(server)
        to_rasa = {(modifier, path) for modifier, path, _ in locations if _upstream((modifier, path, _)) in
                   RASA_UPSTREAMS}
        if to_rasa:
            assert to_rasa == {("", prefix) for prefix in RASA_PUBLIC_PREFIXES}
            assert _upstream(_route(server, "/socket.io/?EIO=4&transport=polling")) == "rasa_sticky"
            assert _upstream(_route(server, "/webhooks/rest/webhook")) == "rasa_any"
            assert _upstream(_route(server, "/webhooks/zalo/webhook")) == "rasa_any"
    assert sum(1 for server in servers if any(_upstream(loc) in RASA_UPSTREAMS for loc in _locations(server))) == 1
    proxied = {_upstream(loc) for server in servers for loc in _locations(server)} - {None}
    assert proxied <= RASA_UPSTREAMS | {"widget"}, proxied


def test_nginx_catch_all_is_404_and_private_paths_are_never_proxied():
    for server in _servers():
        catch_all = [loc for loc in _locations(server) if loc[:2] == ("", "/")]
        assert len(catch_all) == 1 and _returns(catch_all[0]) == "404" and _upstream(catch_all[0]) is None
        assert not _children(server[2], "proxy_pass"), "proxy_pass outside a location"
        for uri in PRIVATE_PROBES:
            location = _route(server, uri)
            if uri.startswith(CONSOLE_PREFIX) and _is_tls(server):
                continue
            assert _upstream(location) is None and _returns(location) == "404", (_listen(server), uri)
        rasa_root = _route(server, "/")
        assert _upstream(rasa_root) not in RASA_UPSTREAMS  # Rasa's "/" (version banner) is not public


def test_nginx_serves_only_the_widget_files_publicly_and_the_console_over_tls_only():
    public_widget, console = [], []
    servers = _servers()
    for server in servers:
        for modifier, path, children in _locations(server):
            if _upstream((modifier, path, children)) != "widget":
                continue
            if _is_tls(server) and path == CONSOLE_PREFIX:
                console.append(server)
                assert modifier == ""
                headers = {tuple(args) for _, args, _ in _children(children, "proxy_set_header")}
                assert ("X-Forwarded-Proto", "https") in headers
            else:
                assert modifier == "=", f"widget path {path} must be an exact location"
                public_widget.append(path)
    assert set(public_widget) == WIDGET_PUBLIC_PATHS and len(public_widget) == len(WIDGET_PUBLIC_PATHS)
    assert len(console) == 1
    (server,) = console
    assert {_upstream(loc) for loc in _locations(server)} - {None} == {"widget"}
    others = [other for other in servers if other is not server]
    assert len(others) == len(servers) - 1
    for other in others:  # the public servers answer 404 for the console
        assert _upstream(_route(other, "/console/login")) is None and _returns(_route(other, "/console/")) == "404"


def test_public_widget_paths_are_what_the_widget_server_serves():
    from web.server import make_app

    routes = {resource.canonical for resource in make_app("http://localhost:5005").router.resources()}
    assert WIDGET_PUBLIC_PATHS <= routes
    assert {"/health", "/ready"} <= routes  # served, but for the probes only: not in the public list
    assert not {"/health", "/ready"} & WIDGET_PUBLIC_PATHS


def test_compose_publishes_only_the_proxy_and_the_nginx_ports_match():
    services = _load_all(DEPLOY / "docker-compose.yml")[0]["services"]
    assert [name for name, service in services.items() if "ports" in service] == ["balancer"]
    published = {int(port.split(":")[-1]) for port in services["balancer"]["ports"]}
    listening = {int(args[0]) for server in _servers() for args in _listen(server)}
    assert published == listening
    assert any(":/etc/nginx/tls" in volume for volume in services["balancer"]["volumes"])
    for server in _servers():
        for _, args, _ in _children(server[2], "ssl_certificate") + _children(server[2], "ssl_certificate_key"):
            assert args[0].startswith("/etc/nginx/tls/")


def _helm_ingress_paths(values: dict) -> list:
    """The paths the Rasa chart's templates/ingress.yaml renders: extraPaths, then path."""
    ingress = values["ingress"]
    extra = ingress.get("extraPaths") or []
    main = {"path": ingress["path"], "pathType": ingress["pathType"],
            "backend": {"service": {"name": values["fullnameOverride"], "port": {"name": "http"}}}}
    return [*extra, main]


def test_helm_ingress_carries_only_the_chat_channels():
    bot = _load_all(DEPLOY / "helm" / "rasa-bot.values.yaml")[0]
    assert bot["nginx"]["enabled"] is False  # the chart's sidecar forwards every path
    ingress = bot["ingress"]
    assert ingress["enabled"] is True
    paths = _helm_ingress_paths(bot)
    assert sorted(p["path"] for p in paths) == sorted(RASA_PUBLIC_PREFIXES)
    assert {p["pathType"] for p in paths} == {"Prefix"}
    assert {p["backend"]["service"]["name"] for p in paths} == {bot["fullnameOverride"]}
    assert any(ingress["hostname"] in tls["hosts"] for tls in ingress["tls"])
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"  # socket.io sessions
    actions = _load_all(DEPLOY / "helm" / "rasa-action-server.values.yaml")[0]
    assert actions["ingress"]["enabled"] is False


def _k8s_ingresses() -> dict:
    return {doc["metadata"]["name"]: doc for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
            for doc in _load_all(path) if doc["kind"] == "Ingress"}


def _ingress_routes(ingress: dict) -> list:
    return [(rule["host"], p["path"], p["pathType"], p["backend"]["service"]["name"])
            for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]


def test_k8s_ingresses_expose_the_widget_files_and_the_console_over_tls_only():
    ingresses = _k8s_ingresses()
    assert set(ingresses) == {"tro-ly-widget", "tro-ly-console"}
    bot = _load_all(DEPLOY / "helm" / "rasa-bot.values.yaml")[0]
    chat_host = bot["ingress"]["hostname"]
    widget = _ingress_routes(ingresses["tro-ly-widget"])
    assert {host for host, *_ in widget} == {chat_host}
    assert {path for _, path, _, _ in widget} == WIDGET_PUBLIC_PATHS and len(widget) == len(WIDGET_PUBLIC_PATHS)
    assert {kind for _, _, kind, _ in widget} == {"Exact"}  # no prefix: /console/, /health, /ready stay out
    console = _ingress_routes(ingresses["tro-ly-console"])
    assert [(path, kind) for _, path, kind, _ in console] == [(CONSOLE_PREFIX, "Prefix")]
    (console_host,) = {host for host, *_ in console}
    assert console_host != chat_host
    tls_hosts = {host for tls in ingresses["tro-ly-console"]["spec"]["tls"] for host in tls["hosts"]}
    assert console_host in tls_hosts and ingresses["tro-ly-console"]["spec"]["tls"][0]["secretName"]
    service = next(doc for doc in _load_all(DEPLOY / "k8s" / "console.yaml") if doc["kind"] == "Service")
    assert {name for *_, name in widget + console} == {service["metadata"]["name"]}
    # Together with the chart's ingress, the chat host carries exactly the public paths.
    chat_paths = {p["path"] for p in _helm_ingress_paths(bot)} | {path for _, path, *_ in widget}
    assert chat_paths == RASA_PUBLIC_PREFIXES | WIDGET_PUBLIC_PATHS


def test_console_cookies_are_secure_in_every_deployment():
    assert 'os.environ.get("CONSOLE_SECURE_COOKIES") == "1"' in (ROOT / "web" / "console" / "web.py").read_text()
    services = _load_all(DEPLOY / "docker-compose.yml")[0]["services"]
    assert services["widget"]["environment"]["CONSOLE_SECURE_COOKIES"] == "1"
    console = next(d for d in _load_all(DEPLOY / "k8s" / "console.yaml") if d["kind"] == "Deployment")
    env = {e["name"]: e.get("value") for e in console["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["CONSOLE_SECURE_COOKIES"] == "1"
    assert 'export CONSOLE_SECURE_COOKIES="${CONSOLE_SECURE_COOKIES:-1}"' in (DEPLOY / "entrypoint.sh").read_text()


# --- CORS --------------------------------------------------------------------------------
# `--cors "*"`, `--cors *`, `"--cors", "*"`, `${RASA_CORS:-*}`, `cors: '*'` (not Python's `*origins` unpacking).
OPEN_CORS = re.compile(r"""--cors["',\s]+(?:\*|"\*"|'\*')(?![\w.(])|RASA_CORS:-\*|cors:\s*["']?\*""")


def test_no_manifest_or_launcher_allows_every_origin():
    files = [path for path in DEPLOY.rglob("*") if path.is_file() and path.suffix != ".pyc"]
    files += [ROOT / "Makefile"]
    for path in files:
        assert not OPEN_CORS.search(path.read_text(encoding="utf-8")), f"CORS '*' in {path}"
    bot = _load_all(DEPLOY / "helm" / "rasa-bot.values.yaml")[0]
    env = {e["name"]: e.get("value") for e in bot["extraEnv"]}
    for origins in (env["RASA_CORS"], bot["applicationSettings"]["cors"]):
        assert origins.split() and all(re.fullmatch(r"https://[a-z0-9.-]+", o) for o in origins.split())
    compose = _load_all(DEPLOY / "docker-compose.yml")[0]["services"]
    assert compose["rasa"]["environment"]["RASA_CORS"].startswith("${RASA_CORS:?")  # required, no default
    assert '--cors "${cors[@]}"' in (DEPLOY / "entrypoint.sh").read_text()


@pytest.mark.parametrize(("origins", "refused"), [
    (None, True), ("", True), ("*", True), ("https://dichvucong.example.gov.vn *", True),
    ("https://dichvucong.example.gov.vn/", True), ("https://.*\\.gov\\.vn", True),
    ("https://dichvucong.example.gov.vn", False), ("https://dichvucong.example.gov.vn http://localhost:8080", False),
])
def test_the_container_refuses_to_start_rasa_with_open_or_missing_cors(origins, refused):
    env = {"PATH": "/usr/bin:/bin", "RASA_AUTH_TOKEN": "x" * 32}
    if origins is not None:
        env["RASA_CORS"] = origins
    result = subprocess.run(["bash", str(DEPLOY / "entrypoint.sh"), "rasa"], env=env, capture_output=True, text=True)
    assert (result.returncode == 78) is refused, result.stderr
    if refused:
        assert "RASA_CORS" in result.stderr


def test_make_run_allows_its_demo_page_and_configured_origins_only(monkeypatch, tmp_path):
    from deploy.stack import Stack

    spawned = {}
    monkeypatch.setattr(Stack, "_spawn", lambda self, name, cmd: spawned.setdefault(name, list(cmd)))
    monkeypatch.setattr(Stack, "_endpoints", lambda self: tmp_path / "endpoints.yml")
    monkeypatch.setattr(Stack, "wait_ready", lambda self, timeout=0: None)
    monkeypatch.delenv("RASA_CORS", raising=False)
    stack = Stack(Path("m"), widget_port=8123)
    stack.start(tmp_path / "run")
    cmd = spawned["rasa"]
    origins = cmd[cmd.index("--cors") + 1:cmd.index("--interface")]
    assert origins == stack.cors_origins and "http://localhost:8123" in origins and "http://127.0.0.1:8123" in origins
    assert not any("*" in origin for origin in origins)
    portal = Stack(Path("m"), widget_port=8123, extra_env={"RASA_CORS": "https://dvc.example.gov.vn"})
    assert portal.cors_origins[-1] == "https://dvc.example.gov.vn"
    spawned.clear()
    with pytest.raises(RuntimeError, match="RASA_CORS"):
        Stack(Path("m"), extra_env={"RASA_CORS": "*"}).start(tmp_path / "open")
    assert spawned == {}
