"""The dashboard in a real browser: `govsim dashboard` in a subprocess, driven by Debian's
headless Chromium through Selenium and the system chromedriver (never a browser download).

Without Chromium the test skips and says what to install, unless GOVSIM_REQUIRE_BROWSER=1
(set by .ci/run), when it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("solara")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1600")


def _need_browser():
    missing = [p for p in (CHROMIUM, DRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if not missing:
        return
    msg = ("the browser test needs Chromium and its driver: apt-get install chromium "
           f"chromium-driver (missing: {', '.join(missing)})")
    if os.environ.get("GOVSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(msg)
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    _need_browser()
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # one worker process: the run really leaves the page's thread, as in normal use
    proc = subprocess.Popen([sys.executable, "-m", "govsim.cli", "dashboard", "--port",
                             str(port), "--no-browser", "--workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"govsim dashboard exited: {proc.stdout.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("govsim dashboard did not start listening within 90 s")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def browser(tmp_path):
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def _wait(driver, css: str, timeout: float = 60, text: str | None = None):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(driver, timeout)
    if text is None:
        return wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))
    return wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))


def _type(driver, css: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    field = driver.find_element(By.CSS_SELECTOR, f"{css} input")
    field.click()
    field.send_keys(Keys.CONTROL + "a", Keys.BACKSPACE)
    # at a person's pace: each keystroke is a round trip to the server
    for char in value:
        time.sleep(0.3)
        field.send_keys(char)
    time.sleep(0.3)
    field.send_keys(Keys.ENTER)


def _effects(driver) -> str:
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, ".govsim-effects").text


def _run(driver, previous: str | None, timeout: float = 120) -> str:
    """Click Run and return the effect table once it shows a new result."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    driver.find_element(By.CSS_SELECTOR, ".govsim-run").click()

    def fresh(d):
        tables = d.find_elements(By.CSS_SELECTOR, ".govsim-effects")
        running = d.find_elements(By.CSS_SELECTOR, ".govsim-running")
        if tables and not running and tables[0].text and tables[0].text != previous:
            return tables[0].text
        return False
    # the table is re-rendered while a result arrives: an element found a moment ago may be
    # gone by the time its text is read, so look again rather than fail
    return WebDriverWait(driver, timeout,
                         ignored_exceptions=(StaleElementReferenceException,)).until(fresh)


def _numbers(text: str) -> list[str]:
    return re.findall(r"[−+-]?\d+(?:\.\d+)?%?", text)


def test_browser_pick_move_run_and_the_effects_follow_the_slider(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server)
    _wait(browser, ".govsim-run", timeout=90)
    # pick a scenario from the menu
    browser.find_element(By.CSS_SELECTOR, ".govsim-scenario-select").click()
    item = _wait(browser, ".v-overlay-container .v-list-item", timeout=20)
    items = browser.find_elements(By.CSS_SELECTOR, ".v-overlay-container .v-list-item")
    next(i for i in items if i.text.strip() == "unified_hotline").click()
    del item
    _wait(browser, ".govsim-scenario", text="hotline", timeout=20)
    # a size out of range is refused in the widget with the registry's message
    _type(browser, ".govsim-residents", "-5")
    _wait(browser, ".govsim-refused", text="got -5", timeout=20)
    assert "community.residents" in browser.find_element(By.CSS_SELECTOR,
                                                         ".govsim-refused").text
    assert browser.find_element(By.CSS_SELECTOR, ".govsim-run").get_attribute("disabled")
    _type(browser, ".govsim-residents", "150")
    _type(browser, ".govsim-days", "20")
    browser.find_element(By.CSS_SELECTOR, ".govsim-replicates .v-slider-thumb").send_keys(
        Keys.HOME)
    _wait(browser, ".govsim-run:not([disabled])", timeout=20)
    first = _run(browser, None)
    assert "answered" in first or "conflicts" in first
    # move the first lever's slider (departments merged into the hotline) to its minimum
    thumb = browser.find_element(By.CSS_SELECTOR, ".govsim-lever .v-slider-thumb")
    before = thumb.get_attribute("aria-valuenow")
    thumb.send_keys(Keys.HOME)
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".govsim-lever .v-slider-thumb")
        .get_attribute("aria-valuenow") != before)
    second = _run(browser, first)
    assert _numbers(second) != _numbers(first), "the effect table did not follow the slider"
    shot = tmp_path / "dashboard.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
