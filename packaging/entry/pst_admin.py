"""Entry point of pst-admin in the bundle."""

import sys

from shared.cli.main import main

sys.exit(main())
