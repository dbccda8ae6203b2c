"""The set-up wizard's pages, one module each; ``base`` holds what they share.

``role`` (language and role), ``database`` (the shared file, checked live), ``kiosk``
(the printer), ``display`` (screen and voice), ``console``, ``status_web`` (pst-web's
address and port) and ``summary`` (what Finish writes). ``setup_wizard.wizard`` puts
them together.
"""
