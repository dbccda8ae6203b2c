"""The visitor's touchscreen kiosk: guest book, queue ticket, rating, complaint channels."""
