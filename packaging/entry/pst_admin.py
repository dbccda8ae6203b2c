"""Entry point of pst-admin in the bundle."""

import sys

from shared.admin import main

sys.exit(main())
