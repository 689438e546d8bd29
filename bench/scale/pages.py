"""Page reruns through AppTest and the peak RSS of the process that ran them (run in a subprocess).

python -m bench.scale.pages URL USER PASSWORD   -> one JSON line on stdout
"""

from __future__ import annotations

import json
import os
import resource
import sys


def main() -> None:
    url, user, password = sys.argv[1:4]
    os.environ["DATABASE_URL"] = url
    from casebook.config import get_settings

    get_settings.cache_clear()
    from bench.scale.measure import median_ms
    from tests.pagetest import goto, signed_in

    at = signed_in(user, password)
    out = {}
    for path in ("incidents", "dashboard", "law", "briefs"):
        goto(at, path)
        assert not at.exception, (path, at.exception)
        out[f"page_{path}_ms"] = median_ms(at.run, 3)
    out["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
