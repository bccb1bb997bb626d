"""The queue rules: plain Python over a SQLAlchemy session, no Flask."""
