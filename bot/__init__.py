"""Messaging assistant for the Danish municipal integration programme."""

from sqlmodel import SQLModel

# Named constraints, set before any table is defined: later migrations can then alter a
# unique or foreign key by name, which SQLite's batch mode needs.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
