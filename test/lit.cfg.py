# lit configuration shared by every suite under test/.
import os

import lit.formats

site = os.environ.get("STALLHOUND_LIT_SITE_CONFIG")
if not site:
    lit_config.fatal("run the tests through ctest (STALLHOUND_LIT_SITE_CONFIG is unset)")
lit_config.load_config(config, site)

config.name = "stallhound"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.stallhound_build, "test", "lit-out")

config.substitutions.append(("%stallhound", os.path.join(config.stallhound_bin, "stallhound")))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%build", config.stallhound_build))
config.substitutions.append(("%srcroot", config.stallhound_source))
config.substitutions.append(("%rules", os.path.join(config.stallhound_source, "rules")))
# Compile flags shared by the analyzer tests: C++20 coroutines, no asio.
config.substitutions.append(("%cxxflags", "-std=c++20 -I" + os.path.join(os.path.dirname(__file__), "check", "Inputs")))

config.environment["PATH"] = os.pathsep.join(
    [os.path.dirname(config.filecheck), config.environment.get("PATH", "/usr/bin:/bin")])
# The SARIF multitool is a .NET program: run it without ICU locale data.
config.environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"
# Keep color codes and terminal detection out of the output.
config.environment["TERM"] = "dumb"
# The SARIF validator that scripts/setup.sh installs from the npm registry.
config.substitutions.append(("%sarif-multitool", os.path.join(
    config.stallhound_build, "test-tools", "node_modules", "@microsoft",
    "sarif-multitool-linux", "Sarif.Multitool")))
import subprocess


def python_answers(code):
    """What the test interpreter prints for code, or None if it fails."""
    try:
        return subprocess.run([config.python, "-c", code], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


# Before %python, which is a prefix of it.
config.substitutions.insert(0, ("%python_include", python_answers(
    "import sysconfig; print(sysconfig.get_paths()['include'])") or "/usr/include/python3"))
# Other CPython versions, for version coverage (pyenv builds where the
# machine has them): %python310, %python312, %python313 and a feature each;
# %python39, a version whose frame layout the probe does not know.
import glob
import shutil
for version in ("3.9", "3.10", "3.12", "3.13"):
    candidates = sorted(glob.glob(os.path.expanduser(
        "~/.pyenv/versions/%s.*/bin/python%s" % (version, version))))
    on_path = shutil.which("python" + version)
    if on_path and "/shims/" in on_path:
        on_path = None  # a pyenv shim fails where that version is not selected
    found = candidates[-1] if candidates else on_path
    if found:
        name = "python" + version.replace(".", "")
        config.available_features.add(name)
        config.substitutions.insert(0, ("%" + name, found))

config.substitutions.append(
    ("%expect-exit", config.python + " " + os.path.join(os.path.dirname(__file__), "expect-exit.py")))

# Runtime probe suite (test/probe).
import shutil
probe = os.path.join(config.stallhound_build, "lib", "libstallhound-probe.so")
# A sanitized probe (STALLHOUND_PROBE_SANITIZE) is followed by its runtime,
# ahead of libc (the runtime's own start must find libc's sigaction next, not
# the probe's instrumented hook): %probe is then an LD_PRELOAD list, no longer
# a file (tests that read the file are UNSUPPORTED: probe-sanitized).
if getattr(config, "probe_runtime", ""):
    probe = probe + ":" + config.probe_runtime
    config.available_features.add("probe-sanitized")
config.substitutions.append(("%probe", probe))
# Test programs keep frame pointers and export their symbols so that dladdr names handlers.
config.substitutions.append(("%cc_probe", (shutil.which("cc") or "cc") + " -g -O1 -fno-omit-frame-pointer -rdynamic"))
for tool, feature in (("redis-server", "redis"), ("redis-cli", "redis-cli"), ("node", "node"),
                      ("pre-commit", "pre-commit"), ("git", "git"),
                      ("dpkg-deb", "dpkg-deb"), ("nginx", "nginx")):
    if shutil.which(tool):
        config.available_features.add(feature)
# Tests that switch a process to the user nobody, as a root server does.
if os.geteuid() == 0:
    config.available_features.add("root")
import platform
if platform.machine() == "x86_64":
    config.available_features.add("x86_64")
# The Dockerfile recipe needs a daemon, not only the client.
if shutil.which("docker") and subprocess.run(
        ["docker", "info"], capture_output=True, timeout=20).returncode == 0:
    config.available_features.add("docker")
if os.path.exists("/usr/include/uv.h"):
    config.available_features.add("libuv")
# The FastAPI example: Debian's python3-fastapi, -uvicorn and -uvloop.
if python_answers("import fastapi, uvicorn") is not None:
    config.available_features.add("fastapi")
if python_answers("import uvloop") is not None:
    config.available_features.add("uvloop")
if python_answers("import gunicorn") is not None:
    config.available_features.add("gunicorn")
# The Celery example: Debian's python3-celery and python3-redis, a local
# redis-server as its broker.
if python_answers("import celery, redis") is not None and \
        shutil.which("redis-server"):
    config.available_features.add("celery")

# Report suite (test/report): the HTML report is loaded in headless Chromium.
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium + " --headless --no-sandbox --disable-gpu"))
