"""Allow ``python -m setup_wizard``."""

import sys

from setup_wizard.app import main

sys.exit(main())
