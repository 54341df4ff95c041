# RUN: %expect-exit 1 %stallhound check %s 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import subprocess
import time


async def silenced():
    time.sleep(1)  # noqa: stallhound-sleep
    time.sleep(2)  # noqa: E501, stallhound-sleep
    time.sleep(3)  # stallhound: ignore[sleep]
    time.sleep(4)  # stallhound: ignore
    subprocess.run(["true"])  # noqa: stallhound-*
    helper()  # noqa: stallhound-sleep (the finding's line: the call of the chain)


def helper():
    time.sleep(1)


async def not_silenced():
    time.sleep(1)  # noqa
    # CHECK: suppressions.py:[[@LINE-1]]:5: warning: 'time.sleep'
    time.sleep(2)  # noqa: stallhound-file-io
    # CHECK: suppressions.py:[[@LINE-1]]:5: warning: 'time.sleep'
    time.sleep(3)  # stallhound: ignore[cpu-loop]
    # CHECK: suppressions.py:[[@LINE-1]]:5: warning: 'time.sleep'

# CHECK: 1 Python file analyzed, 0 failed, 3 findings (sleep: 3), 6 silenced by NOLINT
