"""AppTest entry point. AppTest loses widget state on reruns when the script's own
folder has a ``pages/`` directory (it then looks pages up by file), so page tests run
app.py from here, a folder without one. The real server runs app.py directly."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
