"""Run a command and write its own peak memory and CPU seconds as JSON to the file argv[1].

A child forked straight from a large parent (a pytest worker, a benchmark that
already loaded data) keeps the parent's resident pages until it execs, and Linux
counts them in the child's ru_maxrss. Started from this small process instead,
the command's figure is its own.
"""

import json
import os
import sys


def main() -> int:
    """Spawn argv[2:], wait for it, record its rusage, exit with its exit code."""
    out, args = sys.argv[1], sys.argv[2:]
    pid = os.posix_spawnp(args[0], args, os.environ)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as handle:
        json.dump(
            {"maxrss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}, handle
        )
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
