"""`make loadtest`, both runs, as slow tests (`make test-slow`, and CI).

Readers on 50 connections and an editor saving through the admin at the same
time, once as is and once with PostgreSQL restarted in the middle; see
``bench/loadtest.py`` for what each run checks. Here the results file is
read back, so a failure says what went wrong.
"""

import json

import pytest

from bench import loadtest

pytestmark = pytest.mark.slow


def run(tmp_path, *args) -> dict:
    output = tmp_path / "result.json"
    code = loadtest.main(["--output", str(output), *args])
    result = json.loads(output.read_text())
    assert code == 0, result["problems"]
    return result


def test_fifty_readers_and_an_editor_for_a_minute_get_no_5xx_and_lose_no_save(tmp_path):
    result = run(tmp_path)
    readers, editor = result["readers"], result["editor"]
    assert readers["requests"] > 1000
    assert readers["server_errors"] == readers["client_errors"] == 0
    assert not any(readers["socket_errors"].values())
    assert editor["saves_confirmed"] >= 20
    assert editor["saves_lost"] == []
    assert editor["saves_refused"] == 0


def test_a_database_restart_under_load_gives_503_pages_then_recovers_with_nothing_lost(
    tmp_path,
):
    result = run(tmp_path, "--restart-db", "--duration", "30")
    readers, editor = result["readers"], result["editor"]
    # The outage was real (readers saw the Vietnamese 503 page) and nothing else failed.
    assert readers["outage_pages"] > 0
    assert readers["server_errors"] == readers["outage_pages"]
    assert result["outage"]["recovered_after_s"] < 10
    # Every worker serves again, and the editor's saves after the restart are kept.
    assert result["readers_after"]["server_errors"] == 0
    assert editor["saves_after_recovery"] >= 1
    assert editor["saves_lost"] == []
