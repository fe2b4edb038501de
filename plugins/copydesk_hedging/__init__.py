"""copydesk-hedging: built-in analyzer (being written; registers nothing yet)."""
