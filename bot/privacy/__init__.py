"""Personal data kept lawfully: retention, access requests (export) and erasure."""
