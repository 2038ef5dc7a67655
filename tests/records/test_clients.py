from records.clients import CLIENT_KEY, client_address, client_of


def test_the_peer_address_unless_a_proxy_of_ours_is_trusted():
    assert client_address("198.51.100.7", "203.0.113.1", trust_proxy=False) == "ip:198.51.100.7"
    # nginx appends the address it saw: the last hop is the one our proxy vouches for.
    assert client_address("10.0.0.2", "203.0.113.1, 198.51.100.9", trust_proxy=True) == "ip:198.51.100.9"
    assert client_address("10.0.0.2", None, trust_proxy=True) == "ip:10.0.0.2"
    assert client_address(None, "not an address", trust_proxy=True) == "ip:unknown"


def test_trust_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUST_X_FORWARDED_FOR", "1")
    assert client_address("10.0.0.2", "198.51.100.9") == "ip:198.51.100.9"
    monkeypatch.setenv("TRUST_X_FORWARDED_FOR", "0")
    assert client_address("10.0.0.2", "198.51.100.9") == "ip:10.0.0.2"


def test_client_of_reads_only_a_short_text():
    assert client_of({CLIENT_KEY: "zalo:123"}) == "zalo:123"
    assert client_of({CLIENT_KEY: ["x"]}) == "" and client_of(None) == "" and client_of({CLIENT_KEY: "x" * 300}) == ""
