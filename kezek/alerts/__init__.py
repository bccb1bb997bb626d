"""Alerts of the live floor: the conditions a manager must act on, raised, repeated and ended (engine, rules
and mail have no Flask); checker.py is the app's thread that checks them with nobody watching."""
