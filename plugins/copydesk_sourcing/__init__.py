"""copydesk-sourcing: built-in analyzer (being written; registers nothing yet)."""
