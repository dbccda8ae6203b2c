"""The counter console (``pst-counter``): the officer's workflow and the supervisor view."""
