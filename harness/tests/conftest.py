import json
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HARNESS))
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_json():
    def load(name):
        return json.loads((FIXTURES / name).read_text())
    return load


@pytest.fixture
def scenario_25276():
    return json.loads((HARNESS / "probes" / "p30-issue-25276.json").read_text())


def pytest_configure(config):
    config.addinivalue_line("markers", "live: starts a real LiteLLM proxy from the cached venv")
