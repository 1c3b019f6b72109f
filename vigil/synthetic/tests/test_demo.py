"""`vigil demo` serves at once on a first run: the generator runs in a background process,
the server starts as soon as the demo accounts exist, every page says the force is still
being generated, and the sweep starts only when the generator has finished."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from vigil.synthetic import demo_state
from vigil.synthetic.management.commands import demo

BANNER = "The synthetic force is still being generated"


@pytest.fixture
def demo_mode(tmp_path):
    with override_settings(DEMO_MODE=True, VAR_DIR=tmp_path):
        yield tmp_path


def test_every_page_says_so_while_the_force_is_generated(db, client, demo_mode):
    assert BANNER not in client.get("/account/sign-in/").content.decode()
    demo_state.start(4242)
    assert (demo_mode / "demo-generating").read_text() == "4242\n"
    assert BANNER in client.get("/account/sign-in/").content.decode()
    demo_state.finish()
    assert BANNER not in client.get("/account/sign-in/").content.decode()


def test_outside_demo_mode_there_is_no_banner_whatever_the_marker(db, client, tmp_path):
    with override_settings(DEMO_MODE=False, VAR_DIR=tmp_path):
        demo_state.start(1)
        assert not demo_state.generating()
        assert BANNER not in client.get("/account/sign-in/").content.decode()


class FakeProcess:
    def __init__(self, log, args):
        self.args, self.log, self.pid, self.code = args, log, 1000 + len(log), None
        log.append(("start", args[0]))

    def poll(self):
        return self.code

    def wait(self):
        self.code = 0
        self.log.append(("finished", self.args[0]))
        return 0

    def terminate(self):
        self.log.append(("terminate", self.args[0]))


def test_a_first_run_serves_once_the_accounts_exist_and_sweeps_after_generating(
    db, demo_mode, monkeypatch
):
    log: list = []
    ready = iter([False, False, True])
    threads: list = []

    class FakeThread:
        def __init__(self, target, args, daemon):
            self.target, self.args = target, args

        def start(self):
            threads.append(self)

    def fake_call_command(name, *args, **kwargs):
        log.append((name, demo_state.generating()))
        if name == "runserver":
            # While the server runs, the generator finishes: the banner goes, the sweep starts.
            for thread in threads:
                thread.target(*thread.args)
            log.append(("banner after generating", demo_state.generating()))

    def accounts_ready():
        log.append(("accounts?", demo_state.generating()))
        return next(ready)

    monkeypatch.setattr(demo, "_vigil", lambda *args, **kw: FakeProcess(log, args))
    monkeypatch.setattr(demo, "call_command", fake_call_command)
    monkeypatch.setattr(demo, "accounts_ready", accounts_ready)
    monkeypatch.setattr(demo.threading, "Thread", FakeThread)
    monkeypatch.setattr(demo.time, "sleep", lambda s: log.append(("sleep", s)))
    out = io.StringIO()
    call_command("demo", port=8099, stdout=out)
    assert log == [
        ("migrate", False),
        ("start", "generate"),
        ("accounts?", True),
        ("sleep", demo.POLL_SECONDS),
        ("accounts?", True),
        ("sleep", demo.POLL_SECONDS),
        ("accounts?", True),
        ("runserver", True),
        ("finished", "generate"),
        ("start", "sweep"),
        ("banner after generating", False),
        ("terminate", "sweep"),  # the server stopped: so does the sweep
    ]
    text = out.getvalue()
    assert text.index("in the background") < text.index("polit.officer@demo.vigil.test")
    assert "The synthetic force is ready; the sweep starts now." in text


def test_a_generator_that_stops_before_the_accounts_is_an_error(db, demo_mode, monkeypatch):
    class Dead(FakeProcess):
        def poll(self):
            return 1

    monkeypatch.setattr(demo, "_vigil", lambda *args, **kw: Dead([], args))
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: None)
    with pytest.raises(CommandError, match="The generator stopped"):
        call_command("demo", port=8099, stdout=io.StringIO())
    assert not demo_state.generating()


def test_an_unfinished_generation_is_not_served_as_if_complete(db, demo_mode):
    demo_state.start(77)
    with pytest.raises(CommandError, match="did not finish"):
        call_command("demo", no_serve=True, stdout=io.StringIO())
