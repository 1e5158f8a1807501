"""The GitHub Actions workflows, which cannot run here: the README's e2e example (both
ways: a service container, and pip with --ready-file) and the release workflow, parsed
and checked for the steps they promise. The pip job's start step runs for real in
tests/test_examples.py; the image itself is tested in tests/test_container.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakeauth.cli import serve

ROOT = Path(__file__).parent.parent
E2E = ROOT / "tests" / "examples" / "github-actions.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
# The variables `fakeauth serve` reads, one per option.
SERVE_VARIABLES = {param.envvar for param in serve.params if isinstance(param.envvar, str)}


def load(path: Path) -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    # YAML 1.1, which PyYAML reads, takes the key `on` for true.
    workflow["on"] = workflow.pop(True)
    return workflow


def steps_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps_of(job) if "uses" in step]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps_of(job))


def test_every_fakeauth_variable_of_the_image_and_the_service_is_an_option() -> None:
    assert {"FAKEAUTH_HOST", "FAKEAUTH_CONTROL_CLOSED", "FAKEAUTH_ALLOWED_HOSTS"} <= SERVE_VARIABLES
    dockerfile = (ROOT / "Dockerfile").read_text()
    in_image = set(re.findall(r"\b(FAKEAUTH_[A-Z_]+)=", dockerfile))
    service = load(E2E)["jobs"]["e2e-container"]["services"]["fakeauth"]
    assert in_image
    assert in_image <= SERVE_VARIABLES
    assert set(service["env"]) <= SERVE_VARIABLES


def test_the_e2e_workflow_runs_on_pushes_and_pull_requests() -> None:
    workflow = load(E2E)
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert set(workflow["jobs"]) == {"e2e-container", "e2e-pip"}


@pytest.mark.parametrize("name", ["e2e-container", "e2e-pip"])
def test_each_e2e_job_sets_up_node_installs_and_runs_playwright(name: str) -> None:
    job = load(E2E)["jobs"][name]
    assert job["runs-on"] == "ubuntu-latest"
    assert uses(job)[0] == "actions/checkout"
    assert "actions/setup-node" in uses(job)
    names = [step.get("name") for step in steps_of(job)]
    order = ["Install dependencies", "Install Playwright's Chromium", "End-to-end tests"]
    assert [n for n in names if n in order] == order
    by_name = {step.get("name"): step for step in steps_of(job)}
    assert by_name["Install dependencies"]["run"] == "npm ci"
    assert by_name["End-to-end tests"]["run"] == "npx playwright test"
    assert "X-Fakeauth-Namespace" in E2E.read_text()


def test_the_container_job_uses_fakeauth_as_a_service() -> None:
    job = load(E2E)["jobs"]["e2e-container"]
    service = job["services"]["fakeauth"]
    assert service["image"] == "${{ vars.FAKEAUTH_IMAGE }}"
    # On the runner's loopback only, and the control API opened on purpose.
    assert service["ports"] == ["127.0.0.1:3001:3001"]
    assert service["env"]["FAKEAUTH_CONTROL_OPEN"] == "1"
    assert service["env"]["FAKEAUTH_ALLOWED_HOSTS"] == "fakeauth"
    assert "actions/setup-python" not in uses(job)  # no Python in this job
    assert "X-Fakeauth-Namespace: smoke" in runs(job)
    tests = {step.get("name"): step for step in steps_of(job)}["End-to-end tests"]
    assert tests["env"]["FAKEAUTH_URL"] == "http://127.0.0.1:3001"


def test_the_pip_job_starts_fakeauth_in_the_background_with_a_ready_file() -> None:
    job = load(E2E)["jobs"]["e2e-pip"]
    assert "actions/setup-python" in uses(job)
    start = {step.get("name"): step for step in steps_of(job)}["Start fakeauth"]["run"]
    assert "fakeauth serve --port 0" in start
    assert '--ready-file "$RUNNER_TEMP/fakeauth.url"' in start
    assert "&\n" in start  # in the background: the step ends, the server goes on
    assert 'fakeauth wait "$url"' in start
    names = [step.get("name") for step in steps_of(job)]
    assert names.index("Start fakeauth") < names.index("End-to-end tests")


def test_the_release_publishes_on_a_version_tag() -> None:
    release = load(RELEASE)
    assert release["on"] == {"push": {"tags": ["v*.*.*"]}}
    assert release["permissions"] == {"contents": "read"}
    jobs = release["jobs"]
    assert set(jobs) == {"dist", "pypi", "image", "npm"}
    assert "python -m build" in runs(jobs["dist"])
    assert "actions/upload-artifact" in uses(jobs["dist"])
    for name in ("pypi", "image", "npm"):
        assert jobs[name]["needs"] == "dist"


def test_the_wheel_goes_to_pypi_by_trusted_publishing() -> None:
    job = load(RELEASE)["jobs"]["pypi"]
    assert job["permissions"] == {"id-token": "write"}
    assert job["environment"] == "pypi"
    assert uses(job) == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert not any("with" in step and "password" in step["with"] for step in steps_of(job))


def test_the_image_goes_to_ghcr() -> None:
    job = load(RELEASE)["jobs"]["image"]
    assert job["permissions"] == {"packages": "write"}
    build = next(s for s in steps_of(job) if s.get("uses", "").startswith("docker/build-push"))
    assert build["with"]["push"] is True
    assert build["with"]["context"] == "."
    meta = next(s for s in steps_of(job) if s.get("id") == "meta")
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository_owner }}/fakeauth"


def test_the_npm_package_is_published_only_when_js_exists() -> None:
    job = load(RELEASE)["jobs"]["npm"]
    guarded = steps_of(job)[1:]
    assert guarded
    assert all(step["if"] == "hashFiles('js/package.json') != ''" for step in guarded)
    assert "npm publish --provenance" in runs(job)
    assert {step.get("working-directory") for step in guarded if "run" in step} == {"js"}
