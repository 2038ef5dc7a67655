"""The load benchmark's own arithmetic and bookkeeping (the benchmark itself is `make bench`)."""

import os
import socket

from tools import bench


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert bench.percentile(values, 50) == 50 and bench.percentile(values, 95) == 95
    assert bench.percentile(values, 99) == 99 and bench.percentile([7.0], 99) == 7.0
    assert bench.percentile([], 50) == 0.0


def test_buttons_and_thumbs_come_from_the_previous_reply():
    buttons = [{"title": "Giấy tờ", "payload": "/ask_papers"},
               {"title": "👍", "payload": '/feedback_good{"procedure_id":"x"}'}]
    reply = [{"text": "a"}, {"text": "b", "buttons": buttons}]
    assert bench.next_message("{button}", reply) == "/ask_papers"
    assert bench.next_message("{thumbs}", reply) == '/feedback_good{"procedure_id":"x"}'
    assert bench.next_message("{button}", []) == "cảm ơn"
    assert bench.next_message("làm hộ chiếu", reply) == "làm hộ chiếu"


def test_every_scripted_conversation_starts_with_words():
    assert all(not conv[0].startswith("{") for conv in bench.CONVERSATIONS)
    assert any(bench.DEMO_CODE in conv[0] for conv in bench.CONVERSATIONS)


def test_memory_of_this_process_and_the_pid_behind_a_port():
    assert 5 < bench.rss_mb(os.getpid()) < 20_000
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert bench.pid_listening_on(sock.getsockname()[1]) == os.getpid()


def test_summary_line_has_the_promised_shape():
    results = bench.Results(latencies_ms=[10.0, 20.0, 30.0], errors=["x"])
    kb = {"procedures": 2674, "load_ms": 1500.2, "reload_ms": 80.4, "finder_p50_ms": 12.34, "finder_p95_ms": 40.0}
    line = bench.summary(20, results, 2.0, [5.0, 6.0], {"rasa": 900.4, "actions": 120.0}, kb)
    assert line == ("bench: users=20 messages=4 errors=1 p50_ms=20 p95_ms=30 p99_ms=30 msg_per_s=2.0 "
                    "parse_p50_ms=5 finder_p50_ms=12.3 finder_p95_ms=40.0 kb_procedures=2674 kb_load_ms=1500 "
                    "kb_reload_ms=80 rasa_rss_mb=900 actions_rss_mb=120")


def test_knowledge_figures_time_the_shipped_knowledge_base():
    kb = bench.knowledge_figures(bench.ROOT / "knowledge", rounds=1)
    assert kb["procedures"] > 2600
    assert 0 < kb["finder_p50_ms"] <= kb["finder_p95_ms"] and kb["load_ms"] > 0 and kb["reload_ms"] > 0


def test_summary_line_gives_the_ratio_to_the_stock_assistant():
    results = bench.Results(latencies_ms=[10.0, 20.0, 60.0])
    line = bench.summary(20, results, 2.0, [5.0], {}, {}, stock_ms=[10.0, 20.0, 30.0])
    assert line.endswith(" stock_p95_ms=30 p95_ratio=2.00")


def test_the_stock_assistant_is_scripted_in_its_own_words():
    assert all(t and not t.startswith("{") for conv in bench.STOCK_CONVERSATIONS for t in conv)
    assert any("tuổi" in t for conv in bench.CONVERSATIONS for t in conv)  # situational questions are benched
