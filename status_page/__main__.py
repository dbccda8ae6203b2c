"""``python -m status_page``: the same as ``pst-web``."""

import sys

from status_page.app import main

sys.exit(main())
