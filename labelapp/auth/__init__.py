"""Accounts, roles, login, tokens and the permission predicates every route declares."""
