"""DOC: the bad-config table (issue 2, test 8) in this suite's summary.

tests/config/run checks each bad config against its expected error message
and okapid --check exit status; this wrapper runs it with the same okapid
binary as the rest of the suite so its result shows in the pytest summary.
"""

import os
import subprocess

from conftest import OKAPID, OKAPICTL, REPO

RUNNER = REPO / "tests" / "config" / "run"


def test_config_table():
    assert os.access(RUNNER, os.X_OK), f"{RUNNER} missing or not executable"
    env = dict(os.environ, OKAPID=OKAPID, OKAPICTL=OKAPICTL)
    r = subprocess.run([str(RUNNER)], cwd=REPO, env=env, text=True,
                       capture_output=True, timeout=300)
    print(r.stdout)
    assert r.returncode == 0, f"tests/config/run exited {r.returncode}\n{r.stdout}\n{r.stderr}"
