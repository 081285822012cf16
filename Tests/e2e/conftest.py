import os
import pathlib
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a driver: Debian's is used


@pytest.fixture(scope="session")
def base_url():
    return os.environ.get("PASSAGE_URL", "http://127.0.0.1:8080")


@pytest.fixture(scope="session")
def password():
    return os.environ["PASSAGE_DEMO_PASSWORD"]


@pytest.fixture(scope="session")
def screenshots():
    path = pathlib.Path(os.environ.get("PASSAGE_SCREENSHOTS", "/tmp/passage-screens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-GB"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
