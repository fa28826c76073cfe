"""``python -m audit_app``: see ``audit_app.cli``."""

import sys

from .cli import main

sys.exit(main())
