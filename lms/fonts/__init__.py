"""The fonts documents print with, as far as the core needs to know them: which characters they can draw."""
