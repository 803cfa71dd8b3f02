"""Set-up: `make test` installs what it needs when missing, `create_editor` never dies in a traceback."""

import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install_services.sh"


def stub(directory, name, body):
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run_install(tmp_path, present=()):
    """scripts/install_services.sh as root on a machine that lacks all but `present`, with apt-get
    and systemctl stubbed: what it would install, never installed."""
    bin_dir, pg_bin = tmp_path / "bin", tmp_path / "pg"
    bin_dir.mkdir(), pg_bin.mkdir()
    log = tmp_path / "apt.log"
    stub(bin_dir, "id", "echo 0")
    stub(bin_dir, "apt-get", f'echo "$*" >> {log}')
    stub(bin_dir, "systemctl", "true")
    for name in present:
        stub(pg_bin if name == "initdb" else bin_dir, name, "true")
    env = {"PATH": str(bin_dir), "PG_BIN": str(pg_bin)}
    result = subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines() if log.exists() else []


def test_make_test_installs_postgresql_node_npm_and_redis_when_missing(tmp_path):
    calls = run_install(tmp_path)
    installs = {package for call in calls if call.startswith("install") for package in call.split()[3:]}
    assert installs == {"postgresql-15", "nodejs", "npm", "redis-server"}
    assert calls.count("update -qq") == 1


def test_make_test_installs_nothing_already_there(tmp_path):
    assert run_install(tmp_path, present=("initdb", "node", "npm", "redis-server")) == []


@pytest.mark.django_db
def test_create_editor_without_a_terminal_says_to_pass_the_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password"):
        call_command("create_editor", "maria")
    assert not get_user_model().objects.filter(username="maria").exists()


@pytest.mark.django_db
def test_create_editor_takes_the_password_as_an_option():
    call_command("create_editor", "maria", "--password", "a-long-test-password", stdout=io.StringIO())
    assert get_user_model().objects.get(username="maria").check_password("a-long-test-password")
