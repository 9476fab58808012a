"""Thin page views: the provider directory and referrals."""
