"""Alerts of the live floor (no Flask): the conditions a manager must act on, raised, repeated and ended."""
