"""Entry point of pst-setup in the bundle."""

import sys

from setup_wizard.app import main

sys.exit(main())
