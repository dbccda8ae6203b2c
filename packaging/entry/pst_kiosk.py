"""Entry point of pst-kiosk in the bundle."""

import sys

from kiosk.app import main

sys.exit(main())
