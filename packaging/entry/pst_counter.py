"""Entry point of pst-counter in the bundle."""

import sys

from counter.app import main

sys.exit(main())
