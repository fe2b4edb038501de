"""copydesk-readability: built-in analyzer (being written; registers nothing yet)."""
