"""copydesk-entities: built-in analyzer (being written; registers nothing yet)."""
