"""Text a visitor, a scanner or a careless administrator might type: printer commands,
NUL, bidi marks, right-to-left scripts, emoji, SQL, format strings, line breaks.

Fuzz tests sample from it (and repeat it to 10,000 characters) for every field that
reaches the database, the screen or the ticket printer.
"""

HOSTILE_TEXT = [
    "\x1b@",  # ESC @: printer reset
    "\x1bd\x05",  # ESC d: feed lines
    "\x1dV\x00",  # GS V: cut
    "\x1d(k\x03\x001P0",  # GS ( k: QR store
    "\x00",
    "\u202eevil\u202c",
    "\u200f",
    "مرحبا",
    "שלום",
    "👩🏽‍💻",
    "🇮🇩",
    "'; DROP TABLE tickets; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM visitors;--",
    "\r\n",
    "\t",
    "%s%n{0}{name}",
    "Andr\u00e9",
]
