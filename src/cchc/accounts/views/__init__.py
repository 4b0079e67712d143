"""The pages of accounts: users and the roles they hold on units."""
