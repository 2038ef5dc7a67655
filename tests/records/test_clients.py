from records.clients import CLIENT_KEY, client_address, client_of


def test_the_peer_address_unless_proxies_of_ours_are_trusted():
    assert client_address("198.51.100.7", "203.0.113.1", hops=0) == "ip:198.51.100.7"
    # nginx appends the address it saw: the last entry is the one our proxy vouches for.
    assert client_address("10.0.0.2", "203.0.113.1, 198.51.100.9", hops=1) == "ip:198.51.100.9"
    assert client_address("10.0.0.3", "203.0.113.1, 198.51.100.9, 10.0.0.2", hops=2) == "ip:198.51.100.9"
    assert client_address("10.0.0.2", None, hops=1) == "ip:10.0.0.2"
    assert client_address(None, "not an address", hops=1) == "ip:unknown"


def test_trust_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    assert client_address("10.0.0.2", "198.51.100.9") == "ip:198.51.100.9"
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "0")
    assert client_address("10.0.0.2", "198.51.100.9") == "ip:10.0.0.2"
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "many")
    assert client_address("10.0.0.2", "198.51.100.9") == "ip:10.0.0.2"


def test_client_of_reads_only_a_short_text():
    assert client_of({CLIENT_KEY: "zalo:123"}) == "zalo:123"
    assert client_of({CLIENT_KEY: ["x"]}) == "" and client_of(None) == "" and client_of({CLIENT_KEY: "x" * 300}) == ""
