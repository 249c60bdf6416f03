"""Photos and documents citizens send: receipts and documentation for their records."""
