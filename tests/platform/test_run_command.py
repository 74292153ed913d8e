"""The web server ``steward run`` starts (and bench/assets_load.py
measures): options gunicorn itself accepts, sized for two cores."""

from __future__ import annotations

from gunicorn.config import Config

from steward.cli.run import THREADS, WORKERS, gunicorn_command


def test_gunicorn_accepts_the_command_line() -> None:
    command = gunicorn_command(host="127.0.0.1", port=8123)
    assert command[1:4] == ["-m", "gunicorn", "steward.wsgi:application"]
    config = Config()
    args = config.parser().parse_args(command[4:])
    assert args.bind == ["127.0.0.1:8123"]
    assert (args.workers, args.threads) == (WORKERS, THREADS)
    # More than one thread a process: gunicorn's threaded worker.
    for name, value in vars(args).items():
        if value is not None and name in config.settings:
            config.set(name, value)
    assert config.worker_class_str == "gthread"
    other = gunicorn_command(host="0.0.0.0", port=80, workers=3, threads=1)
    args = Config().parser().parse_args(other[4:])
    assert (args.workers, args.threads) == (3, 1)
