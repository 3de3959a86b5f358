"""portal/gunicorn.conf.py: what the production profile's master does for its workers."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "portal" / "gunicorn.conf.py"


def test_what_the_master_loaded_is_frozen_before_a_worker_is_forked():
    settings = runpy.run_path(str(CONFIG))
    gc.unfreeze()
    try:
        loaded = len(gc.get_objects())
        settings["pre_fork"](server=None, worker=None)
        # Everything tracked so far left the collected generations for the permanent one.
        assert gc.get_freeze_count() >= loaded
        assert len(gc.get_objects()) < loaded / 10
    finally:
        gc.unfreeze()
