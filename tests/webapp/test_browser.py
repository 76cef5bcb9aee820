"""The phone quiz in a real browser: Debian's chromium, headless, at a 360×740 phone viewport, from the code on the
slip to the feedback survey. Screenshots land in the test's folder (``LMS_SCREENSHOTS`` keeps them elsewhere)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.models import Answer, Attempt, AttemptStatus, FeedbackResponse
from tests.webapp.conftest import Site

CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not CHROMEDRIVER or not shutil.which("chromium"), reason="chromium, chromium-driver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.fixture
def phone() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=360,740")
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def left_page(element: Any) -> bool:
    """The page the element was on has gone. Chromium reports that either as a stale element or, while the next page
    is loading, as an inspector error that the node no longer belongs to the document."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


def test_a_trainee_sits_the_quiz_on_a_phone_in_a_real_browser(site: Site, phone: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver: WebDriver = phone  # type: ignore[assignment]
    shots = Path(os.environ.get("LMS_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    wait = WebDriverWait(driver, 30)
    mine = site.codes[0]

    driver.get(f"{site.url}/q?c={mine.code}")  # what the slip's QR code opens
    driver.save_screenshot(str(shots / "1-code.png"))
    driver.find_element(By.CSS_SELECTOR, "form[action='/q'] button").click()
    begin = wait.until(expected_conditions.element_to_be_clickable((By.ID, "begin")))
    assert mine.name in driver.page_source
    driver.save_screenshot(str(shots / "2-card.png"))
    begin.click()
    wait.until(expected_conditions.url_contains("/quiz/q/"))

    answered = 0
    for _step in range(12):
        if "/quiz/review" in driver.current_url:
            break
        options = driver.find_elements(By.CSS_SELECTOR, "label.option input")
        if options:
            options[0].click()  # the change event autosaves without leaving the page
            wait.until(lambda d: "Saved" in d.find_element(By.CSS_SELECTOR, ".saved").text)
            answered += 1
            if answered == 1:
                driver.save_screenshot(str(shots / "3-question.png"))
        texts = driver.find_elements(By.CSS_SELECTOR, "input[name=answer]:not([type=radio]):not([type=checkbox])")
        if texts:
            texts[0].send_keys("42")
        buttons = driver.find_elements(By.CSS_SELECTOR, "button[value=next]")
        step = (buttons or driver.find_elements(By.CSS_SELECTOR, "button[value=review]"))[0]
        step.click()
        wait.until(lambda _driver, old=step: left_page(old))

    # A dropped connection: the tab is gone, the trainee opens the quiz again and lands where they stopped.
    driver.get(f"{site.url}/quiz")
    assert "/quiz/q/" in driver.current_url or "/quiz/review" in driver.current_url
    driver.get(f"{site.url}/quiz/review")
    driver.save_screenshot(str(shots / "4-review.png"))
    driver.find_element(By.ID, "submit").click()
    wait.until(expected_conditions.url_contains("/quiz/result"))
    driver.save_screenshot(str(shots / "5-result.png"))
    driver.find_element(By.ID, "feedback").click()
    radios = driver.find_elements(By.CSS_SELECTOR, ".scale input[value='4']")
    for radio in radios:
        radio.click()
    driver.save_screenshot(str(shots / "6-feedback.png"))
    driver.find_element(By.ID, "send").click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "thanks")))

    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == mine.person_id)).one()
        assert attempt.status == AttemptStatus.graded
        assert len(session.exec(select(Answer).where(Answer.attempt_id == attempt.id)).all()) >= answered > 0
        assert session.exec(select(FeedbackResponse).where(FeedbackResponse.source == "browser")).one()
