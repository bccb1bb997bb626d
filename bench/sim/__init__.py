"""A day simulator that runs the product's own queue rules through simulated office days."""
