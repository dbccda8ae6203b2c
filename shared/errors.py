"""The few typed errors of the core.

Two families, handled differently at every boundary:

* :class:`DomainError` — the person asked for something the rules do not allow
  ("this ticket has already been finished"). Show the message; nothing is broken.
* :class:`StorageError` — the shared database could not be used right now (busy,
  locked, share gone, read-only, corrupt). Expected on a LAN share: show the message,
  keep what the person typed, retry.

Anything else is a bug and goes to the log.
"""

from __future__ import annotations

from shared.i18n import N_, _


class PSTError(Exception):
    """Base of the errors a person is shown; ``message`` is translated lazily."""

    msgid: str = N_("Something went wrong.")

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        self.msgid = msgid or self.msgid
        self.params = params
        super().__init__(self.msgid.format(**params) if params else self.msgid)

    @property
    def message(self) -> str:
        """The sentence in the current language."""
        return _(self.msgid, **self.params)


class DomainError(PSTError):
    """An operation the queue rules do not allow."""


class NotFound(DomainError):
    """A ticket, counter, service or officer that does not exist."""


class InvalidTransition(DomainError):
    """A ticket or counter asked to move to a state it cannot reach from its own."""


class ValidationError(DomainError):
    """Input (a guest-book field, a setting) that is not acceptable.

    ``field`` names the input so forms can show the message beside it.
    """

    def __init__(self, field: str, msgid: str, **params: object) -> None:
        self.field = field
        super().__init__(msgid, **params)


class CounterHeld(DomainError):
    """The officer still holds another counter: taking this one means moving.

    ``params`` name the ``counter`` held and, when a visitor is being called there, its
    ``number`` (the visitor a move returns to the queue).
    """

    def __init__(self, counter: str, number: str | None = None) -> None:
        if number:
            super().__init__(
                N_("You are still logged in at {counter}; {number} is being called there."),
                counter=counter,
                number=number,
            )
        else:
            super().__init__(N_("You are still logged in at {counter}."), counter=counter)


class AuthError(DomainError):
    """Wrong PIN, locked officer, or a role that may not do this."""


class ConfigError(PSTError):
    """A configuration file or value that cannot be used."""


class StorageError(PSTError):
    """The shared database cannot be used right now."""

    msgid = N_("The queue database cannot be reached. Retrying…")
    transient = True


class StorageBusy(StorageError):
    msgid = N_("The queue database is busy on another computer. Please try again in a moment.")


class StorageUnavailable(StorageError):
    msgid = N_("The shared folder with the queue database cannot be reached. Retrying…")


class StorageReadOnly(StorageError):
    msgid = N_("The queue database is read-only for this computer. Ask IT to check the share.")


class StorageCorrupt(StorageError):
    msgid = N_("The queue database is damaged. Ask IT to restore the latest backup.")
    transient = False


class UnsafeStorage(StorageError):
    """The database is set up in a way that loses data on a share (e.g. WAL)."""

    msgid = N_("The queue database uses an unsafe journal mode ({mode}) for a shared folder.")
    transient = False


class StorageMissing(StorageUnavailable):
    """The database file is not where the configuration says (share not connected?).

    An outage like any other for the programs: they keep polling and recover by
    themselves when the share is connected. Never a reason to create a new file.
    """

    msgid = N_("The queue database {path} was not found — is the shared folder connected?")


class NotQueueDatabase(StorageError):
    """The path names something that is not an Antrian PST database."""

    msgid = N_(
        "{path} is not an Antrian PST queue database. Check the database path in the configuration."
    )
    FOLDER = N_("{path} is a folder, not the queue database file. Give the path of the .db file.")
    transient = False


class SchemaTooNew(StorageError):
    """The database was made or upgraded by a newer version of the programs."""

    msgid = N_(
        "The queue database was made by a newer Antrian PST. Update this PC before using it."
    )
    transient = False


class SchemaTooOld(StorageError):
    """The database needs an upgrade that only ``pst-admin init`` may run."""

    msgid = N_(
        "The queue database is from an older Antrian PST. Run “pst-admin init” on one PC to"
        " upgrade it."
    )
    transient = False


class UsageError(PSTError):
    """The command line or an input file is wrong; ``message`` says how."""
