"""The staff inbox: conversations and tickets waiting for an answer, and what staff keep about them."""
