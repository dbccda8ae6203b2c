"""The office's devices: the ticket printer and the waiting room's voice.

ESC/POS tickets through python-escpos, and the spoken call's words and engine.
"""
