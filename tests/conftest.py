"""Shared fixtures: golden-file updating and real temporary git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared" / "corpora"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run by the tests keep parsed documents in a folder of their own, not the user's cache."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="Rewrite golden files from current output."
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `cwd` with a fixed identity; return stdout."""
    full_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
        **(env or {}),
    }
    out = subprocess.run(["git", *args], cwd=cwd, env=full_env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Create a git repository whose history is a list of {path: text} snapshots (one commit each)."""

    def make(snapshots: list[dict[str, str]], *, subdir: str = "", name: str = "repo") -> Path:
        repo = tmp_path / name
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        for k, files in enumerate(snapshots, 1):
            base = repo / subdir if subdir else repo
            for rel, text in files.items():
                target = base / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if text is None:
                    target.unlink()
                else:
                    target.write_text(text, encoding="utf-8")
            git(repo, "add", "-A")
            git(
                repo,
                "commit",
                "-q",
                "-m",
                f"snapshot {k}",
                "--allow-empty",
                env={
                    "GIT_AUTHOR_DATE": f"2026-01-{k:02d}T12:00:00Z",
                    "GIT_COMMITTER_DATE": f"2026-01-{k:02d}T12:00:00Z",
                },
            )
        return repo

    return make


@pytest.fixture(scope="session")
def github_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 44 real versions of GitHub's Terms of Service replayed into a git repository (tags v01..v44)."""
    if not (SHARED / "make-repo.sh").exists():
        pytest.skip("../shared/corpora is not next to this checkout")
    dest = tmp_path_factory.mktemp("gh") / "repo"
    subprocess.run(
        ["bash", str(SHARED / "make-repo.sh"), "github-site-policy", str(dest)],
        check=True,
        capture_output=True,
    )
    (dest / "regdocs.toml").write_text('title = "GitHub Terms of Service"\ntag_pattern = "v*"\n')
    return dest


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def run_cli(root: Path, *args: str) -> Result:
    """`regdocs --corpus ROOT ARGS` in process; never a traceback, whatever the exit code."""
    from regdocs.cli import cli

    result = CliRunner().invoke(cli, ["--corpus", str(root), *args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def one_error(result: Result, *needles: str) -> None:
    """Exit code 2 and one line on stderr that holds every needle."""
    assert result.exit_code == 2, (result.output, result.stderr)
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1, line
    for needle in needles:
        assert needle in line, (needle, line)


# --- time bounds that hold on a slow or busy machine -----------------------------------------------------

T = TypeVar("T")
REFERENCE_S = 0.035
"""How long `_reference` takes on the machine the bounds below were set on (2 cores, quiet)."""


def fast(seconds: float, call: Callable[[], T]) -> T:
    """Run `call`, return what it returned, and fail when it took longer than `seconds` (bounds are
    10-100x what it needs).

    On a slower or loaded machine the bound widens by how much slower a fixed workload runs there right
    now (and `call` is timed once more): a quadratic input is still caught (it is tens to thousands of
    times over), a busy CI is not.
    """
    start = time.perf_counter()
    result = call()
    took = time.perf_counter() - start
    if took < seconds:
        return result
    slowdown = max(1.0, min(_timed(_reference) for _ in range(3)) / REFERENCE_S)
    took = min(took, _timed(call))
    assert took < seconds * slowdown, (
        f"took {took:.2f} s (limit {seconds} s x {slowdown:.1f} machine slowdown)"
    )
    return result


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _reference() -> int:
    """A fixed mix of dictionary, string and integer work (about 35 ms on the reference machine)."""
    counts: dict[str, int] = {}
    total = 0
    for i in range(200_000):
        key = f"k{i % 1000}"
        counts[key] = counts.get(key, 0) + i
        total += len(key.upper())
    return total
