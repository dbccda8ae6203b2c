"""Entry point of pst-web in the bundle."""

import sys

from status_page.app import main

sys.exit(main())
