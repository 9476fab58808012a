"""Every write of the referrals app: the provider directory and referrals."""
