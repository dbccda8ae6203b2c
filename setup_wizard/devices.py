"""Find the receipt printers this PC can print to: USB devices and Windows printers.

No Qt. Each finder returns an empty list when it cannot look (no pyusb or libusb, not
Windows), because the person can always type the printer instead.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)

USB_CLASS_PRINTER = 7


@dataclass(frozen=True)
class FoundPrinter:
    """A printer the wizard can offer: the configuration text and what to show."""

    spec: str
    label: str


def usb_printers(find=None) -> list[FoundPrinter]:
    """Return the USB devices that say they are printers (USB class 7)."""
    try:
        if find is None:
            import usb.core

            find = usb.core.find
        devices = list(find(find_all=True))
    except Exception as exc:  # pyusb's NoBackendError when libusb is missing, or no pyusb
        log.info("cannot list USB devices: %s", exc)
        return []
    found = []
    for device in devices:
        if not _is_printer(device):
            continue
        spec = f"usb:{device.idVendor:04x}:{device.idProduct:04x}"
        found.append(FoundPrinter(spec, f"{spec}  {_describe(device)}".rstrip()))
    return found


def _is_printer(device) -> bool:
    if getattr(device, "bDeviceClass", 0) == USB_CLASS_PRINTER:
        return True
    try:
        return any(
            interface.bInterfaceClass == USB_CLASS_PRINTER
            for configuration in device
            for interface in configuration
        )
    except Exception:  # a device that cannot be asked for its configuration
        return False


def _describe(device) -> str:
    # Reading the names needs access to the device, which an ordinary user may not have.
    parts = []
    for attribute in ("manufacturer", "product"):
        try:
            value = getattr(device, attribute)
        except Exception:
            value = None
        if value:
            parts.append(str(value).strip())
    return " ".join(parts)


def windows_printers(enum=None) -> list[FoundPrinter]:
    """Return the printers installed in Windows (printed to raw through the spooler)."""
    if enum is None:
        if sys.platform != "win32":
            return []
        try:
            import win32print
        except ImportError:
            return []

        def enum() -> list[str]:
            flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
            return [row[2] for row in win32print.EnumPrinters(flags)]

    try:
        names = enum()
    except Exception as exc:  # the spooler service stopped
        log.info("cannot list Windows printers: %s", exc)
        return []
    return [FoundPrinter(f"win32:{name}", name) for name in sorted(names)]
