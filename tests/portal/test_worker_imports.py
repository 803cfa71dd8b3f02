"""What a web worker loads: the app ready to answer (its settings, models and every URL, as
gunicorn.conf.py preloads it) without what only the task worker or a command uses."""

import os
import subprocess
import sys

from django.conf import settings

from tests.portal.test_settings import PORTAL_VARIABLES

# loaded only where they are used: the IATI import's XML parser (lxml, about 5 MB a process)
NOT_LOADED = ("lxml", "funding.iati.parse", "funding.iati.importer", "openpyxl")


def test_a_web_worker_loads_no_module_only_an_import_uses():
    clean = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="dialogues_portal.settings")
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        f"print(' '.join(name for name in {NOT_LOADED!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
