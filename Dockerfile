# fakeauth as a container image, for CI jobs that should not need Python (GitHub Actions
# `services:`, docker compose). Every option is a FAKEAUTH_* variable; see the README's
# "In CI" section.
#
# The base is the official python:3.11-slim: Debian with glibc, so aiohttp's and PyYAML's
# prebuilt wheels install without a compiler; the slim variant leaves out build tools and
# documentation; its /bin/sh runs the health check. (Alpine's musl would need other
# wheels; distroless images have no shell.) scripts/build-image.sh builds this same file
# with a base made locally from Debian's packages, where no registry is reachable.
ARG PYTHON_IMAGE=python:3.11-slim

# Build stage: fakeauth and its dependencies into a virtual environment, which the final
# stage copies alone, so the build backend and pip's cache stay out of the image.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# The dependencies first, in a layer of their own, read from pyproject.toml: a change to
# fakeauth's code alone then reuses that layer.
COPY pyproject.toml /src/
RUN python3 -m venv /opt/fakeauth \
    && python3 -c 'import tomllib; print("\n".join(tomllib.load(open("/src/pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && /opt/fakeauth/bin/pip install --quiet --requirement /tmp/requirements.txt
COPY README.md /src/
# fakeauth/fixtures links to ../fixtures, where the bundled users and catalogue live.
COPY fixtures /src/fixtures
COPY fakeauth /src/fakeauth
# pip and setuptools are not needed at run time: out of the image with them.
RUN /opt/fakeauth/bin/pip install --quiet --no-deps /src \
    && /opt/fakeauth/bin/pip uninstall --quiet --yes pip setuptools

FROM ${PYTHON_IMAGE}
COPY --from=build /opt/fakeauth /opt/fakeauth
# A user of its own, not root; a numeric USER lets Kubernetes' runAsNonRoot check it.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/fakeauth fakeauth
USER 10001:10001
WORKDIR /home/fakeauth
ENV PATH=/opt/fakeauth/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FAKEAUTH_HOST=0.0.0.0 \
    FAKEAUTH_PORT=3001 \
    FAKEAUTH_CONTROL_CLOSED=1
EXPOSE 3001
# `fakeauth wait` polls /health with Python's own HTTP client: no curl in the image. The
# shell form reads FAKEAUTH_PORT as the server does, so a changed port is still checked.
HEALTHCHECK --interval=2s --timeout=5s --start-period=20s --retries=3 \
    CMD fakeauth wait "http://127.0.0.1:${FAKEAUTH_PORT}" --timeout 4 >/dev/null || exit 1
# Exec form: fakeauth is PID 1 and gets SIGTERM itself; it stops on it within a second.
ENTRYPOINT ["fakeauth"]
CMD ["serve"]
