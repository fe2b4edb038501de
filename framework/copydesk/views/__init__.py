"""Views of analyzed documents for people (the HTML article view)."""
