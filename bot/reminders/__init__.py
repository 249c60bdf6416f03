"""Appointments, placements and the reminders that get citizens there.

models.py (tables) · policy.py (pure: when reminders go out) · config.py (BOT_REMINDER_* settings)
· scheduling.py (policy -> Reminder rows) · service.py (create, move, cancel) · dispatch.py (due
reminders -> outbox messages, exactly once) · jobs.py (the clock) · replies.py (answers to
reminders) · unconfirmed.py (no answer: staff see it) · routes.py, calendar_routes.py (API and
.ics feed) · csv_import.py, cli.py (imports) · demo.py (demo appointments).
"""
