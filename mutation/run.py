"""Run the mutation check: `python3 dev.py mutation [module ...]` (docs/testing.md).

For each target module (mutation/targets.py), every mutant (mutation/operators.py) is
written over the module in a throw-away copy of the project in the temporary directory,
the module's tests run there with pytest -x against a database of the check's own, and
the mutant is:
    killed    a test failed (or the mutated code would not even import)
    timeout   the tests ran three times longer than unmutated: counted as killed
    survived  every test passed: a bug the tests would let through
The project's own files are never written: the copy is made once per worker and each
mutated module is put back in the copy after its run (in a finally).
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from mutation.operators import Mutant, mutants_of
from mutation.targets import TARGETS, tests_for

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/pps_mutation_run"
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", "*.sqlite3", ".pytest_cache", "mutation-report*"
)


@dataclass
class Outcome:
    module: str
    number: int
    line: int
    operator: str
    before: str
    after: str
    status: str
    seconds: float


class Worker:
    """A copy of the project and a test database of its own."""

    def __init__(self, number: int, database_url: str, python: str):
        self.directory = Path(tempfile.mkdtemp(prefix=f"pps-mutation-{number}-"))
        shutil.copytree(ROOT, self.directory, ignore=IGNORED, dirs_exist_ok=True)
        self.python = python
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{database_url}_w{number}",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            "PPS_SKIP_BROWSER": "1",
            # A mutant of the same size written in the same second would otherwise be
            # shadowed by the bytecode cached from the original.
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def pytest(self, tests: list[str], timeout: float | None) -> tuple[int | None, float]:
        command = [self.python, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:warnings"]
        # The first run of a worker builds its test database; later runs reuse it.
        command.append("--reuse-db")
        started = time.monotonic()
        try:
            # Our own interpreter and test paths from mutation/targets.py, no shell.
            result = subprocess.run(  # noqa: S603
                [*command, *tests],
                cwd=self.directory,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, time.monotonic() - started
        return result.returncode, time.monotonic() - started

    def run_mutant(self, module: str, mutant: Mutant, timeout: float) -> Outcome:
        path = self.directory / module
        original = path.read_text()
        try:
            path.write_text(mutant.source)
            code, seconds = self.pytest(tests_for(module), timeout)
        finally:
            path.write_text(original)
        if code is None:
            status = "timeout"
        elif code == 0:
            status = "survived"
        else:
            status = "killed"
        return Outcome(
            module,
            mutant.number,
            mutant.line,
            mutant.operator,
            mutant.before,
            mutant.after,
            status,
            round(seconds, 1),
        )

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="*", help="target modules (default: all, most important first)"
    )
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--mutants", help="only these mutant numbers, e.g. 3,7,12 (one module)")
    parser.add_argument("--workers", type=int, default=1, help="copies run side by side")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("PPS_MUTATION_DATABASE_URL", DEFAULT_DATABASE),
        help="base database URL; each worker appends _w<N> (pytest-django adds test_)",
    )
    parser.add_argument("--report", default=str(ROOT / "mutation-report.json"))
    parser.add_argument(
        "--fail-under", type=float, default=0.0, help="exit 1 below this score (percent)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    modules = options.modules or list(TARGETS)
    unknown = [module for module in modules if module not in TARGETS]
    if unknown:
        print(f"Not a target (see mutation/targets.py): {', '.join(unknown)}")
        return 2
    wanted = {int(n) for n in options.mutants.split(",")} if options.mutants else None
    plan = []
    for module in modules:
        mutants = mutants_of((ROOT / module).read_text())
        if wanted is not None:
            mutants = [mutant for mutant in mutants if mutant.number in wanted]
        plan.append((module, mutants))
        if options.list:
            print(f"{module}: {len(mutants)} mutants")
            for mutant in mutants:
                print(f"  {mutant.label}")
    if options.list:
        return 0

    workers = [
        Worker(n, options.database_url, sys.executable) for n in range(max(1, options.workers))
    ]
    idle: queue.Queue[Worker] = queue.Queue()
    for worker in workers:
        idle.put(worker)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    try:
        for module, mutants in plan:
            # Unmutated first, on every worker: the tests must pass, and their time sets
            # the timeout of each mutant.
            with ThreadPoolExecutor(max_workers=len(workers)) as pool:
                runs = list(pool.map(lambda w, m=module: w.pytest(tests_for(m), None), workers))
            failed = [code for code, _seconds in runs if code != 0]
            if failed:
                print(f"{module}: its tests fail unmutated (exit {failed[0]}); stopping.")
                return 2
            baseline = max(seconds for _code, seconds in runs)
            timeout = 3 * baseline + 30
            print(f"== {module}: {len(mutants)} mutants, tests take {baseline:.0f}s", flush=True)

            def run(mutant: Mutant, module: str = module, timeout: float = timeout) -> None:
                worker = idle.get()
                try:
                    outcome = worker.run_mutant(module, mutant, timeout)
                finally:
                    idle.put(worker)
                with lock:
                    outcomes.append(outcome)
                    print(f"  {outcome.status:8} {mutant.label} ({outcome.seconds}s)", flush=True)

            with ThreadPoolExecutor(max_workers=len(workers)) as pool:
                list(pool.map(run, mutants))
    finally:
        for worker in workers:
            worker.remove()
        write_report(options.report, outcomes)

    score = summarise(outcomes)
    return 1 if score is not None and score < options.fail_under else 0


def summarise(outcomes: list[Outcome]) -> float | None:
    print("\nModule                                  mutants  killed  timeout  survived  score")
    for module in dict.fromkeys(outcome.module for outcome in outcomes):
        rows = [outcome for outcome in outcomes if outcome.module == module]
        print(_score_line(module, rows))
    if not outcomes:
        return None
    print(_score_line("all", outcomes))
    survivors = sorted(
        (outcome for outcome in outcomes if outcome.status == "survived"),
        key=lambda outcome: (outcome.module, outcome.number),
    )
    if survivors:
        print("\nSurvivors (explain each in docs/testing.md, or write the test that kills it):")
        for outcome in survivors:
            print(
                f"  {outcome.module} #{outcome.number} line {outcome.line} "
                f"[{outcome.operator}] {outcome.before} -> {outcome.after}"
            )
    detected = sum(outcome.status != "survived" for outcome in outcomes)
    return 100 * detected / len(outcomes)


def _score_line(name: str, rows: list[Outcome]) -> str:
    counts = {status: sum(row.status == status for row in rows) for status in _STATUSES}
    score = 100 * (counts["killed"] + counts["timeout"]) / len(rows)
    return (
        f"{name:40}{len(rows):>7}{counts['killed']:>8}{counts['timeout']:>9}"
        f"{counts['survived']:>10}{score:>6.0f}%"
    )


_STATUSES = ("killed", "timeout", "survived")


def write_report(path: str, outcomes: list[Outcome]) -> None:
    Path(path).write_text(json.dumps([asdict(outcome) for outcome in outcomes], indent=1))
    print(f"\nReport: {path}")


if __name__ == "__main__":
    sys.exit(main())
