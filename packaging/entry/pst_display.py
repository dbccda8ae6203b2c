"""Entry point of pst-display in the bundle."""

import sys

from display.app import main

sys.exit(main())
