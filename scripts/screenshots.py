"""`make screenshots`: PNGs of the main pages, desktop and phone, from a server with the demo data.

A plain script rather than a management command: it must not touch the project's own database,
so it configures Django itself (a throwaway SQLite file in a temp dir), runs the same steps as
`make run` there, serves that database with `runserver` on a free port, and drives Debian's
Chromium with Playwright against it. The server is stopped and the temp dir removed at the end,
even when a step fails.

    .venv/bin/python scripts/screenshots.py [--only NAME ...] [--out DIR]

The data is the demo's (fixed names, ids and seeds) plus one mock exam in progress, drawn with
a fixed seed, that the script answers and flags through the page as a learner would.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Full-page shots are cut at this height (unless a shot says otherwise): the top of a long page
# shows what it is; all of it would make large files of one repeated table.
MAX_HEIGHT = {"desktop": 2000, "phone": 2600}
EXAM_SEED = 7  # the in-progress mock exam's draw


def fail(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr)
    sys.exit(1)


def check_browser() -> None:
    """Fail early and clearly, before minutes of setup, when the tools are missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        fail("the Playwright package is missing: run `make install` (it is a dev dependency).")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        fail(
            f"no Chromium at {CHROMIUM}: install Debian's (`apt-get install chromium`) or set "
            "CHROMIUM to another Chromium binary. Playwright's own browser download is not used."
        )


# -- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """What the shots need to know about the seeded database: logins and addresses."""

    password: str
    instructor: str
    student: str
    exam_url: str  # the student's mock exam in progress
    result_url: str  # one of the student's finished mock exams
    class_url: str
    report_url: str
    questions_url: str


def django_env(db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # always the temp SQLite
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "itilprep.settings",
        "DJANGO_DEBUG": "true",
        "SQLITE_PATH": str(db_path),
    }


def build_database(db_path: Path) -> Demo:
    """`make run`'s steps on a fresh SQLite file, then a mock exam in progress for the student."""
    os.environ.update(django_env(db_path))
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from quiz.attempts import attempt_start
    from quiz.management.commands import seed_demo
    from quiz.models import Attempt
    from quiz.models.blueprints import Kind, mock_exam

    steps = [
        ("migrate", ["--no-input", "--verbosity", "0"]),
        ("import_glossary", ["--no-rebuild", str(ROOT / "fixtures" / "itil4_foundation")]),
        ("build_question_bank", []),
        ("seed_demo", []),
    ]
    for name, args in steps:
        print(f"  manage.py {name}", flush=True)
        call_command(name, *args)

    # The first demo student (by username) who passed a mock exam: their result, progress and a
    # new mock exam in progress are shown. A pass with some wrong answers shows the review best.
    finished = (
        Attempt.objects.filter(
            user__username__startswith=seed_demo.STUDENT_PREFIX, blueprint__kind=Kind.MOCK
        )
        .filter(passed=True)
        .select_related("user")
        .order_by("user__username", "-finished_at")
        .first()
    )
    if finished is None:
        raise RuntimeError("the demo data has no passed mock exam to show")
    user = finished.user
    exam = attempt_start(blueprint=mock_exam(), user=user, now=timezone.now(), seed=EXAM_SEED)
    classroom = uuid.uuid5(seed_demo.NAMESPACE, "classroom")
    return Demo(
        password=seed_demo.DEMO_PASSWORD,
        instructor=seed_demo.INSTRUCTOR,
        student=user.username,
        exam_url=exam.get_absolute_url(),
        result_url=reverse("quiz:result", args=[finished.public_id]),
        class_url=reverse("classes:detail", args=[classroom]),
        report_url=reverse("reports:overview", args=[classroom]),
        questions_url=reverse("reports:questions", args=[classroom]),
    )


# -- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=django_env(db_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"the server did not answer within 60 s:\n{log.read_text()[-2000:]}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# -- the shots --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    name: str
    url: Callable[[Demo], str]
    user: Callable[[Demo], str | None] = lambda demo: None
    sizes: tuple[str, ...] = ("desktop", "phone")
    full_page: tuple[str, ...] = ()  # the sizes shot full-page (cut at MAX_HEIGHT)
    desktop_height: int | None = None  # cut the full-page desktop shot here instead
    dark: tuple[str, ...] = ()  # the sizes also shot in dark mode
    setup: Callable | None = None  # (page, demo) -> None: changes data, once per shot
    prepare: Callable | None = None  # (page, demo) -> None: each page, once it has loaded


def open_term_preview(page, demo) -> None:
    """Hover the first linked term of the definition, so its preview shows."""
    link = page.locator(".definition .term a").first
    with page.expect_response("**/preview/"):
        link.hover()
    page.locator(".definition .term .term-preview").first.wait_for(state="visible")


def answer_and_flag(page, demo) -> None:
    """Answer questions 1 to 3, flag question 2, and stay on question 3 (answers autosave)."""
    for position, option, flag in [(1, 1, False), (2, 2, True), (3, 0, False)]:
        page.goto(f"{demo.exam_url}?n={position}")
        page.locator("#question .option").nth(option).click()
        page.locator("#save-status").filter(has_text="saved").wait_for()
        if flag:
            with page.expect_response("**/flag/"):
                page.locator("#flag-button").click()
            page.locator("#flag-button[aria-pressed=true]").wait_for()


def student(demo: Demo) -> str:
    return demo.student


def instructor(demo: Demo) -> str:
    return demo.instructor


BOTH = ("desktop", "phone")
SHOTS = [
    Shot("home", lambda d: "/", full_page=("desktop",)),
    Shot("glossary", lambda d: "/glossary/"),
    Shot("concept", lambda d: "/glossary/problem/", prepare=open_term_preview, dark=("desktop",)),
    Shot(
        "attempt",
        lambda d: f"{d.exam_url}?n=3",
        user=student,
        setup=answer_and_flag,
        full_page=("phone",),
        dark=("phone",),
    ),
    # The README shows these two side by side: the figures and the first review / the chart.
    Shot("result", lambda d: d.result_url, user=student, full_page=BOTH, desktop_height=1400),
    Shot("progress", lambda d: "/progress/", user=student, full_page=BOTH),
    Shot("class", lambda d: d.class_url, user=instructor, full_page=BOTH),
    Shot("report", lambda d: d.report_url, user=instructor, full_page=BOTH, desktop_height=1400),
    Shot("item-analysis", lambda d: d.questions_url, user=instructor, full_page=BOTH),
]


def log_in(browser, base_url: str, username: str, password: str) -> dict:
    """Sign in through the log-in form; returns the session for new browser contexts."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    if "/accounts/login/" in page.url:
        raise RuntimeError(f"could not log in as {username}")
    state = context.storage_state()
    context.close()
    return state


def take(page, path: Path, size: str, shot: Shot) -> str | None:
    """Save the shot; returns a warning when the page is wider than the window."""
    page.wait_for_load_state("networkidle")
    options = {"path": path, "animations": "disabled", "caret": "hide"}
    if size in shot.full_page:
        height = page.evaluate("document.documentElement.scrollHeight")
        limit = (size == "desktop" and shot.desktop_height) or MAX_HEIGHT[size]
        width = DESKTOP["width"] if size == "desktop" else PHONE["width"]
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, limit)}
        options.update(full_page=True, clip=clip)
    page.screenshot(**options)
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.viewport_size["width"]
    if width > window:
        return f"{path.name}: the page is {width} px wide in a {window} px window"
    return None


def run_shots(base_url: str, demo: Demo, out: Path, only: set[str]) -> list[str]:
    """Take every shot; returns what needs a look: console errors, pages wider than the window."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise RuntimeError(f"Chromium at {CHROMIUM} did not start: {error}") from error
        try:
            sessions: dict[str, dict] = {}
            for shot in SHOTS:
                if only and shot.name not in only:
                    continue
                username = shot.user(demo)
                if username and username not in sessions:
                    sessions[username] = log_in(browser, base_url, username, demo.password)
                set_up = False
                for size in shot.sizes:
                    for scheme in ["light", "dark"] if size in shot.dark else ["light"]:
                        context = browser.new_context(
                            base_url=base_url,
                            viewport=DESKTOP if size == "desktop" else PHONE,
                            color_scheme=scheme,
                            storage_state=sessions.get(username),
                        )
                        context.on(
                            "console",
                            lambda m, name=shot.name: (
                                m.type == "error"
                                and problems.append(f"{name}: console error: {m.text}")
                            ),
                        )
                        suffix = "-dark" if scheme == "dark" else ""
                        path = out / f"{size}-{shot.name}{suffix}.png"
                        page = context.new_page()
                        try:
                            if shot.setup and not set_up:
                                shot.setup(page, demo)
                                set_up = True
                            page.goto(shot.url(demo))
                            if shot.prepare:
                                shot.prepare(page, demo)
                            if warning := take(page, path, size, shot):
                                problems.append(warning)
                        except PlaywrightError as error:
                            # Usually a page that changed under the script: say which.
                            raise RuntimeError(f"{path.name} ({page.url}): {error}") from error
                        finally:
                            context.close()
                        print(f"  {path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")
        finally:
            browser.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="shot names, e.g. home attempt")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    unknown = set(args.only) - {shot.name for shot in SHOTS}
    if unknown:
        fail(f"no such shot: {', '.join(sorted(unknown))}")
    check_browser()
    from django.core.management.base import CommandError

    args.out.mkdir(parents=True, exist_ok=True)

    # A `kill` (SIGTERM) unwinds like Ctrl+C, so the server is stopped and the temp dir removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="itilprep-screenshots-") as tmp:
        db_path = Path(tmp) / "db.sqlite3"
        print("Setting up a throwaway database with the demo data:", flush=True)
        try:
            demo = build_database(db_path)
            port = free_port()
            server = start_server(db_path, port, Path(tmp) / "server.log")
            try:
                print(f"Taking screenshots from http://127.0.0.1:{port}/:", flush=True)
                problems = run_shots(f"http://127.0.0.1:{port}", demo, args.out, set(args.only))
            finally:
                stop_server(server)
        except (RuntimeError, CommandError) as error:
            fail(str(error))
    for problem in problems:
        print(f"  look at: {problem}", file=sys.stderr)
    print(f"Done: the screenshots are in {args.out}.")


if __name__ == "__main__":
    main()
