"""The Textual terminal app: a thin layer over hrdd's headless core."""
